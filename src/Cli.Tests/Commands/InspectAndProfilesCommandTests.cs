using System.Text.Json;
using Clv.Modeling.Features;
using Clv.Testing;
using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Commands;

public sealed class InspectAndProfilesCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-profiles-");

    public void Dispose() => _directory.Delete(recursive: true);

    public static TheoryData<string> Profiles => new(PlatformSamples.All.Select(s => s.Profile));

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string KeyFile() => Write("id.key", PlatformSamples.IdKey + "\n");

    private static JsonElement Json(TestConsole console) => JsonDocument.Parse(console.Output).RootElement;

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Featurize_PlatformExport_NamesTheProfileAndCountsExactly(string profile)
    {
        var sample = PlatformSamples.All.Single(s => s.Profile == profile);
        var input = Write(sample.FileName, sample.Text);
        var output = Path.Combine(_directory.FullName, "out");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", output, "--id-key-file", KeyFile(), "--json"], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        var root = Json(console);
        Assert.Equal(sample.Profile, root.GetProperty("profile").GetString());
        Assert.Equal(
            (sample.Rows, sample.Accepted, sample.Rejected, sample.Skipped, sample.Excluded, sample.Customers),
            (root.GetProperty("rows").GetInt64(), root.GetProperty("accepted").GetInt64(), root.GetProperty("rejected").GetInt64(),
             root.GetProperty("skipped").GetInt64(), root.GetProperty("excluded").GetInt64(), root.GetProperty("customers").GetInt32()));
        Assert.Equal(sample.TotalSpend, root.GetProperty("totalSpend").GetDouble(), 1e-9);
        var name = Path.GetFileNameWithoutExtension(sample.FileName);
        await using var parquet = File.OpenRead(Path.Combine(output, "features", name + ".parquet"));
        var partials = await PartialAggregates.ReadParquetAsync(parquet, TestContext.Current.CancellationToken);
        Assert.All(partials.CustomerIds, id => Assert.DoesNotContain('@', id));
        var bytes = await File.ReadAllTextAsync(Path.Combine(output, "features", name + ".parquet"), TestContext.Current.CancellationToken);
        Assert.DoesNotContain(PlatformSamples.Emails, e => bytes.Contains(e, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Featurize_RejectedRowsKeepTheRawLineForTheUserToFix()
    {
        var input = Write("orders_export_1.csv", PlatformSamples.Shopify.Text);
        var output = Path.Combine(_directory.FullName, "out");

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", output, "--id-key-file", KeyFile()], new TestConsole());

        Assert.Equal(ExitCodes.Success, exitCode);
        var rejected = File.ReadAllLines(Path.Combine(output, "rejected", "orders_export_1.csv"));
        Assert.Equal(2, rejected.Length);
        Assert.StartsWith("12,\"currency 'USD'", rejected[1], StringComparison.Ordinal);
        Assert.Contains("#1007,carl@example.com,paid", rejected[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Featurize_EmailIdsWithoutAKey_FailsNamingTheFlag()
    {
        var input = Write("orders_export_1.csv", PlatformSamples.Shopify.Text);
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", Path.Combine(_directory.FullName, "out")], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("--id-key-file", console.Output.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    [Fact]
    public void Featurize_MissingColumn_NamesTheToolsFlagNotTheLibraryOption()
    {
        var input = Write("panel.csv", "shopper,when,paid\nx,2025-01-01,1\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", Path.Combine(_directory.FullName, "out")], console);

        var text = console.Output.ReplaceLineEndings(" ");
        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("or set --customer-column", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CustomerIdColumn", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Featurize_MappingFile_OverridesTheProfileAndRatesConvert()
    {
        var input = Write("orders_export_1.csv", PlatformSamples.Shopify.Text);
        var mapping = Write("shopify.mapping.json", """{ "nonRevenueStatuses": ["voided", "refunded"], "currency": "EUR" }""");
        var rates = Write("rates.csv", "currency,rate\nUSD,0.5\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(
            ["featurize", "--input", input, "--output", Path.Combine(_directory.FullName, "out"), "--id-key-file", KeyFile(), "--mapping", mapping, "--rates", rates, "--json"],
            console);

        Assert.Equal(ExitCodes.Success, exitCode);
        var root = Json(console);
        // Pending #1005 (40) now counts, and #1007's 100 USD counts as 50 EUR.
        Assert.Equal((5L, 0L, 2L), (root.GetProperty("accepted").GetInt64(), root.GetProperty("rejected").GetInt64(), root.GetProperty("excluded").GetInt64()));
        Assert.Equal(139.50 + 40 + 50, root.GetProperty("totalSpend").GetDouble(), 1e-9);
    }

    [Fact]
    public void Featurize_BadMappingFile_IsAUsageErrorNamingTheField()
    {
        var input = Write("orders_export_1.csv", PlatformSamples.Shopify.Text);
        var mapping = Write("bad.mapping.json", """{ "customer": "Email" }""");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", Path.Combine(_directory.FullName, "out"), "--mapping", mapping], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("bad.mapping.json", console.Output, StringComparison.Ordinal);
        Assert.Contains("customer", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_Json_ShowsProfileColumnsTenRowsAndRejectionsWithoutWritingAnything()
    {
        var input = Write("orders_export_1.csv", PlatformSamples.Shopify.Text);
        var key = KeyFile();
        var before = Directory.GetFileSystemEntries(_directory.FullName).Order().ToArray();
        var console = new TestConsole();

        var exitCode = CliApp.Run(["inspect", "--input", input, "--id-key-file", key, "--json"], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(before, Directory.GetFileSystemEntries(_directory.FullName).Order().ToArray());
        var root = Json(console);
        Assert.Equal("shopify-orders", root.GetProperty("profile").GetString());
        Assert.Equal("Email", root.GetProperty("columns").GetProperty("customer").GetString());
        Assert.Equal("Refunded Amount", root.GetProperty("columns").GetProperty("refund").GetString());
        Assert.Equal("EUR", root.GetProperty("currency").GetString());
        var sample = root.GetProperty("sample").EnumerateArray().ToArray();
        Assert.Equal([54.50, 60.00, 25.00], sample.Select(r => r.GetProperty("amount").GetDouble()));
        Assert.Equal("2025-10-08 21:30:00", sample[1].GetProperty("timestamp").GetString());
        Assert.All(sample, r => Assert.StartsWith("h:", r.GetProperty("customerId").GetString(), StringComparison.Ordinal));
        var rejected = Assert.Single(root.GetProperty("rejectedRows").EnumerateArray());
        Assert.Equal(12, rejected.GetProperty("line").GetInt64());
        Assert.Equal((4L, 3L), (root.GetProperty("skipped").GetInt64(), root.GetProperty("excluded").GetInt64()));
    }

    [Fact]
    public void Inspect_ManyRows_ShowsTheFirstTen()
    {
        var lines = Enumerable.Range(1, 25).Select(i => $"c{i},2025-01-{i:00},{i}");
        var input = Write("panel.csv", "household_id,transaction_timestamp,sales_value\n" + string.Join('\n', lines) + "\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["inspect", "--input", input, "--json"], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        var root = Json(console);
        Assert.Equal("generic", root.GetProperty("profile").GetString());
        Assert.Equal(10, root.GetProperty("sample").GetArrayLength());
        Assert.Equal(25, root.GetProperty("accepted").GetInt64());
    }

    [Fact]
    public void Inspect_Text_NamesTheProfileAndWhatWouldBeRejected()
    {
        var input = Write("orders_export_1.csv", PlatformSamples.Shopify.Text);
        var console = new TestConsole { EmitAnsiSequences = false };
        console.Profile.Width = 200;

        var exitCode = CliApp.Run(["inspect", "--input", input, "--id-key-file", KeyFile()], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("profile shopify-orders", console.Output, StringComparison.Ordinal);
        Assert.Contains("would reject line 12: currency 'USD'", console.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("jane@example.com", console.Output, StringComparison.Ordinal);
    }
}
