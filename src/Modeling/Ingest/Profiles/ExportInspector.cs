using System.Text;

namespace Clv.Modeling.Ingest;

/// <summary>What reading an export would do, found without writing anything (<c>clv inspect</c>).</summary>
/// <param name="SourceName">The file or blob name.</param>
/// <param name="Profile">The profile the export is read with, or <c>generic</c>.</param>
/// <param name="Platform">The profile's platform in words, or <see langword="null"/> for <c>generic</c>.</param>
/// <param name="Columns">Each role and the header name it is read from (customer, date, amount, refund, order, ...).</param>
/// <param name="NonRevenue">Each status column and the values that make a row not revenue.</param>
/// <param name="DateFormat">The date layout in use.</param>
/// <param name="Currency">The currency amounts are counted in, or <see langword="null"/> when the export names none.</param>
/// <param name="HashedIds">Whether e-mail and phone customer ids are keyed.</param>
/// <param name="Mapping">The options that were set, as a mapping file would set them.</param>
/// <param name="Rows">The first accepted rows, as they would be counted.</param>
/// <param name="Counts">Rows read, accepted, rejected, skipped and excluded over the whole file.</param>
/// <param name="TotalSpend">The sum of accepted amounts.</param>
/// <param name="Rejected">The first rejected rows, with line number and reason.</param>
/// <param name="Failure">Why the file would fail as a whole (too many rejected rows), or <see langword="null"/>.</param>
public sealed record ExportInspection(
    string SourceName,
    string Profile,
    string? Platform,
    IReadOnlyList<KeyValuePair<string, string>> Columns,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> NonRevenue,
    string DateFormat,
    string? Currency,
    bool HashedIds,
    ExportMapping Mapping,
    IReadOnlyList<Transaction> Rows,
    ExportInspectionCounts Counts,
    double TotalSpend,
    IReadOnlyList<RejectedRow> Rejected,
    string? Failure);

/// <summary>Row counts of an inspected export.</summary>
/// <param name="Rows">Data rows read.</param>
/// <param name="Accepted">Rows that would count.</param>
/// <param name="Rejected">Rows that would be rejected.</param>
/// <param name="Skipped">Further lines of orders counted once, and guest rows.</param>
/// <param name="Excluded">Rows that are not revenue.</param>
public sealed record ExportInspectionCounts(long Rows, long Accepted, long Rejected, long Skipped, long Excluded);

/// <summary>Reads an export the way featurizing does, keeping the first rows and rejections instead of writing anything.</summary>
public static class ExportInspector
{
    /// <summary>Inspects <paramref name="export"/>.</summary>
    /// <param name="export">The export's bytes, plain or gzip.</param>
    /// <param name="sourceName">The file or blob name, used in messages.</param>
    /// <param name="options">How to read the export.</param>
    /// <param name="sampleRows">How many accepted and rejected rows to keep.</param>
    /// <param name="cancellationToken">Cancels a long read.</param>
    /// <exception cref="ExportFormatException">The file's layout cannot be used (columns, dates, key); the message says why.</exception>
    public static ExportInspection Inspect(Stream export, string sourceName, ExportReaderOptions options, int sampleRows = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentOutOfRangeException.ThrowIfNegative(sampleRows);
        ExportReader.ValidateOptions(sourceName, options);
        using var text = ExportReader.OpenText(export, sourceName, options);
        using var parser = new ExportParser(text, sourceName, options, null);
        var layout = parser.Open() ?? throw new ExportFormatException(sourceName, "the file has no rows.");
        var rows = new List<Transaction>();
        var consumer = new Sampler(rows, sampleRows);
        var rejected = new FirstRejected(sampleRows);
        var records = new RecordParser(layout);
        var chunkRejected = new RejectedRowList();
        var counts = default(ParseCounts);
        var chunks = parser.Chunks(ExportChunkReader.DefaultChunkBytes);
        while (chunks.Next() is { } chunk)
        {
            using (chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                counts += records.ParseChunk(chunk.Data, chunk.FirstLine, ref consumer, chunkRejected);
                foreach (var row in chunkRejected.Rows)
                {
                    rejected.Add(row);
                }

                chunkRejected.Clear();
            }
        }

        var columns = layout.Columns;
        string? failure = null;
        if (counts.Rows > 0 && counts.Rejected > options.MaxRejectedShare * counts.Rows)
        {
            var flags = options.OptionNames ?? ExportOptionNames.Properties;
            failure = $"{counts.Rejected:N0} of {counts.Rows:N0} rows would be rejected ({100.0 * counts.Rejected / counts.Rows:0.0}%), over the {100 * options.MaxRejectedShare:0.##}% threshold ({flags.MaxRejectedShare}).";
        }

        return new ExportInspection(
            sourceName,
            columns.ProfileName,
            columns.Profile?.Platform,
            Roles(columns),
            [.. columns.Exclusions.Select(e => new KeyValuePair<string, IReadOnlyList<string>>(columns.Name(e.Column), e.Values.Select(v => Encoding.UTF8.GetString(v)).ToArray()))],
            DateLayouts.Name(layout.DateLayout),
            columns.Rules?.Currency,
            columns.Rules?.Hasher is not null,
            ExportMapping.From(options),
            rows,
            new ExportInspectionCounts(counts.Rows, counts.Accepted, counts.Rejected, counts.Skipped, counts.Excluded),
            consumer.Spend.Value,
            rejected.Rows,
            failure);
    }

    private static List<KeyValuePair<string, string>> Roles(ExportColumns columns)
    {
        var roles = new List<KeyValuePair<string, string>>();
        void Add(string role, int index)
        {
            if (index >= 0)
            {
                roles.Add(new(role, columns.Name(index)));
            }
        }

        Add("customer", columns.Customer);
        Add("customer (when blank)", columns.CustomerFallback);
        Add("date", columns.Timestamp);
        Add("amount", columns.Amount);
        Add("refund", columns.Refund);
        Add("order", columns.OrderId);
        Add("quantity", columns.Quantity);
        Add("unit price", columns.UnitPrice);
        Add("currency", columns.Currency);
        return roles;
    }

    /// <summary>Keeps the first accepted rows and sums every accepted amount.</summary>
    private readonly struct Sampler(List<Transaction> rows, int limit) : IRowConsumer
    {
        public StrongBox Spend { get; } = new();

        public void Accept(in ParsedRow row)
        {
            Spend.Value += row.Amount;
            if (rows.Count < limit)
            {
                var timestamp = new DateTime(DateOnly.FromDayNumber(row.DayNumber), TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(row.SecondOfDay)));
                var orderId = row.OrderId.IsEmpty ? null : Encoding.UTF8.GetString(row.OrderId);
                rows.Add(new Transaction(Encoding.UTF8.GetString(row.CustomerId), timestamp, row.Amount, orderId, row.Quantity));
            }
        }
    }

    /// <summary>A mutable total shared by copies of a struct consumer.</summary>
    private sealed class StrongBox
    {
        public double Value { get; set; }
    }

    /// <summary>Keeps the first rejected rows.</summary>
    private sealed class FirstRejected(int limit)
    {
        private readonly List<RejectedRow> _rows = [];

        public IReadOnlyList<RejectedRow> Rows => _rows;

        public void Add(RejectedRow row)
        {
            if (_rows.Count < limit)
            {
                _rows.Add(row);
            }
        }
    }
}
