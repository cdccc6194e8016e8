using System.Globalization;
using Clv.Modeling.Baselines;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Baselines;

/// <summary>
/// Readers of the CDNOW reference files in <c>../shared/data/cdnow</c> (next to the repository root).
/// Tests call <see cref="RequireFile"/>, which skips with the reason when the data is absent.
/// </summary>
internal static class CdnowTestData
{
    /// <summary>Last day of the standard calibration period (39 weeks from 1997-01-01).</summary>
    public static readonly DateTime CalibrationEnd = new(1997, 9, 30);

    /// <summary>Last day of the holdout period (39 more weeks).</summary>
    public static readonly DateTime HoldoutEnd = new(1998, 6, 30);

    /// <summary>The reference file, or a skip with the reason when <c>../shared/data</c> is absent.</summary>
    public static string RequireFile(string fileName) => ReferenceData.CdnowFile(fileName);

    /// <summary>
    /// Reads <c>CDNOW_sample.txt</c> with the product's export reader: no header, whitespace-separated
    /// <c>master_id sample_id date number_of_cds dollar_value</c>; the customer is the 1..2357 sample id.
    /// </summary>
    public static IReadOnlyList<Transaction> ReadSampleTransactions(string path)
    {
        var options = new ExportReaderOptions
        {
            HasHeader = false,
            CustomerIdColumn = "2",
            TimestampColumn = "3",
            QuantityColumn = "4",
            AmountColumn = "5",
            DateFormat = "yyyyMMdd",
        };
        using var stream = File.OpenRead(path);
        var transactions = ExportReader.ReadTransactions(stream, Path.GetFileName(path), options);
        return [.. transactions.Select(t => t with { CustomerId = int.Parse(t.CustomerId, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) })];
    }

    /// <summary>Reads <c>cdnow_customers_summary.csv</c> (<c>ID,frequency,recency,T</c>, weeks) as summaries without spend.</summary>
    public static IReadOnlyList<RfmSummary> ReadSummary(string path) =>
        File.ReadLines(path)
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(f => new RfmSummary(
                f[0],
                int.Parse(f[1], CultureInfo.InvariantCulture),
                double.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture),
                MeanRepeatSpend: 0,
                CalibrationSpend: 0))
            .ToArray();
}
