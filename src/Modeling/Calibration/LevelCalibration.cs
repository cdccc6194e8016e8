using Clv.Modeling.Features;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;

namespace Clv.Modeling.Calibration;

/// <summary>
/// Sets a trained model's spend level to that of the most recent label window it may see.
/// </summary>
/// <remarks>
/// <para>
/// The model learns from several rolling origins; older origins' label windows hold customers at shorter tenures and
/// other seasons, so the level it learns is an average over windows, not the level of the window next to the cutoff.
/// Customer spend drifts (cohorts age, churn accumulates), and a supervised model otherwise carries the older windows'
/// level into the future: on CDNOW it over-predicted the half year after each cutoff by 15%.
/// </para>
/// <para>
/// The correction is one factor <c>r = total actual / total expected</c> over the examples of the latest origin, whose
/// labels end on the cutoff (or the as-of day) and so are known when the model is built. It is applied as
/// <c>mu + log r</c> (the bias of the head's <c>mu</c> logit), which multiplies the expected spend and every quantile
/// by <c>r</c>, leaves the probability of purchase and every ranking unchanged, and needs nothing new in the model file
/// or the ONNX graph.
/// </para>
/// </remarks>
public static class LevelCalibration
{
    /// <summary>The model with its level set to the latest origin's, and the factor applied.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="latestOrigin">Examples whose labels end on the cutoff: inputs up to the latest origin, labels the horizon after it.</param>
    /// <param name="threadCount">Threads of the prediction.</param>
    /// <returns>The model unchanged with factor 1 when either total is zero or not finite.</returns>
    public static (ClvModel Model, double Factor) ToLatestOrigin(ClvModel model, TrainingExamples latestOrigin, int threadCount)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(latestOrigin);
        if (latestOrigin.Count == 0)
        {
            return (model, 1);
        }

        var (p, mu, sigma) = model.PredictDistribution(latestOrigin.Inputs, threadCount);
        var expected = 0.0;
        var actual = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            expected += p[i] * Math.Exp(mu[i] + (sigma[i] * sigma[i] / 2));
            actual += latestOrigin.Labels[i];
        }

        var factor = actual / expected;
        if (!(expected > 0 && actual > 0 && double.IsFinite(factor)))
        {
            return (model, 1);
        }

        var weights = model.Weights.Clone();
        weights.HeadB[LstmShape.MuLogit] += (float)Math.Log(factor);
        return (new ClvModel(model.Metadata, model.Normalizer, weights), factor);
    }
}
