using Clv.Modeling.Onnx;

namespace Clv.Modeling.Tests.Onnx;

public class OnnxModelWriterTests
{
    [Fact]
    public void Write_LeavesOnlyTheFinishedFile()
    {
        using var directory = new TempDirectory();
        var path = directory.File("models/v1/model.onnx");

        OnnxModelWriter.Write(TestModels.Random(1), path);

        Assert.Equal(["model.onnx"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        Assert.Equal(OnnxModelWriter.ToBytes(TestModels.Random(1)), File.ReadAllBytes(path));
    }

    [Fact]
    public void ToBytes_IsDeterministic()
    {
        Assert.Equal(OnnxModelWriter.ToBytes(TestModels.Random(2)), OnnxModelWriter.ToBytes(TestModels.Random(2)));
    }

    [Fact]
    public void ToBytes_WithMetricsThatAreNotAJsonObject_ThrowsNamingThem()
    {
        var model = TestModels.Random(3, metricsJson: "[1, 2]");

        var error = Assert.Throws<ArgumentException>(() => OnnxModelWriter.ToBytes(model));

        Assert.Contains("[1, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_UsesTheOnnxLstmOperatorWithSequenceLengths()
    {
        var graph = OnnxModelWriter.BuildModel(TestModels.Random(4)).Graph;

        var lstm = Assert.Single(graph.Node, n => n.OpType == "LSTM");
        Assert.Equal(OnnxModelWriter.SequenceLengthsInput, lstm.Input[4]);
        Assert.Equal(TestModels.HiddenSize, lstm.Attribute.Single(a => a.Name == "hidden_size").I);
    }

    [Fact]
    public void Graph_DeclaresABatchDimensionThatIsSymbolic()
    {
        var graph = OnnxModelWriter.BuildModel(TestModels.Random(5)).Graph;

        var features = graph.Input.Single(i => i.Name == OnnxModelWriter.FeaturesInput).Type.TensorType.Shape.Dim;
        Assert.Equal("N", features[0].DimParam);
        Assert.Equal(TestModels.Steps, features[1].DimValue);
        Assert.Equal(TestModels.FeatureCount, features[2].DimValue);
    }
}
