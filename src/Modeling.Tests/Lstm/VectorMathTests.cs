using Clv.Modeling.Lstm;

namespace Clv.Modeling.Tests.Lstm;

public class VectorMathTests
{
    private const double ExpRelativeTolerance = 1e-6;
    private const double ActivationAbsoluteTolerance = 1e-6;

    public static TheoryData<VectorWidth> Widths() => [.. LstmKernels.AcceleratedWidths];

    // 4099 points: whole registers at every width and a tail of 3 that goes one float at a time.
    private static float[] Points(float min, float max)
    {
        var values = new float[4099];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = min + ((max - min) * i / (values.Length - 1));
        }

        return values;
    }

    private static void Check(float[] inputs, float[] results, Func<double, double> exact, Func<double, double, double> error, double tolerance)
    {
        for (var i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i];
            Assert.True(error(results[i], exact(x)) <= tolerance, $"x = {x:G9}: got {results[i]:G9}, exact {exact(x):G9}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Exp_IsWithinRelativeToleranceOverTheUsableRange(VectorWidth width)
    {
        var x = Points(-80, 80);
        var y = new float[x.Length];

        VectorMath.Exp(width, x, y);

        Check(x, y, Math.Exp, (got, exact) => Math.Abs(got - exact) / exact, ExpRelativeTolerance);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Sigmoid_IsWithinAbsoluteToleranceAndSaturates(VectorWidth width)
    {
        var x = Points(-120, 120);
        var y = new float[x.Length];

        VectorMath.Sigmoid(width, x, y);

        Check(x, y, x => 1 / (1 + Math.Exp(-x)), (got, exact) => Math.Abs(got - exact), ActivationAbsoluteTolerance);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Tanh_IsWithinAbsoluteToleranceAndSaturates(VectorWidth width)
    {
        var x = Points(-60, 60);
        var y = new float[x.Length];

        VectorMath.Tanh(width, x, y);

        Check(x, y, Math.Tanh, (got, exact) => Math.Abs(got - exact), ActivationAbsoluteTolerance);
    }

    [Fact]
    public void Exp_WithShortDestination_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => VectorMath.Exp(VectorWidth.Scalar, new float[8], new float[7]));

        Assert.Equal("destination", error.ParamName);
    }
}
