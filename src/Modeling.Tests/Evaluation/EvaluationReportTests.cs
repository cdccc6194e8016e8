using System.Text.Json;
using System.Text.RegularExpressions;
using Clv.Modeling.Evaluation;

namespace Clv.Modeling.Tests.Evaluation;

public sealed partial class EvaluationReportTests : IDisposable
{
    private const int Seed = 20261123;
    private const int CustomerCount = 200;

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // Rendering is the slow part; the tests read one report.
    private static readonly Lazy<EvaluationReport> SharedReport = new(() => EvaluationReport.Create(Scores()));

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "clv-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task WriteAsync_WritesMarkdownHtmlAndMetrics()
    {
        var report = SharedReport.Value;

        var paths = await report.WriteAsync(_directory, TestContext.Current.CancellationToken);

        Assert.Equal(
            [EvaluationReport.MarkdownFileName, EvaluationReport.HtmlFileName, EvaluationReport.MetricsFileName],
            paths.Select(Path.GetFileName));
        Assert.All(paths, path => Assert.True(new FileInfo(path).Length > 0, $"{path} is empty"));
    }

    [Fact]
    public async Task Markdown_ContainsTheComparisonTableValues()
    {
        var report = SharedReport.Value;
        await report.WriteAsync(_directory, TestContext.Current.CancellationToken);

        var markdown = await File.ReadAllTextAsync(Path.Combine(_directory, EvaluationReport.MarkdownFileName), TestContext.Current.CancellationToken);

        foreach (var (name, metrics) in report.Comparison.Models)
        {
            var row = Assert.Single(markdown.Split('\n'), line => line.StartsWith($"| {name} |", StringComparison.Ordinal));
            Assert.Contains($"| {MetricColumn.ByKey("gini").FormatValue(metrics.Gini)} | {MetricColumn.ByKey("spearman").FormatValue(metrics.Spearman)} |", row, StringComparison.Ordinal);
            Assert.Contains($"| {MetricColumn.ByKey("rmse").FormatValue(metrics.Rmse)} |", row, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Html_ContainsTheTableValuesAndInlinePngPlots()
    {
        var report = SharedReport.Value;
        await report.WriteAsync(_directory, TestContext.Current.CancellationToken);

        var html = await File.ReadAllTextAsync(Path.Combine(_directory, EvaluationReport.HtmlFileName), TestContext.Current.CancellationToken);

        var lstm = report.Comparison[ModelNames.Lstm];
        Assert.Contains($"<td>{MetricColumn.ByKey("gini").FormatValue(lstm.Gini)}</td>", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{MetricColumn.ByKey("auc").FormatValue(lstm.Auc!.Value)}</td>", html, StringComparison.Ordinal);

        // Gain curve, calibration, and one decile plot per model; all decodable PNG, nothing fetched from elsewhere.
        var images = InlinePng().Matches(html);
        Assert.Equal(2 + 3, images.Count);
        Assert.All(images, m => Assert.Equal(PngSignature, Convert.FromBase64String(m.Groups[1].Value).Take(PngSignature.Length)));
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task MetricsFile_IsTheComparisonJson()
    {
        var report = SharedReport.Value;
        await report.WriteAsync(_directory, TestContext.Current.CancellationToken);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, EvaluationReport.MetricsFileName), TestContext.Current.CancellationToken));

        Assert.Equal(
            report.Comparison[ModelNames.BgNbd].Gini.Value!.Value,
            json.RootElement.GetProperty(ModelNames.BgNbd).GetProperty("gini").GetDouble());
    }

    [Fact]
    public void Create_OnCustomersWhoAllSpentNothing_RendersWithUndefinedMetricsExplained()
    {
        string[] ids = ["a", "b", "c"];
        double[] zeros = [0, 0, 0];

        var report = EvaluationReport.Create([new ModelScores(ModelNames.BgNbd, ids, zeros, [1, 2, 3])]);

        Assert.Contains("| bgnbd | n/a |", report.Markdown, StringComparison.Ordinal);
        Assert.Contains("every actual value is zero", report.Markdown, StringComparison.Ordinal);
        Assert.Equal(3, InlinePng().Matches(report.Html).Count);
    }

    [Fact]
    public void Create_WithoutModels_Throws()
    {
        Assert.Throws<ArgumentException>(() => EvaluationReport.Create([]));
    }

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex InlinePng();

    // Synthetic customers: a fifth spend nothing; the others spend lognormally; models see noisy versions.
    private static ModelScores[] Scores()
    {
        var random = new Random(Seed);
        var ids = Enumerable.Range(0, CustomerCount).Select(i => $"c{i:D3}").ToArray();
        var actual = ids.Select(_ => random.NextDouble() < 0.2 ? 0 : Math.Exp(3 + random.NextDouble())).ToArray();
        double[] Noisy(double noise) => actual.Select(a => Math.Max(0, a + (noise * (random.NextDouble() - 0.5)))).ToArray();
        var probability = actual.Select(a => Math.Clamp((a > 0 ? 0.7 : 0.3) + (0.4 * (random.NextDouble() - 0.5)), 0, 1)).ToArray();
        return
        [
            new ModelScores(ModelNames.Lstm, ids, actual, Noisy(20), probability),
            new ModelScores(ModelNames.BgNbd, ids, actual, Noisy(40)),
            new ModelScores(ModelNames.Naive, ids, actual, Noisy(80)),
        ];
    }
}
