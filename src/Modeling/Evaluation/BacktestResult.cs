using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Clv.Modeling.Evaluation;

/// <summary>
/// One fold of a rolling-origin backtest: every model's scores on the held-out customers at one cutoff for one seed,
/// with the LSTM's 10% and 90% quantiles of spend.
/// </summary>
/// <param name="Cutoff">Last day of the inputs; the actual spend is the horizon after it.</param>
/// <param name="LabelEnd">Last day of the actual spend.</param>
/// <param name="SeedIndex">Which repetition (0-based) of the backtest: split seed and weight seed both add it.</param>
/// <param name="TrainExamples">Examples (customers times origins) the LSTM and gbm were trained on.</param>
/// <param name="Scores">Every model's scores on the same held-out customers.</param>
/// <param name="LstmP10">The LSTM's 10% quantile of spend per held-out customer.</param>
/// <param name="LstmP90">The LSTM's 90% quantile of spend per held-out customer.</param>
public sealed record BacktestFold(
    DateOnly Cutoff,
    DateOnly LabelEnd,
    int SeedIndex,
    int TrainExamples,
    IReadOnlyList<ModelScores> Scores,
    double[] LstmP10,
    double[] LstmP90);

/// <summary>A paired difference of one metric between two models, with its bootstrap 95% interval.</summary>
/// <param name="Metric">The metric's JSON name (<c>gini</c>, <c>spearman</c>, <c>decileMape</c>).</param>
/// <param name="Model">The model the difference is of.</param>
/// <param name="Versus">The model subtracted.</param>
/// <param name="Mean">The pooled difference, model minus versus.</param>
/// <param name="Low">Lower end of the 95% interval.</param>
/// <param name="High">Upper end of the 95% interval.</param>
public sealed record MetricDifference(string Metric, string Model, string Versus, double Mean, double Low, double High);

/// <summary>
/// The result of a rolling-origin backtest: per-cutoff and pooled metrics of every model on held-out customers,
/// the LSTM's interval coverage, and paired bootstrap intervals of differences between models.
/// </summary>
/// <remarks>
/// Pooled metrics are computed over the rows of every fold (cutoff x seed x held-out customer) together. A bootstrap
/// sample redraws customers with replacement within each fold, the same rows for both models (paired), and the
/// interval is the 2.5% and 97.5% percentiles of the pooled differences over the samples.
/// </remarks>
public sealed class BacktestResult
{
    /// <summary>Baselines the LSTM is compared with, in table order.</summary>
    public static IReadOnlyList<string> Baselines { get; } = [ModelNames.Gbm, ModelNames.BgNbd, ModelNames.Naive];

    private readonly int _bootstrapSamples;
    private readonly int _bootstrapSeed;

    /// <summary>Pools the folds.</summary>
    /// <param name="folds">At least one fold; a model is pooled when every fold has it.</param>
    /// <param name="bootstrapSamples">Bootstrap samples per interval.</param>
    /// <param name="bootstrapSeed">Seed of the resampling.</param>
    /// <param name="notes">Why a model is missing from some fold, and other remarks.</param>
    /// <exception cref="ArgumentException">There are no folds.</exception>
    public BacktestResult(IReadOnlyList<BacktestFold> folds, int bootstrapSamples, int bootstrapSeed, IReadOnlyList<string> notes)
    {
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(notes);
        if (folds.Count == 0)
        {
            throw new ArgumentException("A backtest needs at least one fold.", nameof(folds));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bootstrapSamples, 10);
        Folds = folds;
        Notes = notes;
        _bootstrapSamples = bootstrapSamples;
        _bootstrapSeed = bootstrapSeed;
        var names = folds[0].Scores.Select(s => s.ModelName).Where(name => folds.All(f => f.Scores.Any(s => s.ModelName == name))).ToArray();
        PooledScores = [.. names.Select(name => Concat(folds, name))];
        Pooled = ModelComparison.Evaluate(PooledScores);
        Cutoffs = [.. folds.Select(f => f.Cutoff).Distinct().Order()];
        PerCutoff = [.. Cutoffs.Select(cutoff => ModelComparison.Evaluate([.. names.Select(name => Concat([.. folds.Where(f => f.Cutoff == cutoff)], name))]))];
        Coverage80 = Coverage(folds);
        ExpectedCoverage80 = ExpectedCoverage(folds);
        Differences = [.. new[] { "gini", "spearman", "decileMape" }.Select(metric => BestBaseline(metric) is { } best ? Difference(metric, ModelNames.Lstm, best) : null).OfType<MetricDifference>()];
    }

    /// <summary>Every fold, in the order they ran.</summary>
    public IReadOnlyList<BacktestFold> Folds { get; }

    /// <summary>The cutoffs, earliest first.</summary>
    public IReadOnlyList<DateOnly> Cutoffs { get; }

    /// <summary>Metrics per cutoff (seeds pooled), in <see cref="Cutoffs"/> order.</summary>
    public IReadOnlyList<ModelComparison> PerCutoff { get; }

