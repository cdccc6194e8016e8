using System.Globalization;
using Clv.Modeling.Baselines;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Baselines;

/// <summary>
/// Test-only readers of the CDNOW reference files in <c>../shared/data/cdnow</c> (next to the repository root).
/// Tests call <see cref="RequireFile"/>, which skips with the reason when the data is absent.
/// </summary>
internal static class CdnowTestData
{
    /// <summary>Last day of the standard calibration period (39 weeks from 1997-01-01).</summary>
    public static readonly DateTime CalibrationEnd = new(1997, 9, 30);

    /// <summary>Last day of the standard holdout period (39 more weeks).</summary>
    public static readonly DateTime HoldoutEnd = new(1998, 6, 30);

    public static string RequireFile(string fileName)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
        {
            directory = directory.Parent;
        }

        var path = directory is null ? null : Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", "cdnow", fileName));
        if (path is null || !File.Exists(path))
        {
            Assert.Skip($"CDNOW reference data not found ({path ?? fileName}); these checks need ../shared/data/cdnow next to the repository.");
        }

        return path;
    }

    /// <summary>
    /// Reads <c>CDNOW_sample.txt</c>: no header, whitespace-separated
    /// <c>master_id sample_id date(YYYYMMDD) number_of_cds dollar_value</c>; the customer id is the sample id
    /// without leading zeros, as in <c>cdnow_customers_summary.csv</c>.
    /// </summary>
    public static IReadOnlyList<Transaction> ReadSampleTransactions(string path)
    {
        var transactions = new List<Transaction>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (fields.Length != 5)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 5 fields, found {fields.Length}.");
            }

            transactions.Add(new Transaction(
                int.Parse(fields[1], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
                DateTime.ParseExact(fields[2], "yyyyMMdd", CultureInfo.InvariantCulture),
                double.Parse(fields[4], CultureInfo.InvariantCulture),
                Quantity: double.Parse(fields[3], CultureInfo.InvariantCulture)));
        }

        return transactions;
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
