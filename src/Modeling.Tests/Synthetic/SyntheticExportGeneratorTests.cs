using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Synthetic;

namespace Clv.Modeling.Tests.Synthetic;

public class SyntheticExportGeneratorTests
{
    private const double SpendTolerance = 1e-6;

    private static readonly SyntheticExportOptions Small = new() { Mode = SyntheticMode.BgNbd, Customers = 2_000, Seed = 11, DirtyRowRate = 0.01 };

    private static (byte[] Bytes, SyntheticExportSummary Summary) Generate(SyntheticExportOptions options)
    {
        using var stream = new MemoryStream();
        var summary = SyntheticExportGenerator.Write(stream, options, TestContext.Current.CancellationToken);
        return (stream.ToArray(), summary);
    }

    [Fact]
    public void SameSeed_GivesIdenticalBytes()
    {
        Assert.Equal(Generate(Small).Bytes, Generate(Small).Bytes);
    }

    [Fact]
    public void OtherSeed_GivesOtherData()
    {
        Assert.NotEqual(Generate(Small).Bytes, Generate(Small with { Seed = 12 }).Bytes);
    }

    [Fact]
    public void Reader_RecoversTheGroundTruth()
    {
        var (bytes, summary) = Generate(Small);
        var rejected = new RejectedRowList();

        var result = ExportFeaturizer.Featurize(new MemoryStream(bytes), "synthetic.csv", new ExportReaderOptions(), BucketSize.Week, rejected, TestContext.Current.CancellationToken);

        Assert.Equal(summary.Rows, result.Summary.Rows);
        Assert.Equal(summary.DirtyRows, result.Summary.Rejected);
        Assert.Equal(summary.Customers, result.Summary.Customers);
        Assert.Equal(summary.TotalSpend, result.Summary.TotalSpend, SpendTolerance * Math.Abs(summary.TotalSpend));
        Assert.Equal(bytes.Length, summary.TextBytes);
        Assert.Collection(
            rejected.Rows.Take(4),
            row => Assert.EndsWith("holds control characters", row.Reason, StringComparison.Ordinal),
            row => Assert.StartsWith("unparseable date '2023-02-30T10:00:00'", row.Reason, StringComparison.Ordinal),
            row => Assert.StartsWith("unparseable amount '12.3.4'", row.Reason, StringComparison.Ordinal),
            row => Assert.Equal("expected 6 fields, found 7", row.Reason));
    }

    [Fact]
    public void Export_HasReturnsCohortsAndRepeatCustomers()
    {
        var (bytes, _) = Generate(Small with { DirtyRowRate = 0 });

        var partials = ExportFeaturizer.Featurize(new MemoryStream(bytes), "synthetic.csv", new ExportReaderOptions(), BucketSize.Month, null, TestContext.Current.CancellationToken).Partials;

        Assert.True(partials.Returns.Sum() > 0, "no returns generated");
        var firstMonths = SequenceBuilderFirstBuckets(partials);
        Assert.True(firstMonths.Distinct().Count() >= 4, "fewer than 4 acquisition months");
        Assert.True(partials.Count > partials.CustomerCount * 1.5, "too few repeat purchases");
    }

    [Fact]
    public void TargetBytes_GrowsTheExportToAtLeastThatSize()
    {
        const long Target = 3_000_000;

        var (bytes, summary) = Generate(Small with { TargetBytes = Target });

        Assert.InRange(bytes.LongLength, Target, Target + 2_000_000);
        Assert.True(summary.Customers > Small.Customers, "target size should need more customers than the default count");
    }

    [Fact]
    public void GzipFile_ReadsLikeThePlainOne()
    {
        var directory = Directory.CreateTempSubdirectory("clv-synthetic-");
        try
        {
            var plainPath = Path.Combine(directory.FullName, "export.csv");
            var gzipPath = Path.Combine(directory.FullName, "export.csv.gz");
            SyntheticExportGenerator.WriteFile(plainPath, Small, TestContext.Current.CancellationToken);
            SyntheticExportGenerator.WriteFile(gzipPath, Small, TestContext.Current.CancellationToken);
            using var plain = File.OpenRead(plainPath);
            using var gzip = File.OpenRead(gzipPath);

            var fromPlain = ExportFeaturizer.Featurize(plain, "export.csv", new ExportReaderOptions(), BucketSize.Week, null, TestContext.Current.CancellationToken);
            var fromGzip = ExportFeaturizer.Featurize(gzip, "export.csv.gz", new ExportReaderOptions(), BucketSize.Week, null, TestContext.Current.CancellationToken);

            Features.PartialsAssert.Equal(fromPlain.Partials, fromGzip.Partials);
            Assert.True(new FileInfo(gzipPath).Length < new FileInfo(plainPath).Length / 2, "gzip file is not compressed");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static IEnumerable<DateOnly> SequenceBuilderFirstBuckets(PartialAggregates partials) =>
        partials.CustomerIds.Select((id, i) => (id, i)).GroupBy(x => x.id).Select(g => partials.BucketStarts[g.First().i]);
}
