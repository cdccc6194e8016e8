using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Clv.Modeling.Loss;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Onnx.Proto;
using Google.Protobuf;
using DataType = Clv.Modeling.Onnx.Proto.TensorProto.Types.DataType;

namespace Clv.Modeling.Onnx;

/// <summary>
/// Writes a <see cref="ClvModel"/> as one self-contained, standard ONNX file (opset 17, IR version 8)
/// that any ONNX runtime executes: feature normalisation, the ONNX <c>LSTM</c> operator and the ZILN
/// head all live in the graph.
/// </summary>
/// <remarks>
/// Graph signature:
/// <list type="bullet">
/// <item>input <c>features</c> float32 <c>[N, T, F]</c>: raw (not normalised) features, right-padded;</item>
/// <item>input <c>sequence_lens</c> int32 <c>[N]</c>: valid steps per sequence, each in <c>1..T</c>;</item>
/// <item>output <c>clv</c> float32 <c>[N]</c>: expected spend over the horizon, <c>p * exp(mu + sigma^2 / 2)</c>;</item>
/// <item>output <c>p_purchase</c> float32 <c>[N]</c>: probability of any spend, <c>sigmoid(l0)</c>;</item>
/// <item>outputs <c>clv_p10</c>, <c>clv_p50</c>, <c>clv_p90</c> float32 <c>[N]</c>: quantiles of spend over the horizon
/// under the ZILN distribution, zero below <c>1 - p</c> (<see cref="Loss.Ziln.Quantile"/>).</item>
/// </list>
/// <c>N</c> is symbolic; <c>T</c> and <c>F</c> are fixed by the model. The graph computes
/// <c>(features - mean) * scale</c>, transposes to <c>[T, N, F]</c>, runs <c>LSTM</c> (gate order
/// i, o, f, c; <c>B = Wb ‖ Rb</c> with <c>Rb = 0</c>) and takes its last valid hidden state <c>Y_h</c>,
/// applies the dense head (<c>Gemm</c>) to three logits <c>l0, l1, l2</c> (<c>Split</c>), then <c>Sigmoid</c>,
/// <c>Softplus</c> and <c>Exp</c>; the quantiles use a rational inverse normal CDF built from
/// elementary operators (<see cref="OnnxZilnQuantiles"/>). <c>metadata_props</c> carries the keys of <see cref="OnnxMetadataKeys"/>.
/// </remarks>
public static class OnnxModelWriter
{
    /// <summary>ONNX operator set the graph is written against.</summary>
    public const long OpsetVersion = 17;

    /// <summary>ONNX IR version of the file (IR 8 goes with opset 17).</summary>
    public const long IrVersion = 8;

    /// <summary>Name of the raw features input, <c>[N, T, F]</c> float32.</summary>
    public const string FeaturesInput = "features";

    /// <summary>Name of the sequence lengths input, <c>[N]</c> int32.</summary>
    public const string SequenceLengthsInput = "sequence_lens";

    /// <summary>Name of the expected-spend output, <c>[N]</c> float32.</summary>
    public const string ClvOutput = "clv";

    /// <summary>Name of the purchase-probability output, <c>[N]</c> float32.</summary>
    public const string PPurchaseOutput = "p_purchase";

    /// <summary>Name of the 10th-percentile output, <c>[N]</c> float32.</summary>
    public const string ClvP10Output = "clv_p10";

    /// <summary>Name of the median output, <c>[N]</c> float32.</summary>
    public const string ClvP50Output = "clv_p50";

    /// <summary>Name of the 90th-percentile output, <c>[N]</c> float32.</summary>
    public const string ClvP90Output = "clv_p90";

    /// <summary>Value of the model's <c>producer_name</c>.</summary>
    public const string ProducerName = "clv";

