using Clv.Modeling.Loss;
using Clv.Modeling.Lstm;

namespace Clv.Modeling.Tests.Lstm;

public class LstmKernelTests
{
    private const float GradientTolerance = 2e-4f;
    private const float LogitTolerance = 1e-5f;
    private const double LossRelativeTolerance = 1e-5;

    // Shapes that exercise every tile width of the blocked product (4H = 256, 128, 64), the scalar tails,
    // and batches larger than one block of rows (so per-block gradients add up).
    public static TheoryData<int, int, int, int, int> Shapes() => new()
    {
        { 16, 64, 6, 1, 37 },
        { 16, 32, 7, 2, 37 },
        { 5, 16, 4, 2, 37 },
        { 3, 5, 5, 1, 37 },
        { 3, 5, 5, 3, 37 },
        { 16, 32, 5, 1, 150 },
        { 4, 16, 5, 2, 301 },
    };

    // Every shape at every width this machine accelerates (scalar included).
    public static TheoryData<VectorWidth, int, int, int, int, int> ShapesAtEachWidth()
    {
        var data = new TheoryData<VectorWidth, int, int, int, int, int>();
        foreach (var width in LstmKernels.AcceleratedWidths)
        {
            foreach (var row in Shapes())
            {
                var (featureCount, hiddenSize, steps, threads, rows) = row.Data;
                data.Add(width, featureCount, hiddenSize, steps, threads, rows);
            }
        }

        return data;
    }

    public static TheoryData<VectorWidth> Widths() => [.. LstmKernels.AcceleratedWidths];

    [Theory]
    [MemberData(nameof(ShapesAtEachWidth))]
    public void FastGradients_MatchReference(VectorWidth width, int featureCount, int hiddenSize, int steps, int threads, int rows)
    {
        var data = Batch(featureCount, hiddenSize, steps, seed: 21, rows);
        var (referenceLoss, reference) = Gradients(LstmKernels.Reference, data, threads);

        var (fastLoss, fast) = Gradients(new FastLstm(data.Shape, data.Steps, threads, width), data);

        Assert.Equal(referenceLoss, fastLoss, referenceLoss * LossRelativeTolerance);
        var scale = reference.Buffer.Max(MathF.Abs);
        foreach (var (name, start, length) in new LstmParameterLayout(data.Shape).Tensors)
        {
            for (var i = start; i < start + length; i++)
            {
                Assert.True(
                    MathF.Abs(reference.Buffer[i] - fast.Buffer[i]) <= GradientTolerance * scale,
                    $"{name}[{i - start}]: reference {reference.Buffer[i]:G9}, fast {fast.Buffer[i]:G9}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ShapesAtEachWidth))]
    public void FastLogits_MatchReference(VectorWidth width, int featureCount, int hiddenSize, int steps, int threads, int rows)
    {
        var data = Batch(featureCount, hiddenSize, steps, seed: 22, rows);

        var reference = Logits(LstmKernels.Reference, data, threads);
        var fast = Logits(new FastLstm(data.Shape, data.Steps, threads, width), data);

        for (var i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i], fast[i], LogitTolerance * Math.Max(1, MathF.Abs(reference[i])));
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void FastGradients_WithTwoThreads_AreIdenticalRunToRun(VectorWidth width)
    {
        var data = Batch(16, 32, 6, seed: 23, rows: 200);

        var (_, first) = Gradients(new FastLstm(data.Shape, data.Steps, 2, width), data);
        var (_, second) = Gradients(new FastLstm(data.Shape, data.Steps, 2, width), data);

        Assert.Equal(first.Buffer, second.Buffer);
    }

    [Fact]
    public void FastKernel_RunsAtTheProcessWidth()
    {
        var kernel = (FastLstm)LstmKernels.Create(LstmKernels.Fast, new LstmShape(3, 4), 5, threadCount: 1);

        Assert.Equal(LstmKernels.Width, kernel.VectorWidth);
    }

    [Theory]
    [InlineData(LstmKernels.Reference)]
    [InlineData(LstmKernels.Fast)]
    public void Logits_DoNotDependOnPadding(string kernelName)
    {
        var data = Batch(4, 8, 6, seed: 24);
        var cleaned = (float[])data.Inputs.Clone();
        for (var n = 0; n < data.Lengths.Length; n++)
        {
            Array.Clear(cleaned, ((n * data.Steps) + data.Lengths[n]) * data.Shape.FeatureCount, (data.Steps - data.Lengths[n]) * data.Shape.FeatureCount);
        }

        var padded = Logits(kernelName, data, threads: 2);
        var clean = Logits(kernelName, data with { Inputs = cleaned }, threads: 2);

        Assert.Equal(clean, padded);
    }

    [Theory]
    [InlineData(LstmKernels.Reference, 0)]
    [InlineData(LstmKernels.Fast, 0)]
    [InlineData(LstmKernels.Fast, 7)]
    public void Forward_WithLengthOutsideTheSteps_ThrowsNamingTheRow(string kernelName, int badLength)
    {
        var data = Batch(3, 4, 6, seed: 25, rows: 5);
        data.Lengths[3] = badLength;
        var kernel = LstmKernels.Create(kernelName, data.Shape, data.Steps, threadCount: 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => kernel.Forward(data.Inputs, data.Lengths, data.Weights, new float[5 * LstmShape.HeadOutputCount]));

        Assert.Contains("Sequence 3", error.Message, StringComparison.Ordinal);
    }

    private static LstmTestData Batch(int featureCount, int hiddenSize, int steps, int seed, int rows = 37)
    {
        var random = new Random(seed);
        var lengths = Enumerable.Range(0, rows).Select(_ => random.Next(1, steps + 1)).ToArray();
        lengths[0] = 1;
        lengths[1] = steps;
        return LstmTestData.Create(featureCount, hiddenSize, steps, lengths, seed);
    }

    private static (double Loss, LstmWeights Gradient) Gradients(string kernelName, LstmTestData data, int threads) =>
        Gradients(LstmKernels.Create(kernelName, data.Shape, data.Steps, threads), data);

    private static (double Loss, LstmWeights Gradient) Gradients(ILstmKernel kernel, LstmTestData data)
    {
        var gradient = new LstmWeights(data.Shape);
        var loss = kernel.ForwardBackward(data.Inputs, data.Lengths, data.Labels, LossKind.Ziln, 1f / data.Lengths.Length, data.Weights, gradient);
        return (loss, gradient);
    }

    private static float[] Logits(string kernelName, LstmTestData data, int threads) =>
        Logits(LstmKernels.Create(kernelName, data.Shape, data.Steps, threads), data);

    private static float[] Logits(ILstmKernel kernel, LstmTestData data)
    {
        var logits = new float[data.Lengths.Length * LstmShape.HeadOutputCount];
        kernel.Forward(data.Inputs, data.Lengths, data.Weights, logits);
        return logits;
    }
}