    /// <summary>Metrics over every fold's rows.</summary>
    public ModelComparison Pooled { get; }

    /// <summary>Every model's rows of every fold, one after another.</summary>
    public IReadOnlyList<ModelScores> PooledScores { get; }

    /// <summary>Share of held-out actuals inside the LSTM's [P10, P90], over every fold.</summary>
    public double Coverage80 { get; }

    /// <summary>
    /// The share the LSTM's own distributions put inside [P10, P90], averaged over the same rows as
    /// <see cref="Coverage80"/> (<see cref="Loss.SpendInterval.ExpectedCoverage"/>): what a calibrated model shows.
    /// 0.8 only where customers almost surely buy; up to 1 where most buy nothing in the horizon.
    /// </summary>
    public double ExpectedCoverage80 { get; }

    /// <summary>LSTM minus the best baseline for Gini, Spearman and decile MAPE, with 95% intervals.</summary>
    public IReadOnlyList<MetricDifference> Differences { get; }

    /// <summary>Remarks, e.g. a baseline that could not be fitted at a cutoff.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// The baseline with the best pooled <paramref name="metric"/> (highest Gini or Spearman, lowest decile MAPE), or
    /// <see langword="null"/> when none has it.
    /// </summary>
    public string? BestBaseline(string metric)
    {
        var lowerIsBetter = metric == "decileMape";
        string? best = null;
        var bestValue = 0.0;
        foreach (var name in Baselines.Where(b => Pooled.Names.Contains(b)))
        {
            if (Metric(metric, Pooled[name]).Value is { } value && (best is null || (lowerIsBetter ? value < bestValue : value > bestValue)))
            {
                best = name;
                bestValue = value;
            }
        }

        return best;
    }

    /// <summary>The pooled difference <paramref name="model"/> minus <paramref name="versus"/> of <paramref name="metric"/>, with its paired bootstrap 95% interval.</summary>
    /// <exception cref="KeyNotFoundException">A model is not pooled.</exception>
    public MetricDifference Difference(string metric, string model, string versus)
    {
        var a = PooledScores.FirstOrDefault(s => s.ModelName == model) ?? throw new KeyNotFoundException($"No model '{model}' in the backtest.");
        var b = PooledScores.FirstOrDefault(s => s.ModelName == versus) ?? throw new KeyNotFoundException($"No model '{versus}' in the backtest.");
        var observed = Value(metric, a.Actual, a.Predicted) - Value(metric, b.Actual, b.Predicted);
        var offsets = new int[Folds.Count + 1];
        for (var f = 0; f < Folds.Count; f++)
        {
            offsets[f + 1] = offsets[f] + Folds[f].Scores[0].CustomerIds.Count;
        }

        var random = new Random(_bootstrapSeed);
        var total = offsets[^1];
        var actual = new double[total];
        var predictedA = new double[total];
        var predictedB = new double[total];
        var samples = new List<double>(_bootstrapSamples);
        for (var sample = 0; sample < _bootstrapSamples; sample++)
        {
            for (var f = 0; f < Folds.Count; f++)
            {
                var start = offsets[f];
                var count = offsets[f + 1] - start;
                for (var i = 0; i < count; i++)
                {
                    var row = start + random.Next(count);
                    actual[start + i] = a.Actual[row];
                    predictedA[start + i] = a.Predicted[row];
                    predictedB[start + i] = b.Predicted[row];
                }
            }

            var difference = Value(metric, actual, predictedA) - Value(metric, actual, predictedB);
            if (double.IsFinite(difference))
            {
                samples.Add(difference);
            }
        }

        samples.Sort();
        return samples.Count == 0
            ? new MetricDifference(metric, model, versus, observed, double.NaN, double.NaN)
            : new MetricDifference(metric, model, versus, observed, Percentile(samples, 0.025), Percentile(samples, 0.975));
    }

