using System.Globalization;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Scoring;
using Clv.Modeling.Synthetic;

namespace Clv.Modeling.Tests.Features;

/// <summary>
/// The partials and predictions Parquet files read back by DuckDB, a reader independent of the Parquet library that
/// wrote them (checks/parquet-reader.py is the other one): column names and types, row counts and sums.
/// </summary>
public sealed class DuckDbParquetReaderTests : IDisposable
{
    private const double SpendTolerance = 1e-6;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-duckdb-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static List<object?[]> Query(string sql) => DuckDbQuery.Rows(sql);

    /// <summary>Column names and DuckDB types, in file order.</summary>
    private static List<(string Name, string Type)> ColumnTypes(string path) =>
        [.. Query($"DESCRIBE SELECT * FROM read_parquet('{path}')").Select(row => ((string)row[0]!, (string)row[1]!))];

    private static DateOnly ToDate(object? value) => value switch
    {
        DateOnly date => date,
        DateTime time => DateOnly.FromDateTime(time),
        _ => throw new InvalidCastException($"DuckDB returned a {value?.GetType().Name ?? "null"} for a DATE"),
    };

    private static string TypeOf(List<(string Name, string Type)> columns, string name) => columns.Single(c => c.Name == name).Type;

    [Fact]
    public async Task Partials_ReadByDuckDb_HaveTheColumnsTypesRowsAndSumsThatFeaturizeReported()
    {
        using var export = new MemoryStream();
        SyntheticExportGenerator.Write(export, new SyntheticExportOptions { Customers = 400, Seed = 9, Weeks = 40 }, TestContext.Current.CancellationToken);
        export.Position = 0;
        var result = ExportFeaturizer.Featurize(export, "synthetic.csv", ExportReaderOptions.Default, BucketSize.Day, rejected: null, TestContext.Current.CancellationToken);
        var partials = result.Partials;
        var path = Path.Combine(_directory.FullName, "synthetic.parquet");
        await using (var file = File.Create(path))
        {
            await partials.WriteParquetAsync(file, TestContext.Current.CancellationToken);
        }

        var types = ColumnTypes(path);
        var sums = Query($"SELECT count(*), count(DISTINCT customer_id), sum(net_spend), sum(orders)::BIGINT, sum(items), sum(returns)::BIGINT, min(bucket_start), max(bucket_start) FROM read_parquet('{path}')").Single();

        Assert.Equal(["customer_id", "bucket_start", "net_spend", "orders", "items", "returns"], types.Select(c => c.Name));
        Assert.Equal(["VARCHAR", "DATE", "DOUBLE", "INTEGER", "DOUBLE", "INTEGER"], types.Select(c => c.Type));
        Assert.Equal((long)partials.Count, Convert.ToInt64(sums[0], CultureInfo.InvariantCulture));
        Assert.Equal((long)result.Summary.Customers, Convert.ToInt64(sums[1], CultureInfo.InvariantCulture));
        Assert.Equal(result.Summary.TotalSpend, (double)sums[2]!, SpendTolerance * Math.Abs(result.Summary.TotalSpend));
        Assert.Equal(partials.Orders.Sum(o => (long)o), Convert.ToInt64(sums[3], CultureInfo.InvariantCulture));
        Assert.Equal(partials.Items.Sum(), (double)sums[4]!, 1e-6);
        Assert.Equal(partials.Returns.Sum(r => (long)r), Convert.ToInt64(sums[5], CultureInfo.InvariantCulture));
        Assert.Equal(partials.BucketStarts.Min(), ToDate(sums[6]));
        Assert.Equal(partials.BucketStarts.Max(), ToDate(sums[7]));
    }

    [Fact]
    public async Task Predictions_ReadByDuckDb_HaveTheColumnsTypesRowsAndSumsWritten()
    {
        var random = new Random(3);
        var count = 1000;
        var ids = Enumerable.Range(0, count).Select(i => "customer-" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var clv = Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 500)).ToArray();
        var pPurchase = Enumerable.Range(0, count).Select(_ => (float)random.NextDouble()).ToArray();
        var p10 = clv.Select(c => c * 0.1f).ToArray();
        var p50 = clv.Select(c => c * 0.6f).ToArray();
        var p90 = clv.Select(c => c * 2.5f).ToArray();
        var path = Path.Combine(_directory.FullName, "predictions.parquet");
        await using (var file = File.Create(path))
        {
            await PredictionFiles.WriteParquetAsync(new ClvPredictionBatch(ids, clv, pPurchase, p10, p50, p90), "20240301-abc", new DateOnly(2024, 3, 1), file, TestContext.Current.CancellationToken);
        }

        var types = ColumnTypes(path);
        var sums = Query($"SELECT count(*), count(DISTINCT customer_id), sum(clv), sum(p_purchase), min(model_version), max(model_version), min(as_of), max(as_of), sum(clv_p10), sum(clv_p90) FROM read_parquet('{path}')").Single();
        var first = Query($"SELECT customer_id, clv FROM read_parquet('{path}') LIMIT 1").Single();

        Assert.Equal("VARCHAR", TypeOf(types, "customer_id"));
        Assert.Equal("FLOAT", TypeOf(types, "clv"));
        Assert.Equal("FLOAT", TypeOf(types, "p_purchase"));
        Assert.Equal("FLOAT", TypeOf(types, "clv_p10"));
        Assert.Equal("FLOAT", TypeOf(types, "clv_p50"));
        Assert.Equal("FLOAT", TypeOf(types, "clv_p90"));
        Assert.Equal("VARCHAR", TypeOf(types, "model_version"));
        Assert.Equal("DATE", TypeOf(types, "as_of"));
        Assert.Equal((long)count, Convert.ToInt64(sums[0], CultureInfo.InvariantCulture));
        Assert.Equal((long)count, Convert.ToInt64(sums[1], CultureInfo.InvariantCulture));
        Assert.Equal(clv.Sum(c => (double)c), Convert.ToDouble(sums[2], CultureInfo.InvariantCulture), 1e-3);
        Assert.Equal(pPurchase.Sum(p => (double)p), Convert.ToDouble(sums[3], CultureInfo.InvariantCulture), 1e-4);
        Assert.Equal("20240301-abc", sums[4]);
        Assert.Equal("20240301-abc", sums[5]);
        Assert.Equal(new DateOnly(2024, 3, 1), ToDate(sums[6]));
        Assert.Equal(new DateOnly(2024, 3, 1), ToDate(sums[7]));
        Assert.Equal(p10.Sum(c => (double)c), Convert.ToDouble(sums[8], CultureInfo.InvariantCulture), 1e-3);
        Assert.Equal(p90.Sum(c => (double)c), Convert.ToDouble(sums[9], CultureInfo.InvariantCulture), 1e-2);
        Assert.Equal("customer-0", first[0]);
        Assert.Equal(clv[0], Convert.ToSingle(first[1], CultureInfo.InvariantCulture));
    }
}
