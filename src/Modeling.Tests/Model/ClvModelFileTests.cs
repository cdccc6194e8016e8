using System.Buffers.Binary;
using Clv.Modeling.Features;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;

namespace Clv.Modeling.Tests.Model;

public class ClvModelFileTests
{
    private static ClvModel SampleModel()
    {
        var shape = new LstmShape(FeatureCount: 2, HiddenSize: 3);
        var weights = new LstmWeights(shape);
        var random = new Random(3);
        for (var i = 0; i < weights.Buffer.Length; i++)
        {
            weights.Buffer[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var metadata = new ModelMetadata("20261123T101500Z-3f2a", ["log_spend", "orders"], BucketSize.Month, 6, 3, new DateOnly(2026, 11, 20), """{"gini":0.61}""");
        return new ClvModel(metadata, new FeatureNormalizer([1.5f, -2f], [0.5f, 4f]), weights);
    }

    private static byte[] Saved(ClvModel model)
    {
        using var stream = new MemoryStream();
        ClvModelFile.Save(model, stream);
        return stream.ToArray();
    }

    [Fact]
    public void SaveThenLoad_RestoresEveryPart()
    {
        var model = SampleModel();

        var loaded = ClvModelFile.Load(new MemoryStream(Saved(model)));

        Assert.Equal(model.Metadata.Version, loaded.Metadata.Version);
        Assert.Equal(model.Metadata.FeatureNames, loaded.Metadata.FeatureNames);
        Assert.Equal(model.Metadata with { FeatureNames = loaded.Metadata.FeatureNames }, loaded.Metadata);
        Assert.Equal(model.Normalizer.Mean, loaded.Normalizer.Mean);
        Assert.Equal(model.Normalizer.Scale, loaded.Normalizer.Scale);
        Assert.Equal(model.Weights.Shape, loaded.Weights.Shape);
        Assert.Equal(model.Weights.Buffer, loaded.Weights.Buffer);
    }

    [Fact]
    public void SaveThenLoad_ThroughAFile_GivesTheSamePredictions()
    {
        var model = SampleModel();
        var path = Path.Combine(Path.GetTempPath(), $"clv-model-{Guid.NewGuid():N}.bin");
        try
        {
            ClvModelFile.Save(model, path);
            var loaded = ClvModelFile.Load(path);
            float[] features = [.. Enumerable.Range(0, 2 * 6 * 2).Select(i => i * 0.1f)];
            int[] lengths = [2, 6];
            var expected = new float[2];
            var actual = new float[2];

            model.PredictReference(features, lengths, expected, new float[2]);
            loaded.PredictReference(features, lengths, actual, new float[2]);

            Assert.Equal(expected, actual);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_WithWrongMagic_ThrowsInvalidData()
    {
        var bytes = Saved(SampleModel());
        bytes[0] = (byte)'X';

        var error = Assert.Throws<InvalidDataException>(() => ClvModelFile.Load(new MemoryStream(bytes), "model.bin"));

        Assert.Contains("'model.bin' is not a CLV model file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithUnknownVersion_ThrowsInvalidDataNamingTheVersion()
    {
        var bytes = Saved(SampleModel());
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 99);

        var error = Assert.Throws<InvalidDataException>(() => ClvModelFile.Load(new MemoryStream(bytes), "model.bin"));

        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OfTruncatedFile_ThrowsInvalidData()
    {
        var bytes = Saved(SampleModel());

        var error = Assert.Throws<InvalidDataException>(() => ClvModelFile.Load(new MemoryStream(bytes[..^5]), "model.bin"));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }
}
