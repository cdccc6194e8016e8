using System.Runtime.Intrinsics;
using Clv.Modeling.Lstm;

namespace Clv.Modeling.Tests.Lstm;

public class VectorMathTests
{
    private const double ExpRelativeTolerance = 1e-6;
    private const double ActivationAbsoluteTolerance = 1e-6;

    private static float[] Points(float min, float max)
    {
        var values = new float[4096];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = min + ((max - min) * i / (values.Length - 1));
        }

        return values;
    }

    private static void Check(float[] inputs, Func<Vector512<float>, Vector512<float>> vector, Func<double, double> exact, Func<double, double, double> error, double tolerance)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Assert.Skip("Vector512 is not hardware accelerated on this machine; the AVX-512 activation path is not used here.");
        }

        for (var i = 0; i < inputs.Length; i += 16)
        {
            var result = vector(Vector512.Create(inputs, i));
            for (var lane = 0; lane < 16; lane++)
            {
                var x = inputs[i + lane];
                Assert.True(error(result[lane], exact(x)) <= tolerance, $"x = {x:G9}: got {result[lane]:G9}, exact {exact(x):G9}");
            }
        }
    }

    [Fact]
    public void Exp_IsWithinRelativeToleranceOverTheUsableRange() =>
        Check(Points(-80, 80), VectorMath.Exp, Math.Exp, (got, exact) => Math.Abs(got - exact) / exact, ExpRelativeTolerance);

    [Fact]
    public void Sigmoid_IsWithinAbsoluteToleranceAndSaturates() =>
        Check(Points(-120, 120), VectorMath.Sigmoid, x => 1 / (1 + Math.Exp(-x)), (got, exact) => Math.Abs(got - exact), ActivationAbsoluteTolerance);

    [Fact]
    public void Tanh_IsWithinAbsoluteToleranceAndSaturates() =>
        Check(Points(-60, 60), VectorMath.Tanh, Math.Tanh, (got, exact) => Math.Abs(got - exact), ActivationAbsoluteTolerance);
}