    internal const string BatchDimension = "N";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>, replacing any file there only once the new one is complete.</summary>
    /// <exception cref="ArgumentException">The model's metrics are not a JSON object.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(ClvModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes(model);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var partial = path + ".partial";
        try
        {
            File.WriteAllBytes(partial, bytes);
            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The model's metrics are not a JSON object.</exception>
    public static void Write(ClvModel model, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        BuildModel(model).WriteTo(destination);
    }

    /// <summary>The ONNX file content of <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model's metrics are not a JSON object.</exception>
    public static byte[] ToBytes(ClvModel model) => BuildModel(model).ToByteArray();

    internal static ModelProto BuildModel(ClvModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var metadata = model.Metadata;
        var shape = model.Weights.Shape;
        var steps = metadata.SequenceLength;
        var featureCount = shape.FeatureCount;
        var hiddenSize = shape.HiddenSize;
        var weights = model.Weights;

        var graph = new OnnxGraph("clv_lstm_ziln", "Customer lifetime value: normalisation, LSTM, zero-inflated lognormal head.");
        graph.Input(FeaturesInput, DataType.Float, BatchDimension, (long)steps, (long)featureCount);
        graph.Input(SequenceLengthsInput, DataType.Int32, BatchDimension);

        // Normalisation: x' = (x - mean) * scale, broadcast over [N, T, F].
        graph.Initializer("norm_mean", [featureCount], model.Normalizer.Mean);
        graph.Initializer("norm_scale", [featureCount], model.Normalizer.Scale);
        graph.Node("Sub", "normalize_center", [FeaturesInput, "norm_mean"], ["centered"]);
        graph.Node("Mul", "normalize_scale", ["centered", "norm_scale"], ["normalized"]);

        // ONNX Runtime's CPU LSTM runs time-major only (layout = 0): [N, T, F] -> [T, N, F].
        graph.Node("Transpose", "to_time_major", ["normalized"], ["time_major"], OnnxGraph.Attribute("perm", [1L, 0L, 2L]));

        AddLstm(graph, weights, "time_major", SequenceLengthsInput, "lstm_y_h");

        // Y_h [1, N, H] -> [N, H] -> logits [N, 3].
        graph.Initializer("axis0", [1], [0L]);
        graph.Node("Squeeze", "drop_direction", ["lstm_y_h", "axis0"], ["hidden"]);
        graph.Initializer("head_w", [LstmShape.HeadOutputCount, hiddenSize], weights.HeadW);
        graph.Initializer("head_b", [LstmShape.HeadOutputCount], weights.HeadB);
        graph.Node("Gemm", "head", ["hidden", "head_w", "head_b"], ["logits"], OnnxGraph.Attribute("transB", 1L));

        // ZILN on [N, 1] columns: p = sigmoid(l0), sigma = softplus(l2), clv = p * exp(l1 + sigma^2 / 2);
        // each result is flattened to [N] by a final Reshape.
        graph.Initializer("split_sizes", [LstmShape.HeadOutputCount], [1L, 1L, 1L]);
        graph.Node("Split", "split_logits", ["logits", "split_sizes"], ["l0", "l1", "l2"], OnnxGraph.Attribute("axis", 1L));
        graph.Initializer("half", [], [0.5f]);
        graph.Initializer("flat", [1], [-1L]);
        graph.Node("Sigmoid", "purchase_probability", ["l0"], ["p_column"]);
        graph.Node("Softplus", "sigma", ["l2"], ["sigma"]);
        graph.Node("Mul", "sigma_squared", ["sigma", "sigma"], ["sigma_sq"]);
        graph.Node("Mul", "half_variance", ["sigma_sq", "half"], ["half_var"]);
        graph.Node("Add", "log_mean_spend", ["l1", "half_var"], ["log_mean"]);
        graph.Node("Exp", "mean_spend", ["log_mean"], ["mean_spend"]);
        graph.Node("Mul", "expected_spend", ["p_column", "mean_spend"], ["clv_column"]);
        graph.Node("Reshape", "flatten_p_purchase", ["p_column", "flat"], [PPurchaseOutput]);
        graph.Node("Reshape", "flatten_clv", ["clv_column", "flat"], [ClvOutput]);


        // Quantiles [N, 3] at P10, P50, P90, each flattened to [N].
        OnnxZilnQuantiles.Add(graph, SpendInterval.Levels, "p_column", "l1", "sigma", "quantiles");
        graph.Initializer("quantile_split_sizes", [SpendInterval.Levels.Length], [1L, 1L, 1L]);
        graph.Node("Split", "split_quantiles", ["quantiles", "quantile_split_sizes"], ["p10_column", "p50_column", "p90_column"], OnnxGraph.Attribute("axis", 1L));
        graph.Node("Reshape", "flatten_p10", ["p10_column", "flat"], [ClvP10Output]);
        graph.Node("Reshape", "flatten_p50", ["p50_column", "flat"], [ClvP50Output]);
        graph.Node("Reshape", "flatten_p90", ["p90_column", "flat"], [ClvP90Output]);

        graph.Output(ClvOutput, DataType.Float, BatchDimension);
        graph.Output(PPurchaseOutput, DataType.Float, BatchDimension);
        graph.Output(ClvP10Output, DataType.Float, BatchDimension);
        graph.Output(ClvP50Output, DataType.Float, BatchDimension);
        graph.Output(ClvP90Output, DataType.Float, BatchDimension);

        var proto = NewModel(graph, "Customer lifetime value model " + metadata.Version);
        foreach (var (key, value) in MetadataProperties(metadata, hiddenSize))
        {
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return proto;
    }

    /// <summary>
    /// The bare LSTM of <paramref name="weights"/> as its own graph: input <c>x</c> <c>[T, N, F]</c>
    /// (already normalised, time-major), <c>sequence_lens</c> <c>[N]</c>, output <c>y_h</c> <c>[1, N, H]</c>.
    /// The reference point for scoring throughput.
    /// </summary>
    internal static byte[] BareLstmBytes(LstmWeights weights, int steps)
    {
        var shape = weights.Shape;
        var graph = new OnnxGraph("bare_lstm", "One LSTM layer on time-major, normalised input.");
        graph.Input("x", DataType.Float, (long)steps, BatchDimension, (long)shape.FeatureCount);
        graph.Input(SequenceLengthsInput, DataType.Int32, BatchDimension);
        AddLstm(graph, weights, "x", SequenceLengthsInput, "y_h");
        graph.Output("y_h", DataType.Float, 1L, BatchDimension, (long)shape.HiddenSize);
        return NewModel(graph, "Bare LSTM").ToByteArray();
    }

    internal static IEnumerable<(string Key, string Value)> MetadataProperties(ModelMetadata metadata, int hiddenSize)
    {
        yield return (OnnxMetadataKeys.FormatVersion, OnnxMetadataKeys.CurrentFormatVersion);
        yield return (OnnxMetadataKeys.ModelVersion, metadata.Version);
        yield return (OnnxMetadataKeys.FeatureNames, FeatureNamesJson(metadata.FeatureNames));
        yield return (OnnxMetadataKeys.Bucket, metadata.Bucket.ToString().ToLowerInvariant());
        yield return (OnnxMetadataKeys.SequenceLength, metadata.SequenceLength.ToString(CultureInfo.InvariantCulture));
        yield return (OnnxMetadataKeys.HorizonBuckets, metadata.HorizonBuckets.ToString(CultureInfo.InvariantCulture));
        yield return (OnnxMetadataKeys.AsOf, metadata.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        yield return (OnnxMetadataKeys.Metrics, CheckedMetricsJson(metadata.MetricsJson));
        yield return (OnnxMetadataKeys.HiddenSize, hiddenSize.ToString(CultureInfo.InvariantCulture));
    }

    private static void AddLstm(OnnxGraph graph, LstmWeights weights, string input, string sequenceLengths, string hiddenOutput)
    {
        var shape = weights.Shape;
        var gateRows = shape.GateRows;
        graph.Initializer("lstm_w", [1, gateRows, shape.FeatureCount], weights.W);
        graph.Initializer("lstm_r", [1, gateRows, shape.HiddenSize], weights.R);

        // B = Wb ‖ Rb, [1, 8H]; the model has one gate bias, exported as Wb with Rb = 0.
        var bias = new float[2 * gateRows];
        weights.B.CopyTo(bias);
        graph.Initializer("lstm_b", [1, 2 * gateRows], bias);

        graph.Node(
            "LSTM",
            "lstm",
            [input, "lstm_w", "lstm_r", "lstm_b", sequenceLengths],
            [string.Empty, hiddenOutput],
            OnnxGraph.Attribute("hidden_size", (long)shape.HiddenSize),
            OnnxGraph.Attribute("direction", "forward"));
    }

    private static ModelProto NewModel(OnnxGraph graph, string docString)
    {
        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxModelWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
            DocString = docString,
            Graph = graph.Proto,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        return proto;
    }

    private static string FeatureNamesJson(IReadOnlyList<string> names)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var name in names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string CheckedMetricsJson(string metricsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(metricsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"Model metrics must be a JSON object, was a JSON {document.RootElement.ValueKind}: {metricsJson}", nameof(metricsJson));
            }
        }
        catch (JsonException error)
        {
            throw new ArgumentException($"Model metrics are not valid JSON ({error.Message}): {metricsJson}", nameof(metricsJson), error);
        }

        return metricsJson;
    }
}
