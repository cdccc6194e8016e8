using Clv.Modeling.Features;
using Clv.Modeling.Lstm;
using Clv.Modeling.Onnx;

namespace Clv.Modeling.Tests.Onnx;

public class OnnxModelInfoTests
{
    private const string Metrics = """{"mae":12.5,"gini":0.61,"top_decile_lift":3.2}""";

    [Fact]
    public void Read_ReturnsTheMetadataTheModelWasWrittenWith()
    {
        using var directory = new TempDirectory();
        var model = TestModels.Random(1, bucket: BucketSize.Month, metricsJson: Metrics);
        var path = directory.File("model.onnx");
        OnnxModelWriter.Write(model, path);

        var info = OnnxModelInfo.Read(path);

        Assert.Equal(model.Metadata.Version, info.Metadata.Version);
        Assert.Equal(model.Metadata.FeatureNames, info.Metadata.FeatureNames);
        Assert.Equal(BucketSize.Month, info.Metadata.Bucket);
        Assert.Equal(model.Metadata.SequenceLength, info.Metadata.SequenceLength);
        Assert.Equal(model.Metadata.HorizonBuckets, info.Metadata.HorizonBuckets);
        Assert.Equal(model.Metadata.AsOf, info.Metadata.AsOf);
        Assert.Equal(Metrics, info.Metadata.MetricsJson);
        Assert.Equal(TestModels.HiddenSize, info.HiddenSize);
    }

    [Fact]
    public void Read_ReportsOpset17AndIrVersion8()
    {
        var info = OnnxModelInfo.Read(OnnxModelWriter.ToBytes(TestModels.Random(2)), "model.onnx");

        Assert.Equal(17, info.OpsetVersion);
        Assert.Equal(8, info.IrVersion);
        Assert.StartsWith("clv ", info.Producer, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KeepsFeatureNamesThatNeedJsonEscaping()
    {
        var model = TestModels.Random(3, featureCount: 3);
        var names = new[] { "spend \"net\"", "orders/week", "récence" };
        var renamed = new Clv.Modeling.Model.ClvModel(model.Metadata with { FeatureNames = names }, model.Normalizer, model.Weights);

        var info = OnnxModelInfo.Read(OnnxModelWriter.ToBytes(renamed), "model.onnx");

        Assert.Equal(names, info.Metadata.FeatureNames);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.01)]
    public void Read_OfATruncatedFile_ThrowsInvalidDataNamingTheFile(double keptShare)
    {
        using var directory = new TempDirectory();
        var bytes = OnnxModelWriter.ToBytes(TestModels.Random(4));
        var path = directory.File("truncated.onnx");
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keptShare)]);

        var error = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OfAFileCutBetweenMetadataEntries_NamesTheMissingKeys()
    {
        var bytes = OnnxModelWriter.ToBytes(TestModels.Random(5));
        var withoutLast = OnnxModelWriter.BuildModel(TestModels.Random(5));
        withoutLast.MetadataProps.RemoveAt(withoutLast.MetadataProps.Count - 1);
        var cut = Google.Protobuf.MessageExtensions.ToByteArray(withoutLast);
        Assert.Equal(bytes[..cut.Length], cut);

        var error = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(cut, "cut.onnx"));

        Assert.Contains("'cut.onnx'", error.Message, StringComparison.Ordinal);
        Assert.Contains(OnnxMetadataKeys.HiddenSize, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OfAnEmptyFile_SaysItIsEmpty()
    {
        var error = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read([], "empty.onnx"));

        Assert.Equal("Model file 'empty.onnx' is empty.", error.Message);
    }

    [Fact]
    public void Read_OfACsvFile_SaysItIsNotOnnx()
    {
        var csv = "customer_id,date,amount\n00001,19970101,29.33\n00002,19970112,11.77\n"u8.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(csv, "orders.csv"));

        Assert.Contains("'orders.csv'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not", error.Message, StringComparison.Ordinal);
        Assert.Contains("ONNX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OfOnnxWithoutClvMetadata_SaysItIsNotACLVModel()
    {
        var bare = OnnxModelWriter.BareLstmBytes(new LstmWeights(new LstmShape(3, 4)), steps: 6);

        var error = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(bare, "other.onnx"));

        Assert.Contains("'other.onnx' is an ONNX model but not a CLV model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OfClvMetadataOnAnotherGraph_DescribesTheSignature()
    {
        var proto = OnnxModelWriter.BuildModel(TestModels.Random(6));
        proto.Graph.Input[1].Name = "lengths";

        var error = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(Google.Protobuf.MessageExtensions.ToByteArray(proto), "renamed.onnx"));

        Assert.Contains("'lengths' int32 [N]", error.Message, StringComparison.Ordinal);
        Assert.Contains("'sequence_lens' int32 [N]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OfAnUnknownBucket_NamesTheValue()
    {
        var proto = OnnxModelWriter.BuildModel(TestModels.Random(7));
        proto.MetadataProps.Single(p => p.Key == OnnxMetadataKeys.Bucket).Value = "fortnight";

        var error = Assert.Throws<InvalidDataException>(() => OnnxModelInfo.Read(Google.Protobuf.MessageExtensions.ToByteArray(proto), "m.onnx"));

        Assert.Contains("clv.bucket 'fortnight'", error.Message, StringComparison.Ordinal);
    }
}
