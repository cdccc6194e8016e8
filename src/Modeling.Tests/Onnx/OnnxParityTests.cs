using Clv.Modeling.Onnx;

namespace Clv.Modeling.Tests.Onnx;

/// <summary>ONNX Runtime on the exported file agrees with the reference LSTM (<c>ReferencePrediction</c>).</summary>
public class OnnxParityTests
{
    public static TheoryData<float> WeightScales => new() { 0.05f, 0.3f, 1f, 3f };

    [Theory]
    [MemberData(nameof(WeightScales))]
    public void ExportedModel_MatchesReference_ForLengthOne(float weightScale)
    {
        AssertParity(seed: 11, weightScale, lengths: Enumerable.Repeat(1, 40).ToArray());
    }

    [Theory]
    [MemberData(nameof(WeightScales))]
    public void ExportedModel_MatchesReference_ForFullLength(float weightScale)
    {
        AssertParity(seed: 12, weightScale, lengths: Enumerable.Repeat(TestModels.Steps, 40).ToArray());
    }

    [Theory]
    [MemberData(nameof(WeightScales))]
    public void ExportedModel_MatchesReference_ForMixedLengths(float weightScale)
    {
        AssertParity(seed: 13, weightScale, lengths: TestModels.MixedLengths(13, 500));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(TestModels.Steps)]
    [InlineData(5)]
    public void ExportedModel_MatchesReference_ForBatchOfOne(int length)
    {
        AssertParity(seed: 14, weightScale: 0.3f, lengths: [length]);
    }

    [Fact]
    public void ExportedModel_MatchesReference_AtProductionSize()
    {
        // 52 weekly steps, 8 features, 64 hidden units: the size of a trained model.
        var model = TestModels.Random(15, weightScale: 0.15f, featureCount: 8, hiddenSize: 64, steps: 52);
        var sequences = TestModels.Sequences(15, TestModels.MixedLengths(15, 200, steps: 52), steps: 52, featureCount: 8);

        var (expectedClv, expectedP) = TestModels.Reference(model, sequences);
        var (clv, p) = OnnxRuntimeRunner.Run(OnnxModelWriter.ToBytes(model), sequences);

        Tolerance.AssertAgrees(expectedClv, clv, "clv");
        Tolerance.AssertAgrees(expectedP, p, "p_purchase");
        Tolerance.AssertIntervalAgrees(TestModels.ReferenceWithInterval(model, sequences), OnnxRuntimeRunner.RunAll(OnnxModelWriter.ToBytes(model), sequences), "production size");
    }

    // Logits deep in the tails of sigmoid and softplus: p down to about 1e-9, log mean spend up to about 40.
    // Past a log mean spend of about 50 (spend above 1e21) float32 rounding of the exponent alone exceeds
    // 1e-5 relative; no real spend gets there.
    [Theory]
    [InlineData(-20f, 0f, 0f)]
    [InlineData(20f, 8f, 2f)]
    [InlineData(0f, -6f, -20f)]
    [InlineData(0f, 1f, 6f)]
    [InlineData(-5f, 30f, 4f)]
    public void ExportedModel_MatchesReference_ForSaturatedLogits(float l0Bias, float l1Bias, float l2Bias)
    {
        var model = TestModels.Random(17);
        model.Weights.HeadB[0] = l0Bias;
        model.Weights.HeadB[1] = l1Bias;
        model.Weights.HeadB[2] = l2Bias;
        var sequences = TestModels.Sequences(17, TestModels.MixedLengths(17, 50));

        var (expectedClv, expectedP) = TestModels.Reference(model, sequences);
        var (clv, p) = OnnxRuntimeRunner.Run(OnnxModelWriter.ToBytes(model), sequences);

        Tolerance.AssertAgrees(expectedClv, clv, "clv");
        Tolerance.AssertAgrees(expectedP, p, "p_purchase");
        Tolerance.AssertIntervalAgrees(TestModels.ReferenceWithInterval(model, sequences), OnnxRuntimeRunner.RunAll(OnnxModelWriter.ToBytes(model), sequences), "saturated");
    }

    [Fact]
    public void ExportedModel_IgnoresPaddingPastEachLength()
    {
        var model = TestModels.Random(16);
        var sequences = TestModels.Sequences(16, [3, 7]);
        var bytes = OnnxModelWriter.ToBytes(model);
        var (clean, _) = OnnxRuntimeRunner.Run(bytes, sequences);
        for (var t = 3; t < TestModels.Steps; t++)
        {
            sequences.Features[(t * TestModels.FeatureCount) + 1] = 1000f;
        }

        var (padded, _) = OnnxRuntimeRunner.Run(bytes, sequences);

        Assert.Equal(clean, padded);
    }

    private static void AssertParity(int seed, float weightScale, int[] lengths)
    {
        var model = TestModels.Random(seed, weightScale);
        var sequences = TestModels.Sequences(seed, lengths);

        var (expectedClv, expectedP) = TestModels.Reference(model, sequences);
        var (clv, p) = OnnxRuntimeRunner.Run(OnnxModelWriter.ToBytes(model), sequences);

        Tolerance.AssertAgrees(expectedClv, clv, "clv");
        Tolerance.AssertAgrees(expectedP, p, "p_purchase");
        var all = OnnxRuntimeRunner.RunAll(OnnxModelWriter.ToBytes(model), sequences);
        Tolerance.AssertIntervalAgrees(TestModels.ReferenceWithInterval(model, sequences), all, "random");
        Assert.Equal(clv, all.Clv);
    }
}
