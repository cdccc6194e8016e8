using System.Text;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Tests.Ingest;
using Clv.Testing;

namespace Clv.Modeling.Tests.Ingest.Profiles;

public class ExportProfileTests
{
    private static readonly CustomerIdHasher Hasher = new(PlatformSamples.IdKey);

    public static TheoryData<string> Profiles => new(PlatformSamples.All.Select(s => s.Profile));

    private static PlatformSamples.Sample SampleOf(string profile) => PlatformSamples.All.Single(s => s.Profile == profile);

    private static FeaturizeResult Featurize(string text, ExportReaderOptions options, RejectedRowList? rejected = null, int threads = 1, int chunkBytes = 1 << 20)
    {
        using var stream = ExportText.Stream(text);
        return ExportFeaturizer.Featurize(stream, "export.csv", options, BucketSize.Day, rejected, threads, chunkBytes, TestContext.Current.CancellationToken);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void PlatformSample_IsDetectedAndCountsEachOrderOnceNetOfRefunds(string profile)
    {
        var sample = SampleOf(profile);
        var rejected = new RejectedRowList();

        var summary = Featurize(sample.Text, new ExportReaderOptions { CustomerIdHasher = Hasher }, rejected).Summary;

        Assert.Equal(sample.Profile, summary.Profile);
        Assert.Equal(
            (sample.Rows, sample.Accepted, sample.Skipped, sample.Excluded, sample.Rejected, sample.Customers),
            (summary.Rows, summary.Accepted, summary.Skipped, summary.Excluded, summary.Rejected, summary.Customers));
        Assert.Equal(sample.TotalSpend, summary.TotalSpend, 1e-9);
        Assert.Equal(sample.Currency, summary.Currency);
        Assert.True(summary.HashedIds);
        Assert.Equal(sample.Rejected, rejected.Rows.Count);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void PlatformSample_SameFiguresOnManyThreadsAndTinyChunks(string profile)
    {
        var sample = SampleOf(profile);
        var options = new ExportReaderOptions { CustomerIdHasher = Hasher };

        var one = Featurize(sample.Text, options);
        var many = Featurize(sample.Text, options, threads: 3, chunkBytes: 300);

        Assert.Equal((one.Summary.Accepted, one.Summary.Skipped, one.Summary.Excluded), (many.Summary.Accepted, many.Summary.Skipped, many.Summary.Excluded));
        Assert.Equal(one.Partials.CustomerIds.Order(), many.Partials.CustomerIds.Order());
        Assert.Equal(one.Summary.TotalSpend, many.Summary.TotalSpend, 1e-9);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void PlatformSample_NoRawEmailReachesThePartials(string profile)
    {
        var partials = Featurize(SampleOf(profile).Text, new ExportReaderOptions { CustomerIdHasher = Hasher }).Partials;

        foreach (var id in partials.CustomerIds)
        {
            Assert.DoesNotContain('@', id);
            Assert.DoesNotContain(PlatformSamples.Emails, e => id.Contains(e, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Shopify_KeysEmailsCaseInsensitivelyAndSumsTheRightOrdersPerCustomer()
    {
        var partials = Featurize(PlatformSamples.Shopify.Text, new ExportReaderOptions { CustomerIdHasher = Hasher }).Partials;

        var jane = Hasher.Key("jane@example.com");
        var john = Hasher.Key("John@Example.com");
        Assert.Equal(new[] { jane, john }.Order(StringComparer.Ordinal), partials.CustomerIds.Distinct().Order(StringComparer.Ordinal));
        double Spend(string id) => Enumerable.Range(0, partials.Count).Where(i => partials.CustomerIds[i] == id).Sum(i => partials.NetSpend[i]);
        Assert.Equal(54.50, Spend(jane), 1e-9);
        Assert.Equal(60.00 + 25.00, Spend(john), 1e-9);
    }

    [Fact]
    public void Shopify_OffsetAfterASpace_IsConvertedToUtc()
    {
        var partials = Featurize(PlatformSamples.Shopify.Text, new ExportReaderOptions { CustomerIdHasher = Hasher }).Partials;

        // #1002 at 23:30 +0200 is 21:30 UTC on 2025-10-08; #1006 at 08:00 -0500 is 13:00 UTC on 2025-11-01.
        Assert.Equal([new DateOnly(2025, 10, 7), new DateOnly(2025, 10, 8), new DateOnly(2025, 11, 1)], partials.BucketStarts.Order());
    }

    [Fact]
    public void Currency_OtherCurrencyIsRejectedWithTheRuleOrConvertedWithARate()
    {
        var rejected = new RejectedRowList();
        var options = new ExportReaderOptions { CustomerIdHasher = Hasher, OptionNames = ExportOptionNames.MappingFile };

        var kept = Featurize(PlatformSamples.Shopify.Text, options, rejected).Summary;
        var converted = Featurize(PlatformSamples.Shopify.Text, options with { Currency = "EUR", CurrencyRates = new Dictionary<string, double> { ["USD"] = 0.9 } }).Summary;

        var row = Assert.Single(rejected.Rows);
        Assert.Equal(12, row.LineNumber);
        Assert.Contains("currency 'USD' in column 'Currency' is not EUR", row.Reason, StringComparison.Ordinal);
        Assert.Contains("\"currencyRates\"", row.Reason, StringComparison.Ordinal);
        Assert.Contains("carl@example.com", row.RawText, StringComparison.Ordinal);
        Assert.Equal(kept.TotalSpend + 90.0, converted.TotalSpend, 1e-9);
        Assert.Equal((0L, 3, 4L), (converted.Rejected, converted.Customers, converted.Accepted));
    }

    [Fact]
    public void Currency_ConfiguredCurrencyRejectsTheFilesOwn()
    {
        var summary = Featurize(PlatformSamples.WooCommerce.Text, new ExportReaderOptions { CustomerIdHasher = Hasher, Currency = "USD", MaxRejectedShare = 1 }).Summary;

        Assert.Equal(("USD", 0L, 3L), (summary.Currency, summary.Accepted, summary.Rejected));
    }

    [Fact]
    public void EmailIds_WithoutAKey_FailTheFileNamingTheSetting()
    {
        var options = new ExportReaderOptions { OptionNames = ExportOptionNames.Properties with { IdKey = "--id-key" } };

        var error = Assert.Throws<ExportFormatException>(() => Featurize(PlatformSamples.WooCommerce.Text, options));

        Assert.Contains("column 'billing_email' are e-mail addresses", error.Message, StringComparison.Ordinal);
        Assert.Contains("--id-key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GenericFileWithEmailIds_IsKeyedToo()
    {
        var text = "customer_id,order_date,amount\nA@x.org,2025-01-02,10\na@x.org,2025-01-03,5\n42,2025-01-03,7\n";

        var partials = Featurize(text, new ExportReaderOptions { CustomerIdHasher = Hasher }).Partials;

        Assert.Equal(new[] { "42", Hasher.Key("a@x.org") }.Order(StringComparer.Ordinal), partials.CustomerIds.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Mapping_OverridesTheProfilesStatusesAndColumns()
    {
        var mapping = ExportMapping.Read(new MemoryStream(Encoding.UTF8.GetBytes("""{ "nonRevenueStatuses": ["voided"], "currency": "EUR" }""")), "orders_export_1.mapping.json");
        var options = mapping.ApplyTo(new ExportReaderOptions { CustomerIdHasher = Hasher });

        var summary = Featurize(PlatformSamples.Shopify.Text, options).Summary;

        // Only #1004 is excluded now: refunded #1003 nets to 0 and pending #1005 counts 40.
        Assert.Equal((5L, 1L), (summary.Accepted, summary.Excluded));
        Assert.Equal(54.50 + 60.00 + 0 + 40.00 + 25.00, summary.TotalSpend, 1e-9);
    }

    [Fact]
    public void Mapping_GenericProfile_TurnsDetectionOff()
    {
        var options = new ExportMapping { Profile = "generic", CustomerColumn = "Email", DateColumn = "Created at", AmountColumn = "Total", OrderColumn = "Name" }
            .ApplyTo(new ExportReaderOptions { CustomerIdHasher = Hasher, MaxRejectedShare = 1 });

        var summary = Featurize(PlatformSamples.Shopify.Text, options).Summary;

        Assert.Equal("generic", summary.Profile);
        Assert.Equal(0, summary.Excluded);
    }

    [Theory]
    [InlineData("""{ "customerColum": "x" }""", "customerColum")]
    [InlineData("""{ "profile": "shopfy" }""", "\"profile\": 'shopfy' is not a profile")]
    [InlineData("""{ "currency": "euro" }""", "\"currency\": 'euro'")]
    [InlineData("""{ "currencyRates": { "USD": 0.9 } }""", "needs \"currency\"")]
    [InlineData("{ \"dateColumn\": 5 }", "line 1")]
    public void Mapping_BadFile_FailsNamingTheField(string json, string expected)
    {
        var error = Assert.Throws<ExportFormatException>(() => ExportMapping.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "orders.mapping.json"));

        Assert.StartsWith("orders.mapping.json: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroceryPanelColumns_AreFoundFromTheirHeaderNames()
    {
        var text = "household_id,store_id,basket_id,product_id,quantity,sales_value,retail_disc,transaction_timestamp\n"
            + "2261,309,31198461,1095275,1,0.5,0,2017-01-01 07:30:27\n2261,309,31198461,9878513,1,0.99,0.1,2017-01-01 07:30:27\n1923,292,31198468,12810393,1,2.5,0,2017-01-02 10:00:00\n";

        var result = Featurize(text, new ExportReaderOptions());

        Assert.Equal((3L, 2, 3.99), (result.Summary.Accepted, result.Summary.Customers, Math.Round(result.Summary.TotalSpend, 2)));
        Assert.Equal([1, 1], result.Partials.Orders);
    }

    [Fact]
    public void MissingColumns_NameTheHostsFlags()
    {
        var options = new ExportReaderOptions { OptionNames = ExportOptionNames.Properties with { CustomerColumn = "--customer-column" } };

        var error = Assert.Throws<ExportFormatException>(() => Featurize("shopper,when,paid\nx,2025-01-01,1\n", options));

        Assert.Contains("or set --customer-column", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("CustomerIdColumn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_PicksTheProfileFromTheHeaderOnly()
    {
        Assert.Equal("shopify-orders", ExportProfiles.Detect(PlatformSamples.Shopify.Text.Split('\n')[0].Split(','))?.Name);
        Assert.Null(ExportProfiles.Detect(["customer_id", "order_date", "amount"]));
    }

    [Fact]
    public void Hasher_IsKeyedStableAndCanonical()
    {
        var other = new CustomerIdHasher("another-secret-0123456789abcdef");

        Assert.Equal(Hasher.Key("jane@example.com"), Hasher.Key("  Jane@Example.COM "));
        Assert.NotEqual(Hasher.Key("jane@example.com"), other.Key("jane@example.com"));
        Assert.Equal(Hasher.Key("+49 170 1234567"), Hasher.Key("+491701234567"));
        Assert.Equal("cus_Qa1", Hasher.Key("cus_Qa1"));
        Assert.Matches("^h:[0-9a-f]{32}$", Hasher.Key("jane@example.com"));
        Assert.Throws<ArgumentException>(() => new CustomerIdHasher("short"));
        Assert.DoesNotContain(PlatformSamples.IdKey, Hasher.ToString(), StringComparison.Ordinal);
    }
}

public class CompleteJourneyExportTests
{
    [Fact]
    public void GroceryPanelSample_IsReadWithoutAnyMapping()
    {
        var path = ReferenceData.CompleteJourneyFile("completejourney_transactions_sample_100k.csv");
        using var stream = File.OpenRead(path);

        var summary = ExportFeaturizer.Featurize(stream, Path.GetFileName(path), new ExportReaderOptions(), BucketSize.Day, null, TestContext.Current.CancellationToken).Summary;

        // The figures its README states: 100,000 rows, 2,405 households, 312,753.23 of sales_value.
        Assert.Equal(("generic", 100_000L, 100_000L, 2405), (summary.Profile, summary.Rows, summary.Accepted, summary.Customers));
        Assert.Equal(312_753.23, Math.Round(summary.TotalSpend, 2));
    }
}
