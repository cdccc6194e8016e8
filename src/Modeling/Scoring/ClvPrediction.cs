namespace Clv.Modeling.Scoring;

/// <summary>One customer's prediction.</summary>
/// <param name="Clv">Expected spend over the model's horizon.</param>
/// <param name="PPurchase">Probability of any spend over the horizon.</param>
/// <param name="ClvP10">10th percentile of spend over the horizon.</param>
/// <param name="ClvP50">Median spend over the horizon.</param>
/// <param name="ClvP90">90th percentile of spend over the horizon.</param>
public readonly record struct ClvPrediction(float Clv, float PPurchase, float ClvP10, float ClvP50, float ClvP90);

/// <summary>Predictions for a set of customers, in the order of <paramref name="CustomerIds"/>.</summary>
/// <param name="CustomerIds">Customer ids, <c>[N]</c>.</param>
/// <param name="Clv">Expected spend over the horizon, <c>[N]</c>.</param>
/// <param name="PPurchase">Probability of any spend over the horizon, <c>[N]</c>.</param>
/// <param name="ClvP10">10th percentile of spend over the horizon, <c>[N]</c>.</param>
/// <param name="ClvP50">Median spend over the horizon, <c>[N]</c>.</param>
/// <param name="ClvP90">90th percentile of spend over the horizon, <c>[N]</c>.</param>
public sealed record ClvScores(IReadOnlyList<string> CustomerIds, float[] Clv, float[] PPurchase, float[] ClvP10, float[] ClvP50, float[] ClvP90)
{
    /// <summary>Number of customers.</summary>
    public int Count => Clv.Length;
}
