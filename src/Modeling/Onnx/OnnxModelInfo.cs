using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Clv.Modeling.Features;
using Clv.Modeling.Model;
using Clv.Modeling.Onnx.Proto;
using Google.Protobuf;
using DataType = Clv.Modeling.Onnx.Proto.TensorProto.Types.DataType;

namespace Clv.Modeling.Onnx;

/// <summary>
/// What a CLV model file says about itself: its <see cref="ModelMetadata"/>, the LSTM size and the
/// ONNX versions, read back from the file and checked against the graph signature.
/// </summary>
/// <param name="Metadata">The metadata the model was written with.</param>
/// <param name="HiddenSize">Hidden units of the LSTM, <c>H</c>.</param>
/// <param name="IrVersion">ONNX IR version of the file.</param>
/// <param name="OpsetVersion">Version of the default ONNX operator set the graph imports.</param>
/// <param name="Producer">Producer name and version, e.g. <c>clv 1.0.0</c>.</param>
public sealed record OnnxModelInfo(ModelMetadata Metadata, int HiddenSize, long IrVersion, long OpsetVersion, string Producer)
{
    /// <summary>Reads and checks the model file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is empty, truncated or not ONNX, or is ONNX without the CLV metadata and signature;
    /// the message names the file and what is wrong.
    /// </exception>
    public static OnnxModelInfo Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads and checks a model file's content; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">As for <see cref="Read(string)"/>.</exception>
    public static OnnxModelInfo Read(ReadOnlySpan<byte> content, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (content.IsEmpty)
        {
            Throw(source, "is empty");
        }

        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(content);
        }
        catch (InvalidProtocolBufferException error)
        {
            throw new InvalidDataException(
                $"Model file '{source}' is not a readable ONNX model: it is truncated or not ONNX ({error.Message}).", error);
        }

