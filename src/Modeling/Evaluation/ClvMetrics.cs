using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics.Tensors;

namespace Clv.Modeling.Evaluation;

/// <summary>
/// Lifetime-value evaluation metrics with the definitions of google/lifetime_value
/// (<c>lifetime_value/metrics.py</c>, Wang, Liu and Miao 2019). Every method takes one value per
/// customer: <c>actual</c> is the observed spend over the horizon (non-negative), <c>predicted</c> the
/// model's predicted spend for the same customers in the same order.
/// </summary>
/// <remarks>
/// Ties in the predictions are resolved by averaging: a group of customers with equal predictions
/// contributes to the gain curve as if each held the group's mean actual value (the expected curve
/// over every order of the group), and ranks are average ranks. No method returns NaN: a metric that
/// is undefined on the given customers (empty input, all-zero actual values, constant values)
/// comes back as <see cref="MetricValue.Undefined(string)"/> with the reason.
/// Arguments of different lengths, non-finite values and negative actual values throw.
/// </remarks>
public static class ClvMetrics
{
    /// <summary>Number of prediction buckets for <see cref="DecileMape"/> and <see cref="Deciles"/>.</summary>
    public const int DecileCount = 10;

    private const string EmptyReason = "no customers to evaluate";
    private const string ZeroActualReason = "every actual value is zero, so no share of value can be computed";

    /// <summary>
    /// Every metric at once. <see cref="ModelMetrics.Auc"/> is <see langword="null"/> (not applicable)
    /// because no purchase probability is given.
    /// </summary>
    public static ModelMetrics Compute(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted) =>
        ComputeCore(actual, predicted, auc: null);

    /// <summary>Every metric at once, including the AUC of <paramref name="purchaseProbability"/> against any spend.</summary>
    public static ModelMetrics Compute(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, ReadOnlySpan<double> purchaseProbability) =>
        ComputeCore(actual, predicted, Auc(actual, purchaseProbability));

    /// <summary>
    /// The gain curve: after ranking customers by prediction, highest first, element <c>k</c> is the
    /// share of total actual value held by the first <c>k + 1</c> customers. Shape <c>[customerCount]</c>;
    /// empty when there are no customers or every actual value is zero.
    /// </summary>
    public static double[] GainCurve(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        Validate(actual, predicted, nameof(predicted));
        var total = Sum(actual);
        if (actual.Length == 0 || total == 0)
        {
            return [];
        }

        var gain = new double[actual.Length];
        GainCurveCore(actual, predicted, total, gain);
        return gain;
    }

    /// <summary>
    /// Normalised Gini coefficient: the raw Gini of the model's gain curve, <c>2 * sum(gain) / n - 1</c>,
    /// divided by the raw Gini of the perfect ordering (customers ranked by their actual value).
    /// 1 is a perfect ranking; a random ranking is close to 0.
    /// </summary>
    /// <remarks>Undefined when there are no customers or every actual value is zero.</remarks>
    public static MetricValue NormalizedGini(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        Validate(actual, predicted, nameof(predicted));
        if (actual.Length == 0)
        {
            return MetricValue.Undefined(EmptyReason);
        }

        var total = Sum(actual);
        if (total == 0)
        {
            return MetricValue.Undefined(ZeroActualReason);
        }

        // Scratch from the pool: the backtest's bootstrap computes thousands of these over the same row count, and fresh
        // arrays of that size are large-object garbage that the runtime let pile up to hundreds of MB.
        var rented = ArrayPool<double>.Shared.Rent(actual.Length);
        var gain = rented.AsSpan(0, actual.Length);
        GainCurveCore(actual, predicted, total, gain);
        var model = RawGini(gain);
        GainCurveCore(actual, actual, total, gain);
        var perfect = RawGini(gain);
        ArrayPool<double>.Shared.Return(rented);

        // The perfect curve lies on or above the diagonal, so its raw Gini is at least 1/n > 0.
        return MetricValue.Of(model / perfect);
    }

