using System.IO.Compression;
using System.Text;

namespace Clv.Modeling.Ingest;

/// <summary>
/// Reads transaction exports: CSV-like text (UTF-8, optional BOM, LF or CRLF, optionally gzip, detected by its magic
/// bytes), delimiter and columns detected or configured, every bad row rejected with its line number and reason.
/// </summary>
/// <remarks>
/// Row rules: a wrong field count, a customer id that is not UTF-8, longer than
/// <see cref="ExportReaderOptions.MaxCustomerIdBytes"/> or holds control characters, an unparseable date, amount, quantity or
/// unit price, a date before 1970 or more than a day after ingestion, or an amount, quantity or quantity x unit price beyond
/// <see cref="ExportReaderOptions.MaxAmount"/> rejects the row; negative amounts (returns, cancellations) are accepted and
/// reduce net spend. Rows without a customer id (guest orders) are skipped and counted apart. Blank lines are ignored.
/// File rules (<see cref="ExportFormatException"/>): empty file, required columns not found, dates in no known layout
/// or ambiguous between day-first and month-first, a quote never closed, or a rejected share over
/// <see cref="ExportReaderOptions.MaxRejectedShare"/>.
/// For large exports use <c>ExportFeaturizer</c>, which aggregates while reading instead of keeping every row.
/// </remarks>
public static class ExportReader
{
    /// <summary>Reads every accepted row of <paramref name="export"/> into memory.</summary>
    /// <param name="export">The export's bytes, plain or gzip.</param>
    /// <param name="sourceName">The file or blob name, used in messages.</param>
    /// <param name="options">How to read the export.</param>
    /// <param name="rejected">Receives rejected rows; <see langword="null"/> to drop them (they are still counted).</param>
    /// <param name="cancellationToken">Cancels a long read.</param>
    /// <exception cref="ExportFormatException">The file as a whole cannot be used; the message says why.</exception>
    public static IReadOnlyList<Transaction> ReadTransactions(
        Stream export,
        string sourceName,
        ExportReaderOptions options,
        IRejectedRowSink? rejected = null,
        CancellationToken cancellationToken = default)
    {
        var consumer = new TransactionCollector(new List<Transaction>(), new Dictionary<string, string>(StringComparer.Ordinal));
        Parse(export, sourceName, options, rejected, ref consumer, cancellationToken);
        return consumer.Transactions;
    }

    /// <summary>Opens the export (undoing gzip) and runs the parser with <paramref name="consumer"/>.</summary>
    internal static ParseCounts Parse<TConsumer>(
        Stream export,
        string sourceName,
        ExportReaderOptions options,
        IRejectedRowSink? rejected,
        ref TConsumer consumer,
        CancellationToken cancellationToken)
        where TConsumer : struct, IRowConsumer
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(sourceName);
        ValidateOptions(sourceName, options);
        using var text = OpenText(export, sourceName, options);
        using var parser = new ExportParser(text, sourceName, options, rejected);
        return parser.Parse(ref consumer, cancellationToken);
    }

    internal static void ValidateOptions(string sourceName, in ExportReaderOptions options)
    {
        if (!(options.MaxRejectedShare is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxRejectedShare, $"{sourceName}: MaxRejectedShare must be in 0..1.");
        }

        if (options.MaxDecompressedBytes < 1 || !(options.MaxCompressionRatio >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"{sourceName}: MaxDecompressedBytes must be positive and MaxCompressionRatio at least 1.");
        }

        if (!(options.MaxAmount is > 0 and <= 1e15))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxAmount, $"{sourceName}: MaxAmount must be above 0 and at most 1e15.");
        }

        if (options.Delimiter is { } delimiter && delimiter is not (',' or ';' or '\t' or '|' or ' '))
        {
            throw new ArgumentOutOfRangeException(nameof(options), delimiter, $"{sourceName}: Delimiter must be ',', ';', tab, '|' or ' ' (runs of whitespace).");
        }
    }

    /// <summary>
    /// The export as plain text: wrapped in a gzip decoder when it starts with the gzip magic bytes <c>1F 8B</c> (judged by
    /// content, once, whatever the name says), with the decompressed size and ratio limited as <paramref name="options"/> set.
    /// </summary>
    internal static Stream OpenText(Stream export, string sourceName, in ExportReaderOptions options)
    {
        var head = new byte[2];
        var count = 0;
        while (count < head.Length)
        {
            var read = export.Read(head, count, head.Length - count);
            if (read == 0)
            {
                break;
            }

            count += read;
        }

        Stream whole = new PrefixedStream(head.AsMemory(0, count), export);
        if (count < 2 || head[0] != 0x1F || head[1] != 0x8B)
        {
            return whole;
        }

        var compressed = new CountingStream(whole);
        return new DecompressionLimitStream(new GZipStream(compressed, CompressionMode.Decompress), compressed, sourceName, options.MaxDecompressedBytes, options.MaxCompressionRatio);
    }

    private readonly struct TransactionCollector(List<Transaction> transactions, Dictionary<string, string> ids) : IRowConsumer
    {
        public List<Transaction> Transactions { get; } = transactions;

        public void Accept(in ParsedRow row)
        {
            var customer = Intern(row.CustomerId);
            var orderId = row.OrderId.IsEmpty ? null : Encoding.UTF8.GetString(row.OrderId);
            var timestamp = new DateTime(DateOnly.FromDayNumber(row.DayNumber), TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(row.SecondOfDay)));
            Transactions.Add(new Transaction(customer, timestamp, row.Amount, orderId, row.Quantity));
        }

        private string Intern(ReadOnlySpan<byte> utf8)
        {
            var text = Encoding.UTF8.GetString(utf8);
            if (ids.TryGetValue(text, out var existing))
            {
                return existing;
            }

            ids.Add(text, text);
            return text;
        }
    }
}
