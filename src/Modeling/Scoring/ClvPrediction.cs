namespace Clv.Modeling.Scoring;

/// <summary>One customer's prediction over the model's horizon.</summary>
/// <param name="Clv">Expected spend over the model's horizon.</param>
/// <param name="PPurchase">Probability of any spend over the horizon.</param>
/// <param name="ClvP10">10th percentile of spend over the horizon.</param>
/// <param name="ClvP50">Median spend over the horizon.</param>
/// <param name="ClvP90">90th percentile of spend over the horizon.</param>
public readonly record struct ClvPrediction(float Clv, float PPurchase, float ClvP10, float ClvP50, float ClvP90)
{
    /// <summary>
    /// Whether every value is a finite number: a model whose weights or inputs overflow can give NaN or infinity, which
    /// must never be written as a prediction.
    /// </summary>
    public bool IsFinite => float.IsFinite(Clv) && float.IsFinite(PPurchase) && float.IsFinite(ClvP10) && float.IsFinite(ClvP50) && float.IsFinite(ClvP90);
}