    /// <summary>
    /// The backtest as JSON: <c>protocol</c>, <c>cutoffs</c> (per cutoff: the date, label end, held-out rows and every
    /// model's metrics), <c>models</c> (pooled; the LSTM with <c>coverage80</c> and <c>coverage80Expected</c>), <c>differences</c> (LSTM minus the
    /// best baseline per metric, with <c>versus</c>, <c>mean</c> and <c>ci95</c>) and <c>notes</c>.
    /// </summary>
    public string ToJson(bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the object of <see cref="ToJson"/>.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("protocol", "out-of-time");
        writer.WriteNumber("seeds", Folds.Select(f => f.SeedIndex).Distinct().Count());
        writer.WriteStartArray("cutoffs");
        for (var c = 0; c < Cutoffs.Count; c++)
        {
            var folds = Folds.Where(f => f.Cutoff == Cutoffs[c]).ToArray();
            writer.WriteStartObject();
            writer.WriteString("cutoff", Day(Cutoffs[c]));
            writer.WriteString("labelEnd", Day(folds[0].LabelEnd));
            writer.WriteNumber("heldOutRows", folds.Sum(f => f.Scores[0].CustomerIds.Count));
            writer.WriteNumber("trainExamples", folds.Sum(f => f.TrainExamples));
            WriteModels(writer, PerCutoff[c], Coverage(folds), ExpectedCoverage(folds));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteModels(writer, Pooled, Coverage80, ExpectedCoverage80);
        writer.WriteStartObject("differences");
        foreach (var difference in Differences)
        {
            writer.WriteStartObject(difference.Metric);
            writer.WriteString("versus", difference.Versus);
            WriteNumber(writer, "mean", difference.Mean);
            writer.WriteStartArray("ci95");
            WriteNumber(writer, null, difference.Low);
            WriteNumber(writer, null, difference.High);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteStartArray("notes");
        foreach (var note in Notes)
        {
            writer.WriteStringValue(note);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The pooled table and the differences in Markdown.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Out-of-time backtest, cutoffs {string.Join(", ", Cutoffs.Select(Day))}, {Folds.Select(f => f.SeedIndex).Distinct().Count()} seed(s), pooled over {Folds.Sum(f => f.Scores[0].CustomerIds.Count)} held-out rows:");
        text.AppendLine();
        text.Append(Pooled.ToMarkdownTable());
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"LSTM coverage of [P10, P90]: {Coverage80:F3} (its own distributions expect {ExpectedCoverage80:F3}: the atom at zero spend puts more than 80% inside where customers are likely to buy nothing).");
        text.AppendLine();
        foreach (var d in Differences)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {d.Metric}: lstm - {d.Versus} = {d.Mean:F4}, 95% interval [{d.Low:F4}, {d.High:F4}]");
        }

        return text.ToString();
    }

    /// <summary>The value of a metric by its JSON name.</summary>
    internal static double Value(string metric, ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted) => metric switch
    {
        "gini" => ClvMetrics.NormalizedGini(actual, predicted).Value ?? double.NaN,
        "spearman" => ClvMetrics.Spearman(actual, predicted).Value ?? double.NaN,
        "decileMape" => ClvMetrics.DecileMape(actual, predicted).Value ?? double.NaN,
        _ => throw new ArgumentException($"Unknown metric '{metric}'; use gini, spearman or decileMape.", nameof(metric)),
    };

    private static MetricValue Metric(string metric, ModelMetrics metrics) =>
        MetricColumn.ByKey(metric).Select(metrics) ?? MetricValue.Undefined($"{metric} does not apply");

    private static void WriteModels(Utf8JsonWriter writer, ModelComparison comparison, double coverage, double expectedCoverage)
    {
        writer.WriteStartObject("models");
        foreach (var (name, metrics) in comparison.Models)
        {
            writer.WriteStartObject(name);
            ModelComparison.WriteMetrics(writer, metrics);
            if (name == ModelNames.Lstm)
            {
                WriteNumber(writer, "coverage80", coverage);
                WriteNumber(writer, "coverage80Expected", expectedCoverage);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string? name, double value)
    {
        if (name is not null)
        {
            writer.WritePropertyName(name);
        }

        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static double Coverage(IReadOnlyList<BacktestFold> folds)
    {
        var inside = 0L;
        var total = 0L;
        foreach (var fold in folds)
        {
            var lstm = fold.Scores.First(s => s.ModelName == ModelNames.Lstm);
            for (var i = 0; i < lstm.Actual.Length; i++)
            {
                total++;
                if (lstm.Actual[i] >= fold.LstmP10[i] && lstm.Actual[i] <= fold.LstmP90[i])
                {
                    inside++;
                }
            }
        }

        return total == 0 ? double.NaN : (double)inside / total;
    }

    private static double ExpectedCoverage(IReadOnlyList<BacktestFold> folds)
    {
        var sum = 0.0;
        var total = 0L;
        foreach (var fold in folds)
        {
            var probability = fold.Scores.First(s => s.ModelName == ModelNames.Lstm).PurchaseProbability;
            if (probability is null)
            {
                return double.NaN;
            }

            foreach (var p in probability)
            {
                sum += Loss.SpendInterval.ExpectedCoverage(p);
                total++;
            }
        }

        return total == 0 ? double.NaN : sum / total;
    }

    private static ModelScores Concat(IReadOnlyList<BacktestFold> folds, string name)
    {
        var parts = folds.Select(f => f.Scores.First(s => s.ModelName == name)).ToArray();
        var ids = parts.SelectMany(p => p.CustomerIds).ToArray();
        var actual = parts.SelectMany(p => p.Actual).ToArray();
        var predicted = parts.SelectMany(p => p.Predicted).ToArray();
        var probability = parts.All(p => p.PurchaseProbability is not null) ? parts.SelectMany(p => p.PurchaseProbability!).ToArray() : null;
        return new ModelScores(name, ids, actual, predicted, probability);
    }

    private static double Percentile(List<double> sorted, double level)
    {
        var position = level * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
