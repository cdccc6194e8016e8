namespace Clv.Modeling.Model;

/// <summary>Model outputs for a block of customers, in input order.</summary>
/// <param name="Clv">Expected spend over the horizon, <c>[N]</c>.</param>
/// <param name="PPurchase">Probability of any spend over the horizon, <c>[N]</c>.</param>
/// <param name="ClvP10">10th percentile of spend over the horizon, <c>[N]</c>.</param>
/// <param name="ClvP50">Median spend over the horizon, <c>[N]</c>.</param>
/// <param name="ClvP90">90th percentile of spend over the horizon, <c>[N]</c>.</param>
public sealed record ClvPredictions(float[] Clv, float[] PPurchase, float[] ClvP10, float[] ClvP50, float[] ClvP90);
