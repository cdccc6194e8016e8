using System.Text;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Workflow;

namespace Clv.Modeling.Tests.Ingest;

/// <summary>Exports as production sends them: guest orders, stray dates, absurd amounts, hostile ids. Read by the real featurizer.</summary>
public class HostileExportTests
{
    private static readonly DateTimeOffset IngestedAt = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static FeaturizeResult Featurize(string text, ExportReaderOptions options, RejectedRowList rejected, BucketSize bucket = BucketSize.Day) =>
        ExportFeaturizer.Featurize(new MemoryStream(Encoding.UTF8.GetBytes(text)), "orders.csv", options, bucket, rejected, TestContext.Current.CancellationToken);

    [Fact]
    public void GuestRows_AreSkippedAndCountedApart_AndDoNotCountTowardTheRejectedShare()
    {
        // A quarter of the lines are guest orders: over the 20% threshold if they counted as rejected.
        var text = "customer_id,order_date,amount\nc1,2024-03-01,10\n,2024-03-01,5\nc2,2024-03-02,20\n  ,2024-03-03,7\nc3,2024-03-03,30\nc1,2024-03-04,1\n\"\",2024-03-04,2\nc2,2024-03-05,3\n";
        var rejected = new RejectedRowList();

        var result = Featurize(text, new ExportReaderOptions { IngestedAt = IngestedAt }, rejected);

        Assert.Equal(8, result.Summary.Rows);
        Assert.Equal(5, result.Summary.Accepted);
        Assert.Equal(0, result.Summary.Rejected);
        Assert.Equal(3, result.Summary.Skipped);
        Assert.Equal(result.Summary.Rows, result.Summary.Accepted + result.Summary.Rejected + result.Summary.Skipped);
        Assert.Empty(rejected.Rows);
        Assert.Equal(64, result.Summary.TotalSpend, 1e-9);
        Assert.Equal(3, result.Summary.Customers);
    }

