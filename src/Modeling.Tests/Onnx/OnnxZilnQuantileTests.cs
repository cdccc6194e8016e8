using Clv.Modeling.Loss;
using Clv.Modeling.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Clv.Modeling.Tests.Onnx;

/// <summary>The ONNX quantile nodes (a rational inverse normal CDF) agree with <see cref="Ziln.Quantile"/>.</summary>
public class OnnxZilnQuantileTests
{
    /// <summary>Relative accuracy of the inverse normal CDF itself, away from the zero mass.</summary>
    private const double InverseCdfRelative = 1e-6;

    [Fact]
    public void StandardNormalQuantiles_MatchTheDoublePrecisionInverseCdf_AcrossCentralAndTailRegions()
    {
        // p = 1 makes the conditional level equal to the level, so exp(z) is read back directly: mu = 0, sigma = 1.
        // Levels near 1 are not float32-representable to 1e-6 in their complement, so the upper tail stops at 0.95.
        double[] levels = [1e-12, 1e-9, 1e-6, 0.001, 0.02, 0.0749, 0.0751, 0.2, 0.5, 0.7, 0.9249, 0.9251, 0.95];
        var quantiles = Run(levels, [1f], [0f], [1f]);

        for (var k = 0; k < levels.Length; k++)
        {
            var expected = Ziln.Quantile(1, 0, 1, levels[k]);
            var z = Math.Log(quantiles[k]);
            var expectedZ = Math.Log(expected);
            Assert.True(Math.Abs(z - expectedZ) <= InverseCdfRelative * Math.Max(1, Math.Abs(expectedZ)), $"level {levels[k]}: z {z:R}, expected {expectedZ:R}");
        }
    }

    [Fact]
    public void Quantiles_MatchZilnQuantile_OverAGridOfProbabilitiesLocationsAndScales()
    {
        var p = new List<float>();
        var mu = new List<float>();
        var sigma = new List<float>();
        foreach (var probability in new[] { 1e-6f, 0.05f, 0.0999f, 0.1001f, 0.3f, 0.5f, 0.51f, 0.75f, 0.9f, 0.95f, 0.999f, 1f })
        {
            foreach (var location in new[] { -3f, 0f, 2.5f, 6f })
            {
                foreach (var scale in new[] { 0.05f, 0.7f, 1.5f, 3f })
                {
                    p.Add(probability);
                    mu.Add(location);
                    sigma.Add(scale);
                }
            }
        }

        var quantiles = Run(SpendInterval.Levels.ToArray(), [.. p], [.. mu], [.. sigma]);

        for (var n = 0; n < p.Count; n++)
        {
            for (var k = 0; k < SpendInterval.Levels.Length; k++)
            {
                var expected = Ziln.Quantile(p[n], mu[n], sigma[n], SpendInterval.Levels[k]);
                var actual = quantiles[(n * SpendInterval.Levels.Length) + k];
                Assert.True(Tolerance.Agrees(actual, expected), $"p {p[n]}, mu {mu[n]}, sigma {sigma[n]}, level {SpendInterval.Levels[k]}: got {actual:R}, expected {expected:R}");
            }
        }
    }

    [Fact]
    public void Quantiles_AreZeroAtOrBelowTheZeroMass_AndOrderedAbove()
    {
        // p = 0.3: 70% of customers spend nothing, so P10 and P50 are 0 and P90 is positive.
        var quantiles = Run(SpendInterval.Levels.ToArray(), [0.3f, 0.95f], [3f, 3f], [1f, 1f]);

        Assert.Equal(0f, quantiles[0]);
        Assert.Equal(0f, quantiles[1]);
        Assert.True(quantiles[2] > 0);
        Assert.True(quantiles[3] > 0 && quantiles[3] < quantiles[4] && quantiles[4] < quantiles[5], $"P10 {quantiles[3]}, P50 {quantiles[4]}, P90 {quantiles[5]}");
    }

    private static float[] Run(double[] levels, float[] p, float[] mu, float[] sigma)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(OnnxZilnQuantiles.StandaloneBytes(levels), options);
        using var pValue = OrtValue.CreateTensorValueFromMemory(p, [p.Length, 1]);
        using var muValue = OrtValue.CreateTensorValueFromMemory(mu, [mu.Length, 1]);
        using var sigmaValue = OrtValue.CreateTensorValueFromMemory(sigma, [sigma.Length, 1]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["p", "mu", "sigma"], [pValue, muValue, sigmaValue], ["quantiles"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
