using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Clv.Modeling.Evaluation;

/// <summary>
/// Metrics of several models on the same test customers, keyed by model name (see <see cref="ModelNames"/>),
/// in the order the models were added.
/// </summary>
public sealed class ModelComparison
{
    private readonly List<KeyValuePair<string, ModelMetrics>> _models;

    /// <summary>A comparison of already computed metrics.</summary>
    /// <exception cref="ArgumentException">A model name appears twice.</exception>
    public ModelComparison(IEnumerable<KeyValuePair<string, ModelMetrics>> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        _models = [.. models];
        var duplicate = _models.GroupBy(m => m.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Model '{duplicate.Key}' appears more than once.", nameof(models));
        }
    }

    /// <summary>The model names, in order.</summary>
    public IReadOnlyList<string> Names => [.. _models.Select(m => m.Key)];

    /// <summary>Models and their metrics, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, ModelMetrics>> Models => _models;

    /// <summary>The metrics of one model.</summary>
    /// <exception cref="KeyNotFoundException">No model has that name.</exception>
    public ModelMetrics this[string modelName] =>
        _models.FirstOrDefault(m => string.Equals(m.Key, modelName, StringComparison.Ordinal)).Value
        ?? throw new KeyNotFoundException($"No model '{modelName}' in the comparison; it has {string.Join(", ", Names)}.");

    /// <summary>Computes every model's metrics.</summary>
    /// <exception cref="ArgumentException">The models were not scored on the same customers with the same actual spend.</exception>
    public static ModelComparison Evaluate(IReadOnlyList<ModelScores> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        foreach (var other in scores.Skip(1))
        {
            if (!scores[0].HasSameCustomersAs(other, out var difference))
            {
                throw new ArgumentException($"Models must be compared on the same test customers: {difference}.", nameof(scores));
            }
        }

        return new ModelComparison(scores.Select(s => KeyValuePair.Create(s.ModelName, s.ComputeMetrics())));
    }

    /// <summary>
    /// The comparison as JSON: an object keyed by model name, each an object with <c>gini</c>, <c>spearman</c>,
    /// <c>decileMape</c>, <c>mae</c>, <c>rmse</c>, <c>bias</c>, <c>topDecileCapture</c> and, for a model with a
    /// purchase probability, <c>auc</c>. An undefined metric is <c>null</c>.
    /// </summary>
    public string ToJson(bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartObject();
            foreach (var (name, metrics) in _models)
            {
                writer.WriteStartObject(name);
                WriteMetrics(writer, metrics);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The comparison as a Markdown table, one row per model and one column per <see cref="MetricColumn"/>; an
    /// undefined metric reads <c>n/a</c>, one that does not apply <c>-</c>. Notes on undefined or partial metrics
    /// follow the table as a list.
    /// </summary>
    public string ToMarkdownTable()
    {
        var text = new StringBuilder();
        text.AppendLine($"| model | {string.Join(" | ", MetricColumn.All.Select(c => c.Label))} |");
        text.AppendLine($"| --- |{string.Concat(MetricColumn.All.Select(_ => " ---: |"))}");
        foreach (var (name, metrics) in _models)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", MetricColumn.All.Select(c => c.FormatCell(metrics)))} |");
        }

        var notes = _models
            .SelectMany(m => MetricColumn.All
                .Select(c => (c.Label, Value: c.Select(m.Value)))
                .Where(n => n.Value?.Note is not null)
                .Select(n => $"- {m.Key} {n.Label}: {n.Value!.Value.Note}"))
            .ToArray();
        if (notes.Length > 0)
        {
            text.AppendLine();
            foreach (var note in notes)
            {
                text.AppendLine(note);
            }
        }

        return text.ToString();
    }

    /// <summary>Writes one model's metrics as properties of the open JSON object (the members of <see cref="ToJson"/>'s model objects).</summary>
    internal static void WriteMetrics(Utf8JsonWriter writer, ModelMetrics metrics)
    {
        foreach (var column in MetricColumn.All)
        {
            if (column.Select(metrics) is { } value)
            {
                Write(writer, column.Key, value);
            }
        }
    }

    private static void Write(Utf8JsonWriter writer, string name, MetricValue value)
    {
        if (value.Value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
