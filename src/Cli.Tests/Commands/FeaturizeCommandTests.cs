using System.Text.Json;
using Clv.Modeling.Features;
using Clv.Modeling.Synthetic;
using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Commands;

public sealed class FeaturizeCommandTests : IDisposable
{
    private const double SpendTolerance = 0.01;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-featurize-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Featurize_WithJson_PrintsCountsAndWritesPartialsAndRejectedRows()
    {
        var input = Path.Combine(_directory.FullName, "orders.csv.gz");
        var truth = SyntheticExportGenerator.WriteFile(input, new SyntheticExportOptions { Mode = SyntheticMode.BgNbd, Customers = 500, Seed = 3, DirtyRowRate = 0.01 }, TestContext.Current.CancellationToken);
        var output = Path.Combine(_directory.FullName, "out");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", output, "--json"], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        var root = document.RootElement;
        Assert.Equal(truth.Rows, root.GetProperty("rows").GetInt64());
        Assert.Equal(truth.Rows - truth.DirtyRows, root.GetProperty("accepted").GetInt64());
        Assert.Equal(truth.DirtyRows, root.GetProperty("rejected").GetInt64());
        Assert.Equal(truth.Customers, root.GetProperty("customers").GetInt32());
        Assert.Equal(truth.TotalSpend, root.GetProperty("totalSpend").GetDouble(), SpendTolerance);
        Assert.Equal(truth.DirtyRows + 1, File.ReadLines(Path.Combine(output, "rejected", "orders.csv")).Count());
        await using var parquet = File.OpenRead(Path.Combine(output, "features", "orders.parquet"));
        var partials = await PartialAggregates.ReadParquetAsync(parquet, TestContext.Current.CancellationToken);
        Assert.Equal(truth.Customers, partials.CustomerCount);
    }

    [Fact]
    public void Featurize_AQuarterGuestRows_WithJson_SucceedsAndCountsThemAsSkipped()
    {
        var input = Write("retail.csv", "customer_id,date,amount\nc1,2024-01-01,1\n,2024-01-01,9\nc2,2024-01-02,2\nc3,2024-01-03,3\n,2024-01-03,9\nc1,2024-01-04,4\nc2,2024-01-05,5\nc3,2024-01-06,6\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", Path.Combine(_directory.FullName, "out"), "--json"], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        var root = document.RootElement;
        Assert.Equal(8, root.GetProperty("rows").GetInt64());
        Assert.Equal(6, root.GetProperty("accepted").GetInt64());
        Assert.Equal(0, root.GetProperty("rejected").GetInt64());
        Assert.Equal(2, root.GetProperty("skipped").GetInt64());
        Assert.StartsWith("no customer id (guest order)", root.GetProperty("skippedReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, root.GetProperty("files")[0].GetProperty("skipped").GetInt64());
        Assert.Equal(21, root.GetProperty("totalSpend").GetDouble(), SpendTolerance);
    }

    [Fact]
    public void Featurize_AFileOverTheThreshold_WithJson_PutsTheFailureInsideTheObject()
    {
        var bad = Write("bad.csv", "customer_id,date,amount\nc1,2024-01-01,x\nc2,2024-01-02,2\n");
        var good = Write("good.csv", "customer_id,date,amount\nc1,2024-01-01,1\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", bad, good, "--output", Path.Combine(_directory.FullName, "out"), "--json"], console);

        Assert.Equal(ExitCodes.Failed, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        var failed = Assert.Single(document.RootElement.GetProperty("failed").EnumerateArray());
        Assert.StartsWith("bad.csv: 1 of 2 rows rejected", failed.GetString(), StringComparison.Ordinal);
        Assert.Equal(1, document.RootElement.GetProperty("accepted").GetInt64());
    }

    [Fact]
    public void Featurize_AnUnmappableFile_WithJson_PrintsTheErrorAsJson()
    {
        var input = Write("nocustomer.csv", "when,amount\n2024-01-01,1\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", Path.Combine(_directory.FullName, "out"), "--json"], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        Assert.Contains("nocustomer.csv", document.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageError, document.RootElement.GetProperty("exitCode").GetInt32());
        Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("hint").GetString()));
    }

    [Fact]
    public void Featurize_FileNameWithBrackets_IsShownAsWritten()
    {
        var input = Write("orders[1].csv", "customer_id,date,amount\nc1,2024-01-01,1\n");
        var console = new TestConsole { Profile = { Width = 4000 } };

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", Path.Combine(_directory.FullName, "out")], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("orders[1].csv", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Featurize_SeveralFiles_CountsDistinctCustomersAcrossThem()
    {
        var a = Write("a.csv", "customer_id,date,amount\nc1,2024-01-01,1\nc2,2024-01-02,2\n");
        var b = Write("b.csv", "customer_id,date,amount\nc2,2024-01-03,3\nc3,2024-01-04,4\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", a, b, "--output", Path.Combine(_directory.FullName, "out"), "--json", "--bucket", "day"], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        Assert.Equal(3, document.RootElement.GetProperty("customers").GetInt32());
        Assert.Equal(10, document.RootElement.GetProperty("totalSpend").GetDouble(), SpendTolerance);
    }

    [Fact]
    public void Featurize_WithColumnOptions_ReadsAHeaderlessWhitespaceFile()
    {
        var input = Write("cdnow_like.txt", " 00001 0001 19970101  1   11.77\n 00002 0002 19970112  2   12.00\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(
            ["featurize", "-i", input, "-o", Path.Combine(_directory.FullName, "out"), "--no-header", "--customer-column", "1", "--date-column", "3", "--quantity-column", "4", "--amount-column", "5", "--json"],
            console);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        Assert.Equal(2, document.RootElement.GetProperty("accepted").GetInt64());
        Assert.Equal(23.77, document.RootElement.GetProperty("totalSpend").GetDouble(), SpendTolerance);
    }

    [Fact]
    public void Featurize_MissingInputFile_FailsWithUsageErrorAndHint()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", Path.Combine(_directory.FullName, "nope.csv"), "--output", _directory.FullName], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("nope.csv' not found.", console.Output, StringComparison.Ordinal);
        Assert.Contains("hint:", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Featurize_UnmappableColumns_FailsWithUsageErrorNamingTheColumnsFound()
    {
        var input = Write("odd.csv", "who,when,what\nc1,2024-01-01,1\n");
        var console = new TestConsole { Profile = { Width = 4000 } };

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", Path.Combine(_directory.FullName, "out")], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("columns found: 'who', 'when', 'what'.", console.Output, StringComparison.Ordinal);
        Assert.Contains("--customer-column", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Featurize_TooManyRejectedRows_FailsWithExitCodeOneAndTheReason()
    {
        var input = Write("bad.csv", "customer_id,date,amount\nc1,2024-01-01,1\nc2,2024-01-01,x\nc3,someday,1\n");
        var console = new TestConsole { Profile = { Width = 4000 } };

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", Path.Combine(_directory.FullName, "out")], console);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("bad.csv: 2 of 3 rows rejected (66.7%), over the 20% threshold (--max-rejected-share)", console.Output, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadLines(Path.Combine(_directory.FullName, "out", "rejected", "bad.csv")).Count());
    }

    [Fact]
    public void Featurize_BadBucket_FailsWithUsageError()
    {
        var input = Write("a.csv", "customer_id,date,amount\nc1,2024-01-01,1\n");
        var console = new TestConsole();

        var exitCode = CliApp.Run(["featurize", "--input", input, "--output", _directory.FullName, "--bucket", "year"], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("--bucket 'year' is not a bucket size.", console.Output, StringComparison.Ordinal);
    }
}
