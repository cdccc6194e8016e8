using System.Globalization;
using System.Text;

namespace Clv.Pipeline.Storage;

/// <summary>
/// Reversible escaping of free text (customer ids, blob names) into Azure Table <c>PartitionKey</c>/<c>RowKey</c> values.
/// </summary>
/// <remarks>
/// Table keys may not contain <c>/</c>, <c>\</c>, <c>#</c>, <c>?</c> or control characters (U+0000..U+001F,
/// U+007F..U+009F). Each of those, and <c>%</c> itself, is written as <c>%XX</c> (two uppercase hex digits of the
/// code point); everything else is kept, so ordinary ids read the same in the table.
/// </remarks>
public static class TableKey
{
    /// <summary>Longest key Azure Tables accepts, in UTF-16 code units (1 KiB).</summary>
    public const int MaxLength = 512;

    /// <summary>Escapes <paramref name="value"/> for use as a table key.</summary>
    /// <exception cref="ArgumentException">The escaped key is longer than <see cref="MaxLength"/> characters.</exception>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var needs = false;
        foreach (var c in value)
        {
            if (MustEscape(c))
            {
                needs = true;
                break;
            }
        }

        var escaped = value;
        if (needs)
        {
            var builder = new StringBuilder(value.Length + 8);
            foreach (var c in value)
            {
                if (MustEscape(c))
                {
                    builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            escaped = builder.ToString();
        }

        if (escaped.Length > MaxLength)
        {
            throw new ArgumentException($"Key '{value[..Math.Min(value.Length, 40)]}...' is {escaped.Length} characters once escaped; table keys hold at most {MaxLength}.", nameof(value));
        }

        return escaped;
    }

    /// <summary>Reverses <see cref="Escape"/>.</summary>
    /// <exception cref="FormatException">A <c>%</c> is not followed by two hex digits.</exception>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] != '%')
            {
                builder.Append(key[i]);
                continue;
            }

            if (i + 2 >= key.Length || !int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                throw new FormatException($"Table key '{key}' has a '%' at index {i} not followed by two hex digits.");
            }

            builder.Append((char)code);
            i += 2;
        }

        return builder.ToString();
    }

    private static bool MustEscape(char c) => c is '%' or '/' or '\\' or '#' or '?' || char.IsControl(c);
}
