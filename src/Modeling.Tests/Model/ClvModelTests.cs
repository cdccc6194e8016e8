using Clv.Modeling.Features;
using Clv.Modeling.Loss;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;

namespace Clv.Modeling.Tests.Model;

public class ClvModelTests
{
    private static ModelMetadata Metadata(int featureCount, int steps) =>
        new("test", Enumerable.Range(0, featureCount).Select(i => $"f{i}").ToArray(), BucketSize.Week, steps, 4, new DateOnly(2026, 1, 1));

    [Fact]
    public void PredictReference_WithZeroRecurrentWeights_DependsOnlyOnHeadBias()
    {
        var shape = new LstmShape(FeatureCount: 2, HiddenSize: 3);
        var weights = new LstmWeights(shape);
        weights.HeadB[0] = 1.5f;
        weights.HeadB[1] = 2f;
        weights.HeadB[2] = -0.5f;
        var model = new ClvModel(Metadata(2, 4), FeatureNormalizer.Identity(2), weights);
        var features = new float[2 * 4 * 2];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = i * 0.25f;
        }

        var clv = new float[2];
        var p = new float[2];
        model.PredictReference(features, [1, 4], clv, p);

        var expected = (float)Ziln.ExpectedValue(1.5, 2, -0.5);
        Assert.Equal(expected, clv[0], 1e-5f);
        Assert.Equal(expected, clv[1], 1e-5f);
        Assert.Equal((float)Ziln.Probability(1.5), p[0], 1e-6f);
    }

    [Fact]
    public void PredictReference_IgnoresPaddingBeyondTheSequenceLength()
    {
        var shape = new LstmShape(FeatureCount: 1, HiddenSize: 2);
        var weights = new LstmWeights(shape);
        var random = new Random(7);
        for (var i = 0; i < weights.Buffer.Length; i++)
        {
            weights.Buffer[i] = (float)(random.NextDouble() - 0.5);
        }

        var model = new ClvModel(Metadata(1, 3), FeatureNormalizer.Identity(1), weights);
        float[] clean = [1, 2, 0];
        float[] padded = [1, 2, 99];
        var a = new float[1];
        var b = new float[1];
        var p = new float[1];

        model.PredictReference(clean, [2], a, p);
        model.PredictReference(padded, [2], b, p);

        Assert.Equal(a[0], b[0]);
    }

    [Fact]
    public void Constructor_WithMismatchedFeatureCounts_NamesBothCounts()
    {
        var weights = new LstmWeights(new LstmShape(3, 2));

        var error = Assert.Throws<ArgumentException>(() => new ClvModel(Metadata(2, 4), FeatureNormalizer.Identity(2), weights));

        Assert.Contains("metadata 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("LSTM 3", error.Message, StringComparison.Ordinal);
    }
}
