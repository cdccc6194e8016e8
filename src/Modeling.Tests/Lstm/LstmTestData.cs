using Clv.Modeling.Lstm;

namespace Clv.Modeling.Tests.Lstm;

/// <summary>Small random batches with mixed lengths (including 1) and random weights.</summary>
internal sealed record LstmTestData(LstmShape Shape, int Steps, float[] Inputs, int[] Lengths, float[] Labels, LstmWeights Weights)
{
    public const float PaddingValue = 1000f;

    public static LstmTestData Create(int featureCount, int hiddenSize, int steps, int[] lengths, int seed, float weightScale = 0.5f)
    {
        var random = new Random(seed);
        var shape = new LstmShape(featureCount, hiddenSize);
        var inputs = new float[lengths.Length * steps * featureCount];
        for (var n = 0; n < lengths.Length; n++)
        {
            for (var i = 0; i < steps * featureCount; i++)
            {
                // Padding gets large values: any leak past a sequence's length would show in outputs and gradients.
                inputs[(n * steps * featureCount) + i] = i < lengths[n] * featureCount ? (float)((random.NextDouble() * 2) - 1) : PaddingValue;
            }
        }

        var labels = new float[lengths.Length];
        for (var n = 0; n < labels.Length; n++)
        {
            labels[n] = n % 3 == 0 ? 0f : (float)(0.5 + (random.NextDouble() * 5));
        }

        var weights = new LstmWeights(shape);
        for (var i = 0; i < weights.Buffer.Length; i++)
        {
            weights.Buffer[i] = (float)(((random.NextDouble() * 2) - 1) * weightScale);
        }

        return new LstmTestData(shape, steps, inputs, lengths, labels, weights);
    }

    public static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();
}
