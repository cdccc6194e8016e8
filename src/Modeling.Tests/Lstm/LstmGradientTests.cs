using Clv.Modeling.Loss;
using Clv.Modeling.Lstm;

namespace Clv.Modeling.Tests.Lstm;

public class LstmGradientTests
{
    private const double Step = 1e-6;
    private const double RelativeTolerance = 1e-3;
    private const double AbsoluteFloor = 1e-7;

    // Mixed lengths including 1 and the full length; padding beyond each length holds LstmTestData.PaddingValue, which must not leak into any result.
    private static readonly int[] MixedLengths = [5, 1, 3, 5, 2];

    public static TheoryData<string, LossKind> Tensors()
    {
        var data = new TheoryData<string, LossKind>();
        foreach (var kind in new[] { LossKind.Ziln, LossKind.Mse })
        {
            foreach (var name in new[] { "W", "R", "B", "HeadW", "HeadB" })
            {
                data.Add(name, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Tensors))]
    public void ReferenceParameterGradient_MatchesFiniteDifferences(string tensor, LossKind kind)
    {
        var data = LstmTestData.Create(featureCount: 3, hiddenSize: 4, steps: 5, MixedLengths, seed: 11);
        var kernel = new ReferenceLstm(data.Shape, data.Steps);
        var parameters = LstmTestData.ToDouble(data.Weights.Buffer);
        var inputs = LstmTestData.ToDouble(data.Inputs);
        var labels = LstmTestData.ToDouble(data.Labels);
        var scale = 1.0 / data.Lengths.Length;
        var gradient = new double[parameters.Length];
        kernel.LossAndGradient(parameters, inputs, data.Lengths, labels, kind, scale, gradient, []);

        var (_, start, length) = new LstmParameterLayout(data.Shape).Tensors.Single(t => t.Name == tensor);
        for (var i = start; i < start + length; i++)
        {
            var saved = parameters[i];
            parameters[i] = saved + Step;
            var plus = kernel.LossAndGradient(parameters, inputs, data.Lengths, labels, kind, scale, new double[parameters.Length], []);
            parameters[i] = saved - Step;
            var minus = kernel.LossAndGradient(parameters, inputs, data.Lengths, labels, kind, scale, new double[parameters.Length], []);
            parameters[i] = saved;
            AssertClose((plus - minus) * scale / (2 * Step), gradient[i], $"{tensor}[{i - start}]");
        }
    }

    [Fact]
    public void ReferenceInputGradient_MatchesFiniteDifferencesAndIsZeroOnPadding()
    {
        var data = LstmTestData.Create(featureCount: 3, hiddenSize: 4, steps: 5, MixedLengths, seed: 12);
        var kernel = new ReferenceLstm(data.Shape, data.Steps);
        var parameters = LstmTestData.ToDouble(data.Weights.Buffer);
        var inputs = LstmTestData.ToDouble(data.Inputs);
        var labels = LstmTestData.ToDouble(data.Labels);
        var inputGradient = new double[inputs.Length];
        kernel.LossAndGradient(parameters, inputs, data.Lengths, labels, LossKind.Ziln, 1, new double[parameters.Length], inputGradient);

        for (var i = 0; i < inputs.Length; i++)
        {
            var saved = inputs[i];
            inputs[i] = saved + Step;
            var plus = kernel.LossAndGradient(parameters, inputs, data.Lengths, labels, LossKind.Ziln, 1, new double[parameters.Length], []);
            inputs[i] = saved - Step;
            var minus = kernel.LossAndGradient(parameters, inputs, data.Lengths, labels, LossKind.Ziln, 1, new double[parameters.Length], []);
            inputs[i] = saved;
            AssertClose((plus - minus) / (2 * Step), inputGradient[i], $"x[{i}]");
        }
    }

    private static void AssertClose(double expected, double actual, string label)
    {
        var error = Math.Abs(expected - actual) / Math.Max(Math.Max(Math.Abs(expected), Math.Abs(actual)), AbsoluteFloor);
        Assert.True(
            error < RelativeTolerance || Math.Abs(expected - actual) < AbsoluteFloor,
            $"{label}: finite difference {expected:G9}, analytic {actual:G9}, relative error {error:G3}");
    }
}
