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
