using Clv.Modeling.Features;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Scoring;
using Clv.Modeling.Tests.Model;

namespace Clv.Modeling.Tests.Onnx;

/// <summary>Seeded random models and feature sequences for export and scoring tests.</summary>
internal static class TestModels
{
    public const int FeatureCount = 5;
    public const int HiddenSize = 16;
    public const int Steps = 12;

    public static string[] FeatureNames(int count = FeatureCount) => Enumerable.Range(0, count).Select(i => $"feature_{i}").ToArray();

    /// <summary>
    /// A model with weights uniform in <c>±weightScale</c>, a head scaled to keep <c>exp</c> finite,
    /// and a normaliser like one fitted on spend and count features (means near 2, scales near 0.5).
    /// </summary>
    public static ClvModel Random(int seed, float weightScale = 0.3f, int featureCount = FeatureCount, int hiddenSize = HiddenSize, int steps = Steps,
        BucketSize bucket = BucketSize.Week, string metricsJson = "{}")
    {
        var random = new Random(seed);
        var weights = new LstmWeights(new LstmShape(featureCount, hiddenSize));
        for (var i = 0; i < weights.Buffer.Length; i++)
        {
            weights.Buffer[i] = (float)(((2 * random.NextDouble()) - 1) * weightScale);
        }

        // Keep the head moderate so clv spans a realistic range (roughly 1e-3 .. 1e3), whatever the LSTM scale.
        var headScale = 1.5f / MathF.Sqrt(hiddenSize);
        for (var i = 0; i < weights.HeadW.Length; i++)
        {
            weights.HeadW[i] = (float)(((2 * random.NextDouble()) - 1) * headScale);
        }

        weights.HeadB[0] = -0.5f;
        weights.HeadB[1] = 3f;
        weights.HeadB[2] = 0.2f;

        var mean = new float[featureCount];
        var scale = new float[featureCount];
        for (var f = 0; f < featureCount; f++)
        {
            mean[f] = (float)(random.NextDouble() * 4);
            scale[f] = (float)(0.25 + (random.NextDouble() * 0.75));
        }

        var metadata = new ModelMetadata($"test-{seed}", FeatureNames(featureCount), bucket, steps, 26, new DateOnly(1997, 9, 30), metricsJson);
        return new ClvModel(metadata, new FeatureNormalizer(mean, scale), weights);
    }

    /// <summary>Right-padded raw features in <c>[0, 5)</c> with zero padding past each length.</summary>
    public static SequenceSet Sequences(int seed, int[] lengths, int steps = Steps, int featureCount = FeatureCount)
    {
        var random = new Random(seed);
        var features = new float[lengths.Length * steps * featureCount];
        for (var n = 0; n < lengths.Length; n++)
        {
            for (var t = 0; t < lengths[n]; t++)
            {
                for (var f = 0; f < featureCount; f++)
                {
                    features[(((n * steps) + t) * featureCount) + f] = (float)(random.NextDouble() * 5);
                }
            }
        }

        var ids = Enumerable.Range(0, lengths.Length).Select(i => $"c{i:D5}").ToArray();
        return new SequenceSet(ids, features, lengths, steps, FeatureNames(featureCount));
    }

    /// <summary>Lengths drawn uniformly from <c>1..steps</c>, always including 1 and <paramref name="steps"/>.</summary>
    public static int[] MixedLengths(int seed, int count, int steps = Steps)
    {
        var random = new Random(seed);
        var lengths = new int[count];
        for (var i = 0; i < count; i++)
        {
            lengths[i] = random.Next(1, steps + 1);
        }

        lengths[0] = 1;
        lengths[count - 1] = steps;
        return lengths;
    }

    /// <summary>The reference forward pass over a whole set.</summary>
    public static (float[] Clv, float[] PPurchase) Reference(ClvModel model, SequenceSet sequences)
    {
        var clv = new float[sequences.Count];
        var p = new float[sequences.Count];
        model.PredictReference(sequences.Features, sequences.Lengths, clv, p);
        return (clv, p);
    }

    /// <summary>The reference forward pass over a whole set, with the spend interval.</summary>
    public static ClvPredictionBatch ReferenceWithInterval(ClvModel model, SequenceSet sequences)
    {
        var predictions = ClvPredictionBatch.Allocate(sequences.CustomerIds);
        model.PredictReference(sequences.Features, sequences.Lengths, predictions.Clv, predictions.PPurchase, predictions.ClvP10, predictions.ClvP50, predictions.ClvP90);
        return predictions;
    }
}
