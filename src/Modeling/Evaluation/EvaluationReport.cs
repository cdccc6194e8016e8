using System.Globalization;
using System.Net;
using System.Text;

namespace Clv.Modeling.Evaluation;

/// <summary>
/// A readable evaluation of several models on the same test customers: the comparison table, per-decile
/// tables, and plots (gain curve, predicted vs actual by decile, calibration). Rendered as Markdown and
/// as a self-contained HTML page whose plots are inline base64 PNG images, written beside the model.
/// </summary>
public sealed class EvaluationReport
{
    /// <summary>File name of the Markdown report.</summary>
    public const string MarkdownFileName = "report.md";

    /// <summary>File name of the HTML report.</summary>
    public const string HtmlFileName = "report.html";

    /// <summary>File name of the metrics JSON (<see cref="MetricsJson"/>).</summary>
    public const string MetricsFileName = "metrics.json";

    private EvaluationReport(ModelComparison comparison, string markdown, string html, string? metricsJson)
    {
        Comparison = comparison;
        Markdown = markdown;
        Html = html;
        MetricsJson = metricsJson ?? comparison.ToJson();
    }

    /// <summary>What <see cref="MetricsFileName"/> holds: the backtest object when the report is of a backtest, else <see cref="ModelComparison.ToJson"/>.</summary>
    public string MetricsJson { get; }

    /// <summary>The models' metrics.</summary>
    public ModelComparison Comparison { get; }

    /// <summary>The report as Markdown (tables only; the plots are in <see cref="Html"/>).</summary>
    public string Markdown { get; }

    /// <summary>The report as one HTML page with the plots inline.</summary>
    public string Html { get; }

    /// <summary>
    /// The report's file set, the one thing the tool (<see cref="WriteAsync"/>) and the Azure training job publish:
    /// <see cref="MarkdownFileName"/>, <see cref="HtmlFileName"/> and <see cref="MetricsFileName"/>, as UTF-8 bytes.
    /// </summary>
    public IReadOnlyList<ReportFile> Files =>
    [
        ReportFile.Text(MarkdownFileName, "text/markdown", Markdown),
        ReportFile.Text(HtmlFileName, "text/html", Html),
        ReportFile.Text(MetricsFileName, "application/json", MetricsJson),
    ];

    /// <summary>Computes the metrics and renders the report.</summary>
    /// <param name="scores">Every model's scores on the same test customers; at least one.</param>
    /// <param name="options">Title, description and plot sizes; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">No models, or models scored on different customers.</exception>
    public static EvaluationReport Create(IReadOnlyList<ModelScores> scores, EvaluationReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count == 0)
        {
            throw new ArgumentException("A report needs at least one model's scores.", nameof(scores));
        }

