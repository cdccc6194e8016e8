using System.Text;

namespace Clv.Modeling.Ingest;

/// <summary>What becomes of a data row.</summary>
internal enum RowOutcome
{
    /// <summary>Counted.</summary>
    Accepted,

    /// <summary>Rejected with a reason (kept in the rejected rows).</summary>
    Rejected,

    /// <summary>Not an order of its own: a further line of an order counted on its first row, or a guest row without a customer.</summary>
    Skipped,

    /// <summary>Not revenue: a status such as refunded, voided, cancelled, failed or test.</summary>
    Excluded,
}

/// <summary>
/// The row rules of one export beyond plain columns: a profile's once-per-order amounts, non-revenue statuses, refunds,
/// one currency, and keyed hashing of customer ids that are e-mail addresses or phone numbers.
/// </summary>
internal sealed class RowRules
{
    private const int SampleRecords = 5000;

    private RowRules(ExportProfile? profile, CustomerIdHasher? hasher, string? currency, IReadOnlyDictionary<string, double>? rates, ExportOptionNames flags)
    {
        OncePerOrder = profile?.OncePerOrder ?? false;
        Hasher = hasher;
        Currency = currency;
        CurrencyUtf8 = currency is null ? null : Encoding.UTF8.GetBytes(currency);
        Rates = rates is null ? null : new Dictionary<string, double>(rates, StringComparer.OrdinalIgnoreCase);
        Flags = flags;
    }

    /// <summary>Rows with a blank amount and a set order id are further lines of an order counted on its first row.</summary>
    public bool OncePerOrder { get; }

    /// <summary>Keys personal customer ids; <see langword="null"/> when none are expected.</summary>
    public CustomerIdHasher? Hasher { get; }

    /// <summary>The currency amounts are counted in, or <see langword="null"/> when the export has no currency column.</summary>
    public string? Currency { get; }

    /// <summary><see cref="Currency"/> as UTF-8.</summary>
    public byte[]? CurrencyUtf8 { get; }

    /// <summary>Conversion rates into <see cref="Currency"/>, by currency code.</summary>
    public Dictionary<string, double>? Rates { get; }

    /// <summary>How the host names the options, for reasons.</summary>
    public ExportOptionNames Flags { get; }

    /// <summary>
    /// The rules for an export whose columns are resolved, from the options and its first records (<paramref name="head"/>):
    /// <see langword="null"/> when plain columns suffice.
    /// </summary>
    /// <exception cref="ExportFormatException">Customer ids are e-mail addresses or phone numbers and no key is configured.</exception>
    public static RowRules? Resolve(string source, RecordParser records, ExportColumns columns, ReadOnlySpan<byte> head, bool final, in ExportReaderOptions options)
    {
        var currencies = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var personal = 0;
        string? personalColumn = null;
        var sampled = 0;
        while (sampled < SampleRecords && records.TrySplitRecord(head, final, out var length, out var consumed, out _))
        {
            var record = head[..length];
            if (!RecordParser.IsBlank(record) && records.SplitFields(record) == columns.FieldCount)
            {
                sampled++;
                var scratchUsed = 0;
                foreach (var column in (ReadOnlySpan<int>)[columns.Customer, columns.CustomerFallback])
                {
                    if (column >= 0 && CustomerIdHasher.IsPersonal(records.Value(record, column, ref scratchUsed)))
                    {
                        personal++;
                        personalColumn ??= columns.Name(column);
                    }
                }

                if (columns.Currency >= 0)
                {
                    var code = records.FieldText(record, columns.Currency).Trim();
                    if (code.Length > 0)
                    {
                        currencies[code] = currencies.GetValueOrDefault(code) + 1;
                    }
                }
            }

            head = head[consumed..];
        }

        var flags = options.OptionNames ?? ExportOptionNames.Properties;
        if (personal > 0 && options.CustomerIdHasher is null)
        {
            throw new ExportFormatException(
                source,
                $"the customer ids in column '{personalColumn}' are e-mail addresses or phone numbers, which are stored only as keyed hashes; set the key with {flags.IdKey}.");
        }

        var currency = columns.Currency < 0
            ? null
            : options.Currency?.Trim().ToUpperInvariant() ?? currencies.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key.ToUpperInvariant()).FirstOrDefault();
        var needed = columns.Profile is not null || columns.Refund >= 0 || currency is not null || columns.Exclusions.Count > 0
            || columns.CustomerFallback >= 0 || options.CustomerIdHasher is not null;
        return needed ? new RowRules(columns.Profile, options.CustomerIdHasher, currency, options.CurrencyRates, flags) : null;
    }

    /// <summary>Whether <paramref name="value"/> (as read) is one of <paramref name="values"/> (lower case), ignoring ASCII case.</summary>
    public static bool IsOneOf(ReadOnlySpan<byte> value, byte[][] values)
    {
        foreach (var candidate in values)
        {
            if (Ascii.EqualsIgnoreCase(value, candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses a money amount as platforms write it: a currency symbol or code before or after the number, thousands
    /// separators (<c>1,234.50</c>; <c>1.234,50</c> with a decimal comma), or the plain number.
    /// </summary>
    public static bool TryParseMoney(ReadOnlySpan<byte> text, bool decimalComma, Span<byte> scratch, out double value)
    {
        if (Utf8Number.TryParse(text, decimalComma, out value))
        {
            return true;
        }

        var start = 0;
        while (start < text.Length && !IsNumberByte(text[start]))
        {
            start++;
        }

        var end = text.Length;
        while (end > start && !(text[end - 1] is >= (byte)'0' and <= (byte)'9'))
        {
            end--;
        }

        var number = text[start..end];
        if (number.IsEmpty || number.Length > scratch.Length)
        {
            return false;
        }

        var thousands = decimalComma ? (byte)'.' : (byte)',';
        var written = 0;
        foreach (var c in number)
        {
            if (c != thousands && c != (byte)' ' && c != (byte)'\'')
            {
                scratch[written++] = c;
            }
        }

        return Utf8Number.TryParse(scratch[..written], decimalComma, out value);
    }

    private static bool IsNumberByte(byte c) => c is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'+' or (byte)'.' or (byte)',';
}
