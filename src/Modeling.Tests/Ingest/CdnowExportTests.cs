using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Ingest;

public class CdnowExportTests
{
    private const double SpendTolerance = 0.005;

    [Fact]
    public void CdnowMaster_ReadsEveryRowWithPublishedTotals()
    {
        var path = ReferenceData.CdnowFile("CDNOW_master.txt");
        var rejected = new RejectedRowList();
        using var file = File.OpenRead(path);

        var result = ExportFeaturizer.Featurize(file, "CDNOW_master.txt", new ExportReaderOptions(), BucketSize.Week, rejected, TestContext.Current.CancellationToken);

        Assert.Empty(rejected.Rows);
        Assert.Equal(69_659, result.Summary.Rows);
        Assert.Equal(69_659, result.Summary.Accepted);
        Assert.Equal(23_570, result.Summary.Customers);
        Assert.Equal(2_500_315.63, result.Summary.TotalSpend, SpendTolerance);
        Assert.Equal(2_500_315.63, result.Partials.NetSpend.Sum(), SpendTolerance);
    }

    [Fact]
    public void CdnowMaster_TransactionsCarryCustomerDateQuantityAndAmount()
    {
        var path = ReferenceData.CdnowFile("CDNOW_master.txt");
        using var file = File.OpenRead(path);

        var transactions = ExportReader.ReadTransactions(file, "CDNOW_master.txt", new ExportReaderOptions(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(69_659, transactions.Count);
        Assert.Equal(new Transaction("00001", new DateTime(1997, 1, 1), 11.77, null, 1), transactions[0]);
        Assert.Equal(new DateTime(1997, 1, 1), transactions.Min(t => t.Timestamp));
        Assert.Equal(new DateTime(1998, 6, 30), transactions.Max(t => t.Timestamp));
    }

    [Fact]
    public void CdnowSample_ReadsWithoutHeaderThroughColumnNumbers()
    {
        var path = ReferenceData.CdnowFile("CDNOW_sample.txt");
        var options = new ExportReaderOptions { HasHeader = false, CustomerIdColumn = "1", TimestampColumn = "3", QuantityColumn = "4", AmountColumn = "5" };
        var rejected = new RejectedRowList();
        using var file = File.OpenRead(path);

        var result = ExportFeaturizer.Featurize(file, "CDNOW_sample.txt", options, BucketSize.Day, rejected, TestContext.Current.CancellationToken);

        Assert.Empty(rejected.Rows);
        Assert.Equal(6_919, result.Summary.Rows);
        Assert.Equal(2_357, result.Summary.Customers);
        Assert.Equal(6_696, result.Partials.Orders.Sum());
    }
}
