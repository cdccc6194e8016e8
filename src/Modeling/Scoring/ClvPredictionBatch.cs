namespace Clv.Modeling.Scoring;

/// <summary>
/// Predictions for a set of customers, one column per output, in the order of <paramref name="CustomerIds"/>: what
/// <c>ClvModel</c>, <see cref="ClvScorer"/> and ONNX Runtime produce for a batch and the prediction files hold.
/// </summary>
/// <param name="CustomerIds">Customer ids, <c>[N]</c>.</param>
/// <param name="Clv">Expected spend over the horizon, <c>[N]</c>.</param>
/// <param name="PPurchase">Probability of any spend over the horizon, <c>[N]</c>.</param>
/// <param name="ClvP10">10th percentile of spend over the horizon, <c>[N]</c>.</param>
/// <param name="ClvP50">Median spend over the horizon, <c>[N]</c>.</param>
/// <param name="ClvP90">90th percentile of spend over the horizon, <c>[N]</c>.</param>
public sealed record ClvPredictionBatch(IReadOnlyList<string> CustomerIds, float[] Clv, float[] PPurchase, float[] ClvP10, float[] ClvP50, float[] ClvP90)
{
    /// <summary>Number of customers.</summary>
    public int Count => Clv.Length;

    /// <summary>The prediction of the customer at <paramref name="index"/>.</summary>
    public ClvPrediction this[int index] => new(Clv[index], PPurchase[index], ClvP10[index], ClvP50[index], ClvP90[index]);

    /// <summary>A batch of zeros for <paramref name="customerIds"/>, to be filled in.</summary>
    public static ClvPredictionBatch Allocate(IReadOnlyList<string> customerIds)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        var count = customerIds.Count;
        return new ClvPredictionBatch(customerIds, new float[count], new float[count], new float[count], new float[count], new float[count]);
    }
}