    /// <summary>Spearman rank correlation: the Pearson correlation of average ranks.</summary>
    /// <remarks>Undefined for fewer than two customers or when either side is constant.</remarks>
    public static MetricValue Spearman(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        Validate(actual, predicted, nameof(predicted));
        if (actual.Length < 2)
        {
            return MetricValue.Undefined("Spearman correlation needs at least two customers");
        }

        // Pooled scratch, as in NormalizedGini.
        var rentedActual = ArrayPool<double>.Shared.Rent(actual.Length);
        var rentedPredicted = ArrayPool<double>.Shared.Rent(actual.Length);
        try
        {
            return SpearmanOfRanks(AverageRanks(actual, rentedActual.AsSpan(0, actual.Length)), AverageRanks(predicted, rentedPredicted.AsSpan(0, actual.Length)));
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rentedActual);
            ArrayPool<double>.Shared.Return(rentedPredicted);
        }
    }

    private static MetricValue SpearmanOfRanks(ReadOnlySpan<double> actualRanks, ReadOnlySpan<double> predictedRanks)
    {
        var actualMean = TensorPrimitives.Average<double>(actualRanks);
        var predictedMean = TensorPrimitives.Average<double>(predictedRanks);
        double covariance = 0, actualVariance = 0, predictedVariance = 0;
        for (var i = 0; i < actualRanks.Length; i++)
        {
            var da = actualRanks[i] - actualMean;
            var dp = predictedRanks[i] - predictedMean;
            covariance += da * dp;
            actualVariance += da * da;
            predictedVariance += dp * dp;
        }

        if (actualVariance == 0)
        {
            return MetricValue.Undefined("every actual value is equal, so there is no order to correlate with");
        }

        if (predictedVariance == 0)
        {
            return MetricValue.Undefined("every prediction is equal, so the predictions carry no order");
        }

        return MetricValue.Of(Math.Clamp(covariance / Math.Sqrt(actualVariance * predictedVariance), -1, 1));
    }

    /// <summary>
    /// Per-decile statistics: customers are cut into <see cref="DecileCount"/> buckets at the deciles of
    /// the predictions (as <c>pandas.qcut</c> does: linear-interpolated quantile edges, right-closed,
    /// the lowest edge included), lowest predictions first. Buckets left empty by tied edges are omitted.
    /// </summary>
    public static IReadOnlyList<DecileStat> Deciles(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        Validate(actual, predicted, nameof(predicted));
        if (actual.Length == 0)
        {
            return [];
        }

        var sorted = predicted.ToArray();
        Array.Sort(sorted);
        Span<double> edges = stackalloc double[DecileCount + 1];
        for (var i = 0; i <= DecileCount; i++)
        {
            edges[i] = Quantile(sorted, (double)i / DecileCount);
        }

        Span<int> counts = stackalloc int[DecileCount];
        Span<double> actualSums = stackalloc double[DecileCount];
        Span<double> predictedSums = stackalloc double[DecileCount];
        counts.Clear();
        actualSums.Clear();
        predictedSums.Clear();
        for (var i = 0; i < actual.Length; i++)
        {
            var bucket = 0;
            while (bucket < DecileCount - 1 && predicted[i] > edges[bucket + 1])
            {
                bucket++;
            }

            counts[bucket]++;
            actualSums[bucket] += actual[i];
            predictedSums[bucket] += predicted[i];
        }

        var result = new List<DecileStat>(DecileCount);
        for (var bucket = 0; bucket < DecileCount; bucket++)
        {
            if (counts[bucket] > 0)
            {
                result.Add(new DecileStat(bucket, counts[bucket], actualSums[bucket] / counts[bucket], predictedSums[bucket] / counts[bucket]));
            }
        }

        return result;
    }

    /// <summary>
    /// Decile MAPE: the mean over prediction deciles (<see cref="Deciles"/>) of
    /// <c>|mean prediction - mean actual| / mean actual</c>.
    /// </summary>
    /// <remarks>
    /// A decile whose mean actual value is zero has no relative error; it is left out and the
    /// value's <see cref="MetricValue.Note"/> says how many were. Undefined when no decile has a
    /// positive mean actual value.
    /// </remarks>
    public static MetricValue DecileMape(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        var deciles = Deciles(actual, predicted);
        if (deciles.Count == 0)
        {
            return MetricValue.Undefined(EmptyReason);
        }

        double sum = 0;
        var used = 0;
        foreach (var decile in deciles)
        {
            if (decile.ActualMean > 0)
            {
                sum += Math.Abs(decile.PredictedMean - decile.ActualMean) / decile.ActualMean;
                used++;
            }
        }

        if (used == 0)
        {
            return MetricValue.Undefined("every prediction decile has zero mean actual value");
        }

        var skipped = deciles.Count - used;
        var note = skipped == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{skipped} of {deciles.Count} deciles had zero mean actual value and were left out");
        return MetricValue.Of(sum / used, note);
    }

    /// <summary>Mean absolute error, <c>mean(|predicted - actual|)</c>.</summary>
    public static MetricValue MeanAbsoluteError(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        Validate(actual, predicted, nameof(predicted));
        if (actual.Length == 0)
        {
            return MetricValue.Undefined(EmptyReason);
        }

        double sum = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += Math.Abs(predicted[i] - actual[i]);
        }

        return MetricValue.Of(sum / actual.Length);
    }

    /// <summary>Root mean squared error, <c>sqrt(mean((predicted - actual)^2))</c>.</summary>
    public static MetricValue RootMeanSquaredError(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        Validate(actual, predicted, nameof(predicted));
        if (actual.Length == 0)
        {
            return MetricValue.Undefined(EmptyReason);
        }

        return MetricValue.Of(TensorPrimitives.Distance(actual, predicted) / Math.Sqrt(actual.Length));
    }

    /// <summary>Aggregate bias, <c>sum(predicted) / sum(actual) - 1</c>: 0 is unbiased, positive over-predicts.</summary>
    /// <remarks>Undefined when there are no customers or every actual value is zero.</remarks>
    public static MetricValue AggregateBias(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        Validate(actual, predicted, nameof(predicted));
        if (actual.Length == 0)
        {
            return MetricValue.Undefined(EmptyReason);
        }

        var total = Sum(actual);
        return total == 0 ? MetricValue.Undefined(ZeroActualReason) : MetricValue.Of((Sum(predicted) / total) - 1);
    }

    /// <summary>
    /// Share of total actual value held by the top decile of customers by prediction: the gain curve
    /// at <c>ceil(n / 10)</c> customers (ties at the cut share their group's mean value).
    /// </summary>
    /// <remarks>Undefined when there are no customers or every actual value is zero.</remarks>
    public static MetricValue TopDecileCapture(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        Validate(actual, predicted, nameof(predicted));
        if (actual.Length == 0)
        {
            return MetricValue.Undefined(EmptyReason);
        }

        var total = Sum(actual);
        if (total == 0)
        {
            return MetricValue.Undefined(ZeroActualReason);
        }

        var top = (actual.Length + DecileCount - 1) / DecileCount;
        var rented = ArrayPool<double>.Shared.Rent(actual.Length);
        GainCurveCore(actual, predicted, total, rented.AsSpan(0, actual.Length));
        var capture = rented[top - 1];
        ArrayPool<double>.Shared.Return(rented);
        return MetricValue.Of(capture);
    }

    /// <summary>
    /// Area under the ROC curve of <paramref name="purchaseProbability"/> as a score for "any spend"
    /// (<c>actual &gt; 0</c>), by the Mann-Whitney statistic with average ranks (a tied pair counts one half).
    /// </summary>
    /// <remarks>Undefined when every customer spent, or none did.</remarks>
    public static MetricValue Auc(ReadOnlySpan<double> actual, ReadOnlySpan<double> purchaseProbability)
    {
        Validate(actual, purchaseProbability, nameof(purchaseProbability));
        if (actual.Length == 0)
        {
            return MetricValue.Undefined(EmptyReason);
        }

        var ranks = AverageRanks(purchaseProbability);
        double positiveRankSum = 0;
        long positives = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (actual[i] > 0)
            {
                positiveRankSum += ranks[i];
                positives++;
            }
        }

        long negatives = actual.Length - positives;
        if (positives == 0)
        {
            return MetricValue.Undefined("no customer spent anything, so there is no positive class");
        }

        if (negatives == 0)
        {
            return MetricValue.Undefined("every customer spent, so there is no negative class");
        }

        var u = positiveRankSum - (positives * (positives + 1) / 2.0);
        return MetricValue.Of(u / ((double)positives * negatives));
    }

    /// <summary>1-based average ranks (ties share the mean of the ranks they span). Shape <c>[n]</c>.</summary>
    internal static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        var ranks = new double[values.Length];
        AverageRanks(values, ranks);
        return ranks;
    }

    /// <summary>The average ranks of <paramref name="values"/> written into <paramref name="ranks"/> (the same length), which it returns.</summary>
    private static ReadOnlySpan<double> AverageRanks(ReadOnlySpan<double> values, Span<double> ranks)
    {
        var rented = ArrayPool<int>.Shared.Rent(values.Length);
        var order = rented.AsSpan(0, values.Length);
        SortedOrder(values, descending: false, order);
        var start = 0;
        while (start < order.Length)
        {
            var end = start + 1;
            while (end < order.Length && values[order[end]] == values[order[start]])
            {
                end++;
            }

            // Positions start..end-1 hold 1-based ranks start+1..end; their mean is (start + 1 + end) / 2.
            var rank = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end;
        }

        ArrayPool<int>.Shared.Return(rented);
        return ranks;
    }

    private static ModelMetrics ComputeCore(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted, MetricValue? auc) => new(
        Gini: NormalizedGini(actual, predicted),
        Spearman: Spearman(actual, predicted),
        DecileMape: DecileMape(actual, predicted),
        Mae: MeanAbsoluteError(actual, predicted),
        Rmse: RootMeanSquaredError(actual, predicted),
        Bias: AggregateBias(actual, predicted),
        TopDecileCapture: TopDecileCapture(actual, predicted),
        Auc: auc);

    private static double RawGini(ReadOnlySpan<double> gain) => (2 * TensorPrimitives.Sum<double>(gain) / gain.Length) - 1;

    // Gain curve with tie groups of the ranking key replaced by their mean actual value, written into gain ([n]).
    private static void GainCurveCore(ReadOnlySpan<double> actual, ReadOnlySpan<double> rankBy, double total, Span<double> gain)
    {
        var rented = ArrayPool<int>.Shared.Rent(actual.Length);
        var order = rented.AsSpan(0, actual.Length);
        SortedOrder(rankBy, descending: true, order);
        double cumulative = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start + 1;
            double groupSum = actual[order[start]];
            while (end < order.Length && rankBy[order[end]] == rankBy[order[start]])
            {
                groupSum += actual[order[end]];
                end++;
            }

            var groupMean = groupSum / (end - start);
            for (var k = start; k < end; k++)
            {
                cumulative += groupMean;
                gain[k] = cumulative / total;
            }

            start = end;
        }

        ArrayPool<int>.Shared.Return(rented);
    }

    // The indices of keys in sorted order (ascending, or descending by negated keys), written into order ([n]). The span
    // sort is the one Array.Sort(keys, items) runs, so ties come out in the same order.
    private static void SortedOrder(ReadOnlySpan<double> keys, bool descending, Span<int> order)
    {
        var rented = ArrayPool<double>.Shared.Rent(keys.Length);
        var sortKeys = rented.AsSpan(0, keys.Length);
        keys.CopyTo(sortKeys);
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            if (descending)
            {
                sortKeys[i] = -sortKeys[i];
            }
        }

        sortKeys.Sort(order);
        ArrayPool<double>.Shared.Return(rented);
    }

    // numpy's default ("linear") quantile of sorted values.
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }

    private static double Sum(ReadOnlySpan<double> values) => values.Length == 0 ? 0 : TensorPrimitives.Sum(values);

    private static void Validate(ReadOnlySpan<double> actual, ReadOnlySpan<double> other, string otherName)
    {
        if (other.Length != actual.Length)
        {
            ThrowLengthMismatch(otherName, other.Length, actual.Length);
        }

        for (var i = 0; i < actual.Length; i++)
        {
            if (!double.IsFinite(actual[i]) || actual[i] < 0)
            {
                ThrowBadValue("actual", i, actual[i], "a finite, non-negative spend");
            }

            if (!double.IsFinite(other[i]))
            {
                ThrowBadValue(otherName, i, other[i], "a finite number");
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowLengthMismatch(string name, int length, int actualLength) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"'{name}' has {length} values but 'actual' has {actualLength}; both need one value per customer."),
            name);

    [DoesNotReturn]
    private static void ThrowBadValue(string name, int index, double value, string expected) =>
        throw new ArgumentOutOfRangeException(
            name,
            value,
            string.Create(CultureInfo.InvariantCulture, $"'{name}'[{index}] is {value}; expected {expected}."));
}