        return Create(ModelComparison.Evaluate(scores), scores, options);
    }

    /// <summary>The report of a backtest: its pooled table and plots, the backtest section, and the backtest object as <see cref="MetricsJson"/>.</summary>
    public static EvaluationReport FromBacktest(BacktestResult backtest, EvaluationReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(backtest);
        return Create(backtest.Pooled, backtest.PooledScores, options, backtest.ToJson(), Environment.NewLine + "## Backtest" + Environment.NewLine + Environment.NewLine + backtest.ToMarkdown());
    }

    /// <summary>The report of a comparison already evaluated from <paramref name="scores"/>.</summary>
    internal static EvaluationReport Create(ModelComparison comparison, IReadOnlyList<ModelScores> scores, EvaluationReportOptions? options, string? metricsJson = null, string? extraMarkdown = null)
    {
        options ??= EvaluationReportOptions.Default;
        var deciles = scores.Select(s => (Model: s, Deciles: ClvMetrics.Deciles(s.Actual, s.Predicted))).ToArray();
        return new EvaluationReport(comparison, RenderMarkdown(comparison, deciles, options) + (extraMarkdown ?? string.Empty), RenderHtml(comparison, deciles, options), metricsJson);
    }

    /// <summary>
    /// Writes <see cref="Files"/> into <paramref name="directory"/> (created when missing), replacing earlier files of
    /// those names.
    /// </summary>
    /// <returns>The paths written.</returns>
    public async Task<IReadOnlyList<string>> WriteAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var file in Files)
        {
            var path = Path.Combine(directory, file.Name);
            await File.WriteAllBytesAsync(path, file.Content, cancellationToken).ConfigureAwait(false);
            paths.Add(path);
        }

        return paths;
    }

    private static string RenderMarkdown(
        ModelComparison comparison,
        IReadOnlyList<(ModelScores Model, IReadOnlyList<DecileStat> Deciles)> deciles,
        EvaluationReportOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {options.Title}");
        text.AppendLine();
        if (options.Description is { } description)
        {
            text.AppendLine(description);
            text.AppendLine();
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{deciles[0].Model.CustomerIds.Count} test customers, total actual spend {deciles[0].Model.Actual.Sum().ToString("F2", CultureInfo.InvariantCulture)}.");
        text.AppendLine();
        text.AppendLine("## Comparison");
        text.AppendLine();
        text.Append(comparison.ToMarkdownTable());
        text.AppendLine();
        text.AppendLine(MetricColumn.Legend);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Plots (gain curve, predicted vs actual by decile, calibration): `{HtmlFileName}`.");
        foreach (var (model, modelDeciles) in deciles)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"## {model.ModelName}: mean spend by prediction decile");
            text.AppendLine();
            text.AppendLine("| decile | customers | mean actual | mean predicted |");
            text.AppendLine("| ---: | ---: | ---: | ---: |");
            foreach (var d in modelDeciles)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {d.Index + 1} | {d.CustomerCount} | {d.ActualMean:F2} | {d.PredictedMean:F2} |");
            }
        }

        return text.ToString();
    }

    private static string RenderHtml(
        ModelComparison comparison,
        IReadOnlyList<(ModelScores Model, IReadOnlyList<DecileStat> Deciles)> deciles,
        EvaluationReportOptions options)
    {
        var scores = deciles.Select(d => d.Model).ToArray();
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine(CultureInfo.InvariantCulture, $"<title>{Encode(options.Title)}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em}"
            + "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}"
            + "th:first-child,td:first-child{text-align:left}img{max-width:100%}</style>");
        html.AppendLine("</head><body>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<h1>{Encode(options.Title)}</h1>");
        if (options.Description is { } description)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<p>{Encode(description)}</p>");
        }

        html.AppendLine(CultureInfo.InvariantCulture, $"<p>{scores[0].CustomerIds.Count} test customers, total actual spend {scores[0].Actual.Sum().ToString("F2", CultureInfo.InvariantCulture)}.</p>");
        html.AppendLine("<h2>Comparison</h2>");
        html.Append("<table><thead><tr><th>model</th>");
        foreach (var column in MetricColumn.All)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{Encode(column.Label)}</th>");
        }

        html.AppendLine("</tr></thead><tbody>");
        foreach (var (name, metrics) in comparison.Models)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(name)}</td>");
            foreach (var column in MetricColumn.All)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{column.FormatCell(metrics)}</td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</tbody></table>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<p>{Encode(MetricColumn.Legend)}</p>");
        html.AppendLine("<h2>Gain curve</h2>");
        AppendImage(html, "Gain curve", ReportPlots.GainCurves(scores, options));
        html.AppendLine("<h2>Calibration</h2>");
        AppendImage(html, "Calibration by prediction decile", ReportPlots.Calibration(deciles, options));
        html.AppendLine("<h2>Predicted vs actual by decile</h2>");
        foreach (var (model, modelDeciles) in deciles)
        {
            AppendImage(html, $"{model.ModelName}: mean spend by prediction decile", ReportPlots.Deciles(model, modelDeciles, options));
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void AppendImage(StringBuilder html, string alt, byte[] png) =>
        html.AppendLine(CultureInfo.InvariantCulture, $"<p><img alt=\"{Encode(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"></p>");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