        if (!model.HasIrVersion || model.IrVersion <= 0 || model.Graph is null || model.OpsetImport.Count == 0)
        {
            Throw(source, "is not an ONNX model: it has no IR version, graph or operator set import (truncated, or a different kind of file)");
        }

        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in model.MetadataProps)
        {
            properties[entry.Key] = entry.Value;
        }

        var missing = OnnxMetadataKeys.Required.Where(key => !properties.ContainsKey(key)).ToArray();
        if (missing.Length == OnnxMetadataKeys.Required.Count)
        {
            Throw(source, $"is an ONNX model but not a CLV model: it has none of the CLV metadata keys ({string.Join(", ", OnnxMetadataKeys.Required)})");
        }

        if (missing.Length > 0)
        {
            Throw(source, $"lacks the CLV metadata key(s) {string.Join(", ", missing)} (the file is truncated or was not written by this product)");
        }

        var format = properties[OnnxMetadataKeys.FormatVersion];
        if (format != OnnxMetadataKeys.CurrentFormatVersion)
        {
            Throw(source, $"has CLV format version '{format}'; this version reads format {OnnxMetadataKeys.CurrentFormatVersion}");
        }

        var metadata = new ModelMetadata(
            properties[OnnxMetadataKeys.ModelVersion],
            ParseFeatureNames(source, properties[OnnxMetadataKeys.FeatureNames]),
            ParseBucket(source, properties[OnnxMetadataKeys.Bucket]),
            ParsePositive(source, OnnxMetadataKeys.SequenceLength, properties[OnnxMetadataKeys.SequenceLength]),
            ParsePositive(source, OnnxMetadataKeys.HorizonBuckets, properties[OnnxMetadataKeys.HorizonBuckets]),
            ParseDate(source, properties[OnnxMetadataKeys.AsOf]),
            ParseMetrics(source, properties[OnnxMetadataKeys.Metrics]));
        var hiddenSize = ParsePositive(source, OnnxMetadataKeys.HiddenSize, properties[OnnxMetadataKeys.HiddenSize]);
        CheckSignature(source, model.Graph, metadata);

        var opset = model.OpsetImport.FirstOrDefault(o => string.IsNullOrEmpty(o.Domain) || o.Domain == "ai.onnx")?.Version ?? 0;
        return new OnnxModelInfo(metadata, hiddenSize, model.IrVersion, opset, $"{model.ProducerName} {model.ProducerVersion}".Trim());
    }

    private static void CheckSignature(string source, GraphProto graph, ModelMetadata metadata)
    {
        var expected = $"a CLV model has inputs '{OnnxModelWriter.FeaturesInput}' float32 [N, {metadata.SequenceLength}, {metadata.FeatureCount}] and " +
            $"'{OnnxModelWriter.SequenceLengthsInput}' int32 [N], outputs '{OnnxModelWriter.ClvOutput}', '{OnnxModelWriter.PPurchaseOutput}', " +
            $"'{OnnxModelWriter.ClvP10Output}', '{OnnxModelWriter.ClvP50Output}' and '{OnnxModelWriter.ClvP90Output}' float32 [N]";
        var inputs = graph.Input.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var outputs = graph.Output.ToDictionary(v => v.Name, StringComparer.Ordinal);
        var ok = inputs.TryGetValue(OnnxModelWriter.FeaturesInput, out var features)
            && Matches(features, DataType.Float, [null, metadata.SequenceLength, metadata.FeatureCount])
            && inputs.TryGetValue(OnnxModelWriter.SequenceLengthsInput, out var lengths) && Matches(lengths, DataType.Int32, [null])
            && outputs.TryGetValue(OnnxModelWriter.ClvOutput, out var clv) && Matches(clv, DataType.Float, [null])
            && outputs.TryGetValue(OnnxModelWriter.PPurchaseOutput, out var p) && Matches(p, DataType.Float, [null])
            && outputs.TryGetValue(OnnxModelWriter.ClvP10Output, out var p10) && Matches(p10, DataType.Float, [null])
            && outputs.TryGetValue(OnnxModelWriter.ClvP50Output, out var p50) && Matches(p50, DataType.Float, [null])
            && outputs.TryGetValue(OnnxModelWriter.ClvP90Output, out var p90) && Matches(p90, DataType.Float, [null]);
        if (!ok)
        {
            Throw(source, $"has graph inputs [{Describe(graph.Input)}] and outputs [{Describe(graph.Output)}]; {expected}");
        }
    }

    /// <summary>Element type and rank match; a non-null expected size must equal a fixed dimension.</summary>
    private static bool Matches(ValueInfoProto value, DataType elementType, int?[] dims)
    {
        var tensor = value.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)elementType || tensor.Shape is null || tensor.Shape.Dim.Count != dims.Length)
        {
            return false;
        }

        for (var i = 0; i < dims.Length; i++)
        {
            var dim = tensor.Shape.Dim[i];
            if (dims[i] is { } size && (dim.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || dim.DimValue != size))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(IEnumerable<ValueInfoProto> values) =>
        string.Join(", ", values.Select(v =>
        {
            var tensor = v.Type?.TensorType;
            if (tensor is null)
            {
                return $"'{v.Name}' (not a tensor)";
            }

            var dims = tensor.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue
                ? d.DimValue.ToString(CultureInfo.InvariantCulture)
                : d.DimParam) ?? [];
            var type = Enum.IsDefined((DataType)tensor.ElemType) ? ((DataType)tensor.ElemType).ToString().ToLowerInvariant() : $"type {tensor.ElemType}";
            return $"'{v.Name}' {type} [{string.Join(", ", dims)}]";
        }));

    private static string[] ParseFeatureNames(string source, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                var names = new string[document.RootElement.GetArrayLength()];
                var i = 0;
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.String)
                    {
                        Throw(source, $"has {OnnxMetadataKeys.FeatureNames} entry {i} of kind {element.ValueKind}; feature names are strings: {json}");
                    }

                    names[i++] = element.GetString()!;
                }

                if (names.Length > 0)
                {
                    return names;
                }
            }
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"Model file '{source}' has {OnnxMetadataKeys.FeatureNames} that is not JSON ({error.Message}): {json}", error);
        }

        Throw(source, $"has {OnnxMetadataKeys.FeatureNames} '{json}'; expected a non-empty JSON array of strings");
        return [];
    }

    private static BucketSize ParseBucket(string source, string text)
    {
        if (!Enum.TryParse<BucketSize>(text, ignoreCase: true, out var bucket) || !Enum.IsDefined(bucket) || int.TryParse(text, out _))
        {
            Throw(source, $"has {OnnxMetadataKeys.Bucket} '{text}'; expected one of {string.Join(", ", Enum.GetNames<BucketSize>().Select(n => n.ToLowerInvariant()))}");
        }

        return bucket;
    }

    private static int ParsePositive(string source, string key, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            Throw(source, $"has {key} '{text}'; expected a positive integer");
        }

        return value;
    }

    private static DateOnly ParseDate(string source, string text)
    {
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            Throw(source, $"has {OnnxMetadataKeys.AsOf} '{text}'; expected a date yyyy-MM-dd");
        }

        return date;
    }

    private static string ParseMetrics(string source, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return json;
            }
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"Model file '{source}' has {OnnxMetadataKeys.Metrics} that is not JSON ({error.Message}).", error);
        }

        Throw(source, $"has {OnnxMetadataKeys.Metrics} that is not a JSON object: {json}");
        return json;
    }

    [DoesNotReturn]
    private static void Throw(string source, string what) => throw new InvalidDataException($"Model file '{source}' {what}.");
}
