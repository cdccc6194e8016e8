using System.Globalization;
using System.Text.Json;
using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;

namespace Clv.Modeling.Scoring;

/// <summary>
/// How stored predictions fared against what the customers then spent: the drift watch of a deployed model.
/// Predictions made at <see cref="PredictedAsOf"/> for the <c>H</c> buckets after it are compared with each
/// customer's net spend in those buckets (floored at 0, as labels are), read from the partials.
/// </summary>
/// <param name="ModelVersion">The model that made the predictions.</param>
/// <param name="PredictedAsOf">Last day of the data the predictions were made from.</param>
/// <param name="WindowStart">First day of the realized window, the day after the as-of bucket.</param>
/// <param name="WindowEnd">Last day of the realized window, the end of the <c>H</c>-th bucket after the as-of bucket.</param>
/// <param name="Customers">Customers judged: those predicted, or the sample of them the caller passed.</param>
/// <param name="Gini">Normalised Gini of the predictions against realized spend.</param>
/// <param name="Spearman">Spearman rank correlation.</param>
/// <param name="DecileMape">Decile MAPE.</param>
/// <param name="Bias">Total predicted over total realized, minus 1.</param>
/// <param name="Coverage80">Share of customers whose realized spend lies in <c>[P10, P90]</c> (a calibrated model shows <see cref="Loss.SpendInterval.ExpectedCoverage"/> on average: 0.8 to 0.9 where customers buy, more where most buy nothing).</param>
public sealed record RealizedAccuracy(
    string ModelVersion,
    DateOnly PredictedAsOf,
    DateOnly WindowStart,
    DateOnly WindowEnd,
    int Customers,
    MetricValue Gini,
    MetricValue Spearman,
    MetricValue DecileMape,
    MetricValue Bias,
    MetricValue Coverage80)
{
    /// <summary>
    /// Customers predicted in all when <see cref="Customers"/> is a sample of them, else <see langword="null"/>: the
    /// metrics are estimates over a uniform sample of this many customers.
    /// </summary>
    public long? PredictedCustomers { get; init; }

    /// <summary>
    /// The days a prediction made at <paramref name="asOf"/> covers: from the day after the as-of bucket to the end of
    /// the <paramref name="horizonBuckets"/>-th bucket after it.
    /// </summary>
    public static (DateOnly First, DateOnly Last) Window(DateOnly asOf, int horizonBuckets, BucketSize bucket)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonBuckets, 1);
        var index = BucketMath.Index(asOf, bucket);
        return (BucketMath.End(index, bucket).AddDays(1), BucketMath.End(index + horizonBuckets, bucket));
    }

    /// <summary>
    /// Judges <paramref name="predictions"/>, made at <paramref name="predictedAsOf"/>, against each customer's net
    /// spend over the <see cref="Window"/> after it; customers without spend there count as 0.
    /// </summary>
    /// <param name="modelVersion">The model that made the predictions.</param>
    /// <param name="predictions">The stored predictions, with their interval.</param>
    /// <param name="predictedAsOf">Their as-of day.</param>
    /// <param name="horizonBuckets">The model's horizon, <c>H</c>.</param>
    /// <param name="bucket">The model's bucket.</param>
    /// <param name="spentInWindow">Net spend per customer over the window's days.</param>
    /// <param name="dataEnd">Last day of the data the spend was read from.</param>
    /// <exception cref="ArgumentException">The data ends before the window does, so the outcome is not known yet.</exception>
    public static RealizedAccuracy Measure(string modelVersion, ClvPredictionBatch predictions, DateOnly predictedAsOf, int horizonBuckets, BucketSize bucket, IReadOnlyDictionary<string, double> spentInWindow, DateOnly dataEnd)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(spentInWindow);
        var (windowStart, windowEnd) = Window(predictedAsOf, horizonBuckets, bucket);
        if (dataEnd < windowEnd)
        {
            throw new ArgumentException(
                $"The data ends on {dataEnd:yyyy-MM-dd}, before the window of the predictions made at {predictedAsOf:yyyy-MM-dd} ends ({windowEnd:yyyy-MM-dd}).", nameof(dataEnd));
        }

        var actual = new double[predictions.Count];
        var predicted = new double[predictions.Count];
        var covered = 0;
        for (var i = 0; i < predictions.Count; i++)
        {
            actual[i] = spentInWindow.TryGetValue(predictions.CustomerIds[i], out var spend) ? Math.Max(spend, 0) : 0;
            predicted[i] = predictions.Clv[i];
            if (actual[i] >= predictions.ClvP10[i] && actual[i] <= predictions.ClvP90[i])
            {
                covered++;
            }
        }

        var coverage = predictions.Count == 0 ? MetricValue.Undefined("no customers were predicted") : MetricValue.Of((double)covered / predictions.Count);
        return new RealizedAccuracy(
            modelVersion,
            predictedAsOf,
            windowStart,
            windowEnd,
            predictions.Count,
            ClvMetrics.NormalizedGini(actual, predicted),
            ClvMetrics.Spearman(actual, predicted),
            ClvMetrics.DecileMape(actual, predicted),
            ClvMetrics.AggregateBias(actual, predicted),
            coverage);
    }

    /// <summary>
    /// One JSON object: <c>modelVersion</c>, <c>predictedAsOf</c>, <c>windowStart</c>, <c>windowEnd</c>,
    /// <c>customers</c> (judged), <c>predictedCustomers</c> (when <see cref="PredictedCustomers"/> is set), and <c>gini</c>, <c>spearman</c>, <c>decileMape</c>, <c>bias</c>, <c>coverage80</c>
    /// (null when undefined, with <c>{name}Note</c> giving the reason).
    /// </summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("modelVersion", ModelVersion);
            writer.WriteString("predictedAsOf", PredictedAsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.WriteString("windowStart", WindowStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.WriteString("windowEnd", WindowEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.WriteNumber("customers", Customers);
            if (PredictedCustomers is { } predicted)
            {
                writer.WriteNumber("predictedCustomers", predicted);
            }

            Write(writer, "gini", Gini);
            Write(writer, "spearman", Spearman);
            Write(writer, "decileMape", DecileMape);
            Write(writer, "bias", Bias);
            Write(writer, "coverage80", Coverage80);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, string name, MetricValue metric)
    {
        if (metric.Value is { } value)
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
            writer.WriteString(name + "Note", metric.Note);
        }
    }
}
