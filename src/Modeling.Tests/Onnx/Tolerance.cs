using Clv.Modeling.Scoring;

namespace Clv.Modeling.Tests.Onnx;

/// <summary>Agreement between ONNX Runtime and the reference forward pass.</summary>
internal static class Tolerance
{
    /// <summary>The contract: ONNX Runtime and the reference agree to 1e-5 relative.</summary>
    public const double Relative = 1e-5;

    /// <summary>
    /// Absolute floor for values near zero, where float32 rounding (one ulp of 1 is 1.2e-7) dominates a
    /// relative bound: a difference below 1e-7 passes whatever the magnitude.
    /// </summary>
    public const double AbsoluteFloor = 1e-7;

    public static bool Agrees(double actual, double expected) =>
        actual.Equals(expected) || Math.Abs(actual - expected) <= Math.Max(AbsoluteFloor, Relative * Math.Abs(expected));

    /// <summary>
    /// Asserts that the three quantile outputs agree element-wise: to <see cref="Relative"/> where the quantile is
    /// well conditioned, with an allowance that grows as the level nears the zero mass <c>1 - p</c>.
    /// </summary>
    /// <remarks>
    /// A quantile is <c>exp(mu + sigma * z)</c> with <c>z = Phi^-1(q)</c>, <c>q = (p - (1 - L)) / p</c>; a float32
    /// rounding <c>dq</c> of <c>q</c> (from <c>p</c>, itself from a float32 logit) moves it by <c>sigma * dq / phi(z)</c>
    /// relative. Where <c>phi(z) &lt; 0.1</c> (<c>q</c> below about 0.04) the allowance is scaled by
    /// <c>0.1 / phi(z)</c>; the inverse CDF itself is checked to 1e-6 separately.
    /// </remarks>
    public static void AssertIntervalAgrees(ClvPredictionBatch expected, ClvPredictionBatch actual, string what)
    {
        Check(expected.ClvP10, actual.ClvP10, Clv.Modeling.Loss.SpendInterval.LowLevel, "clv_p10");
        Check(expected.ClvP50, actual.ClvP50, Clv.Modeling.Loss.SpendInterval.MedianLevel, "clv_p50");
        Check(expected.ClvP90, actual.ClvP90, Clv.Modeling.Loss.SpendInterval.HighLevel, "clv_p90");

        void Check(float[] wanted, float[] got, double level, string name)
        {
            Assert.Equal(wanted.Length, got.Length);
            for (var i = 0; i < wanted.Length; i++)
            {
                var p = (double)expected.PPurchase[i];
                var q = (p - (1 - level)) / p;
                var density = q is > 0 and < 1 ? MathNet.Numerics.Distributions.Normal.PDF(0, 1, MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, q)) : 1;
                var allowed = Math.Max(AbsoluteFloor, Relative * Math.Max(1, 0.1 / density) * Math.Abs(wanted[i]));
                Assert.True(
                    got[i].Equals(wanted[i]) || Math.Abs(got[i] - (double)wanted[i]) <= allowed,
                    $"{what} {name}[{i}]: expected {wanted[i]:R}, got {got[i]:R} (p {p:R}, conditional level {q:R}, allowed {allowed:E2})");
            }
        }
    }

    /// <summary>Asserts agreement element-wise, reporting the worst element.</summary>
    public static void AssertAgrees(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = -1;
        var worstExcess = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (actual[i].Equals(expected[i]))
            {
                continue;
            }

            var allowed = Math.Max(AbsoluteFloor, Relative * Math.Abs(expected[i]));
            var excess = Math.Abs(actual[i] - (double)expected[i]) / allowed;
            if (!(excess <= 1) && (worst < 0 || excess > worstExcess || double.IsNaN(excess)))
            {
                worst = i;
                worstExcess = excess;
            }
        }

        Assert.True(worst < 0, worst < 0 ? string.Empty :
            $"{what}[{worst}]: expected {expected[worst]:R}, got {actual[worst]:R} (|diff| {Math.Abs(actual[worst] - (double)expected[worst]):E2}, {worstExcess:F1}x the tolerance)");
    }
}