    [Fact]
    public void RejectedShare_IsTakenOverRowsWithACustomer()
    {
        // 2 guest rows, 1 bad of 4 customer rows: 25% over 20% fails, and the message tells the skipped rows apart.
        var text = "customer_id,order_date,amount\nc1,2024-03-01,10\n,2024-03-01,5\nc2,2024-03-02,x\n,2024-03-03,7\nc3,2024-03-03,30\nc4,2024-03-03,30\n";

        var error = Assert.Throws<ExportFormatException>(() => Featurize(text, new ExportReaderOptions { IngestedAt = IngestedAt }, new RejectedRowList()));

        Assert.StartsWith("orders.csv: 1 of 4 rows rejected (25.0%), over the 20% threshold (MaxRejectedShare) (2 rows skipped besides: guest rows without a customer id, further lines of an order); first: line 4: unparseable amount 'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CdnowWithAStrayFutureRowAndAnOutlier_RejectsTheFutureRowAndKeepsTheAsOfOfTheBulk()
    {
        var path = ReferenceData.CdnowFile("CDNOW_master.txt");
        var text = File.ReadAllText(path) + " 23571 20990105  1   11.77\r\n 23572 20250105  1   12.00\r\n";
        var rejected = new RejectedRowList();

        var result = Featurize(text, new ExportReaderOptions { IngestedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) }, rejected);
        var asOf = ModelBuilder.LastDay(result.Partials, out var cellsAfter);

        var row = Assert.Single(rejected.Rows);
        Assert.Equal(69_661, row.LineNumber);
        Assert.Equal("date '20990105' in column 'date' is after the time of ingestion (the latest date accepted is 2026-01-02, a day after it)", row.Reason);
        Assert.Equal(69_660, result.Summary.Accepted);
        Assert.Equal(new DateOnly(1998, 6, 30), asOf);
        Assert.Equal(1, cellsAfter);
    }

    [Fact]
    public void LastDay_OfAFewRows_IsTheirLastDay()
    {
        var text = "customer_id,order_date,amount\nc1,2024-01-01,10\nc2,2024-05-01,5\n";

        var result = Featurize(text, new ExportReaderOptions { IngestedAt = IngestedAt }, new RejectedRowList());

        Assert.Equal(new DateOnly(2024, 5, 1), ModelBuilder.LastDay(result.Partials, out var cellsAfter));
        Assert.Equal(0, cellsAfter);
    }

    [Theory]
    [InlineData(BucketSize.Day)]
    [InlineData(BucketSize.Week)]
    [InlineData(BucketSize.Month)]
    public void DatesAtTheCalendarsEnds_AreReadOrRejectedWithoutOverflow(BucketSize bucket)
    {
        var text = "customer_id,order_date,amount\nc1,9999-12-31,10\nc2,9999-12-31T23:00:00-05:00,5\nc3,0001-01-01T00:00:00+01:00,5\nc4,9999-12-30,1\n";
        var rejected = new RejectedRowList();
        var options = new ExportReaderOptions { IngestedAt = DateTimeOffset.MaxValue, MaxRejectedShare = 1 };

        var result = Featurize(text, options, rejected, bucket);
        var asOf = ModelBuilder.LastDay(result.Partials);
        var cutoff = TrainingExampleBuilder.Cutoff(asOf, 26, bucket);
        var examples = TrainingExampleBuilder.Build(result.Partials, asOf, 1, 4);

        Assert.Equal(2, result.Summary.Accepted);
        Assert.Collection(
            rejected.Rows,
            r => Assert.Equal("date '9999-12-31T23:00:00-05:00' in column 'order_date' is after the time of ingestion (the latest date accepted is 9999-12-31, a day after it)", r.Reason),
            r => Assert.Equal("date '0001-01-01T00:00:00+01:00' in column 'order_date' is before 1970-01-01", r.Reason));
        Assert.Equal(DateOnly.MaxValue, asOf);
        Assert.True(cutoff < asOf);
        Assert.All(examples.Labels, label => Assert.True(float.IsFinite(label)));
    }

    [Fact]
    public void Amounts_BeyondTheBoundOrNotFinite_AreRejected_AndNothingNonFiniteReachesThePartials()
    {
        var text = "customer_id,order_date,amount\nc1,2024-03-01,1000000000\nc2,2024-03-01,1000000000.01\nc3,2024-03-01,-2e9\nc4,2024-03-01,NaN\nc5,2024-03-01,-Infinity\nc6,2024-03-01,1e400\nc7,2024-03-01,12.5\n";
        var rejected = new RejectedRowList();

        var result = Featurize(text, new ExportReaderOptions { IngestedAt = IngestedAt, MaxRejectedShare = 1 }, rejected);

        Assert.Equal(2, result.Summary.Accepted);
        Assert.Equal(
            [
                "amount '1000000000.01' in column 'amount' is beyond the limit of 1000000000 (MaxAmount)",
                "amount '-2e9' in column 'amount' is beyond the limit of 1000000000 (MaxAmount)",
                "unparseable amount 'NaN' in column 'amount'",
                "unparseable amount '-Infinity' in column 'amount'",
                "unparseable amount '1e400' in column 'amount'",
            ],
            rejected.Rows.Select(r => r.Reason));
        Assert.Equal([3L, 4, 5, 6, 7], rejected.Rows.Select(r => r.LineNumber));
        Assert.All(result.Partials.NetSpend, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(1_000_000_012.5, result.Summary.TotalSpend, 1e-6);
    }

    [Fact]
    public void MaxAmount_IsConfigurable()
    {
        var text = "customer_id,order_date,amount\nc1,2024-03-01,99\nc2,2024-03-01,101\n";
        var rejected = new RejectedRowList();

        var result = Featurize(text, new ExportReaderOptions { IngestedAt = IngestedAt, MaxRejectedShare = 1, MaxAmount = 100 }, rejected);

        Assert.Equal(1, result.Summary.Accepted);
        Assert.Equal("amount '101' in column 'amount' is beyond the limit of 100 (MaxAmount)", Assert.Single(rejected.Rows).Reason);
    }

    [Fact]
    public void CustomerIdAtTheLengthLimit_IsAccepted_AndOneByteMoreIsRejected()
    {
        var atLimit = new string('é', ExportReaderOptions.MaxCustomerIdBytes / 2);
        var over = atLimit + "x";
        var text = $"customer_id,order_date,amount\n{atLimit},2024-03-01,1\n{over},2024-03-01,1\n";
        var rejected = new RejectedRowList();

        var result = Featurize(text, new ExportReaderOptions { IngestedAt = IngestedAt, MaxRejectedShare = 1 }, rejected);

        Assert.Equal([atLimit], result.Partials.CustomerIds);
        var row = Assert.Single(rejected.Rows);
        Assert.Equal(3, row.LineNumber);
        Assert.EndsWith("is 257 bytes long, over the limit of 256 bytes", row.Reason, StringComparison.Ordinal);
    }
}
