using Clv.Modeling.Loss;

namespace Clv.Modeling.Tests.Loss;

public class ZilnLossTests
{
    private const double ClosedFormTolerance = 1e-12;
    private const double FiniteDifferenceStep = 1e-6;
    private const double FiniteDifferenceTolerance = 1e-6;

    // softplus^-1(1) = log(e - 1): the l2 that gives sigma = 1.
    private static readonly double UnitSigmaLogit = Math.Log(Math.E - 1);

    [Fact]
    public void Ziln_ForZeroLabel_IsBinaryCrossEntropyOnly()
    {
        var loss = ZilnLoss.Ziln(0.3, 1.7, -0.4, 0, out var d0, out var d1, out var d2);

        Assert.Equal(Math.Log(1 + Math.Exp(0.3)), loss, ClosedFormTolerance);
        Assert.Equal(1 / (1 + Math.Exp(-0.3)), d0, ClosedFormTolerance);
        Assert.Equal(0, d1);
        Assert.Equal(0, d2);
    }

    [Fact]
    public void Ziln_ForPositiveLabel_AddsLognormalNegativeLogLikelihood()
    {
        // y = e (log y = 1), p = 0.5, mu = 0.5, sigma = 1:
        // log 2 + [log y + log sigma + log(2 pi) / 2 + (log y - mu)^2 / (2 sigma^2)] = log 2 + 1 + log(2 pi) / 2 + 0.125.
        var loss = ZilnLoss.Ziln(0, 0.5, UnitSigmaLogit, Math.E, out var d0, out var d1, out var d2);

        Assert.Equal(Math.Log(2) + 1 + (0.5 * Math.Log(2 * Math.PI)) + 0.125, loss, ClosedFormTolerance);
        Assert.Equal(-0.5, d0, ClosedFormTolerance);
        Assert.Equal(-0.5, d1, ClosedFormTolerance); // -(log y - mu) / sigma^2
        Assert.Equal(0.75 * (Math.E - 1) / Math.E, d2, ClosedFormTolerance); // (1/sigma - u^2/sigma^3) * sigmoid(l2)
    }

    [Fact]
    public void SquaredError_IsSquaredDistanceOfExpectedValue()
    {
        // p = 0.5, mu = 0, sigma = 1 -> prediction 0.5 * exp(0.5); label 1.
        var prediction = 0.5 * Math.Exp(0.5);

        var loss = ZilnLoss.SquaredError(0, 0, UnitSigmaLogit, 1, out var d0, out var d1, out _);

        Assert.Equal((prediction - 1) * (prediction - 1), loss, ClosedFormTolerance);
        Assert.Equal(2 * (prediction - 1) * prediction * 0.5, d0, ClosedFormTolerance);
        Assert.Equal(2 * (prediction - 1) * prediction, d1, ClosedFormTolerance);
    }

    [Theory]
    [InlineData(LossKind.Ziln, 0.0)]
    [InlineData(LossKind.Ziln, 3.5)]
    [InlineData(LossKind.Mse, 0.0)]
    [InlineData(LossKind.Mse, 2.0)]
    public void Evaluate_GradientMatchesFiniteDifferences(LossKind kind, double label)
    {
        double[] logits = [0.4, 0.9, -0.3];
        ZilnLoss.Evaluate(kind, logits[0], logits[1], logits[2], label, out var d0, out var d1, out var d2);
        double[] analytic = [d0, d1, d2];

        for (var i = 0; i < 3; i++)
        {
            var plus = (double[])logits.Clone();
            var minus = (double[])logits.Clone();
            plus[i] += FiniteDifferenceStep;
            minus[i] -= FiniteDifferenceStep;
            var numeric = (ZilnLoss.Evaluate(kind, plus[0], plus[1], plus[2], label, out _, out _, out _)
                - ZilnLoss.Evaluate(kind, minus[0], minus[1], minus[2], label, out _, out _, out _)) / (2 * FiniteDifferenceStep);
            Assert.Equal(numeric, analytic[i], FiniteDifferenceTolerance);
        }
    }

    [Theory]
    [InlineData(800.0, 800.0)]
    [InlineData(-800.0, -800.0)]
    public void Ziln_ForExtremeLogits_StaysFinite(double l0, double l2)
    {
        var loss = ZilnLoss.Ziln(l0, 0, l2, 2.5, out var d0, out var d1, out var d2);

        Assert.True(double.IsFinite(loss));
        Assert.True(double.IsFinite(d0) && double.IsFinite(d1) && double.IsFinite(d2));
    }
}
