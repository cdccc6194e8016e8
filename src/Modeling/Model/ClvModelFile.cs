using System.Text;
using Clv.Modeling.Features;
using Clv.Modeling.Lstm;

namespace Clv.Modeling.Model;

/// <summary>
/// Reads and writes a <see cref="ClvModel"/> as a versioned little-endian binary file, independent of ONNX.
/// </summary>
/// <remarks>
/// Layout (version 1): magic <c>CLVM</c>; int32 version; metadata (version string, feature names,
/// bucket, <c>T</c>, horizon, as-of day number, metrics JSON); normaliser mean and scale <c>[F]</c>;
/// <c>F</c>, <c>H</c>; parameter count and the <see cref="LstmWeights.Buffer"/> values.
/// Strings are length-prefixed UTF-8.
/// </remarks>
public static class ClvModelFile
{
    /// <summary>The current format version.</summary>
    public const int FormatVersion = 1;

    private const int MaxNames = 1 << 16;
    private const int MaxHiddenSize = 4096;
    private static readonly byte[] Magic = "CLVM"u8.ToArray();

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>, replacing the file.</summary>
    public static void Save(ClvModel model, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.Create(path);
        Save(model, stream);
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/>.</summary>
    public static void Save(ClvModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        var metadata = model.Metadata;
        writer.Write(metadata.Version);
        writer.Write(metadata.FeatureNames.Count);
        foreach (var name in metadata.FeatureNames)
        {
            writer.Write(name);
        }

        writer.Write((int)metadata.Bucket);
        writer.Write(metadata.SequenceLength);
        writer.Write(metadata.HorizonBuckets);
        writer.Write(metadata.AsOf.DayNumber);
        writer.Write(metadata.MetricsJson);
        WriteFloats(writer, model.Normalizer.Mean);
        WriteFloats(writer, model.Normalizer.Scale);
        writer.Write(model.Weights.Shape.FeatureCount);
        writer.Write(model.Weights.Shape.HiddenSize);
        WriteFloats(writer, model.Weights.Buffer);
    }

    /// <summary>Reads a model from <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a model file, has an unsupported version, or is truncated or inconsistent; the message names the file.</exception>
    public static ClvModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads a model from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The data is not a model file, has an unsupported version, or is truncated or inconsistent.</exception>
    public static ClvModel Load(Stream stream, string source = "model stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
            {
                throw new InvalidDataException($"'{source}' is not a CLV model file: it starts with 0x{Convert.ToHexString(magic)}, expected 0x{Convert.ToHexString(Magic)} ('CLVM').");
            }

            var version = reader.ReadInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"'{source}' is CLV model format version {version}; this build reads version {FormatVersion}.");
            }

            var modelVersion = reader.ReadString();
            var nameCount = Count(reader.ReadInt32(), MaxNames, "feature name count", source);
            var names = new string[nameCount];
            for (var i = 0; i < nameCount; i++)
            {
                names[i] = reader.ReadString();
            }

            var bucket = reader.ReadInt32();
            if (!Enum.IsDefined((BucketSize)bucket))
            {
                throw new InvalidDataException($"'{source}' has bucket code {bucket}; known codes are 0..{Enum.GetValues<BucketSize>().Length - 1}.");
            }

            var steps = reader.ReadInt32();
            var horizon = reader.ReadInt32();
            var asOf = reader.ReadInt32();
            if (asOf < DateOnly.MinValue.DayNumber || asOf > DateOnly.MaxValue.DayNumber)
            {
                throw new InvalidDataException($"'{source}' has as-of day number {asOf}, outside the calendar.");
            }

            var metricsJson = reader.ReadString();
            var mean = ReadFloats(reader, MaxNames, "normaliser mean", source);
            var scale = ReadFloats(reader, MaxNames, "normaliser scale", source);
            var featureCount = reader.ReadInt32();
            var hiddenSize = Count(reader.ReadInt32(), MaxHiddenSize, "hidden size", source);
            var shape = new LstmShape(featureCount, hiddenSize);
            if (featureCount != nameCount || hiddenSize < 1)
            {
                throw new InvalidDataException($"'{source}' has LSTM shape F={featureCount}, H={hiddenSize} but {nameCount} feature names.");
            }

            var buffer = ReadFloats(reader, shape.ParameterCount, "parameters", source);
            if (buffer.Length != shape.ParameterCount)
            {
                throw new InvalidDataException($"'{source}' has {buffer.Length} parameters; F={featureCount}, H={hiddenSize} needs {shape.ParameterCount}.");
            }

            var metadata = new ModelMetadata(modelVersion, names, (BucketSize)bucket, steps, horizon, DateOnly.FromDayNumber(asOf), metricsJson);
            return new ClvModel(metadata, new FeatureNormalizer(mean, scale), new LstmWeights(shape, buffer));
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException($"'{source}' is truncated: it ends inside the model data.", exception);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException($"'{source}' holds an inconsistent model: {exception.Message}", exception);
        }
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    private static float[] ReadFloats(BinaryReader reader, int max, string what, string source)
    {
        var count = Count(reader.ReadInt32(), max, what, source);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = reader.ReadSingle();
        }

        return values;
    }

    private static int Count(int value, int max, string what, string source) =>
        value >= 0 && value <= max ? value : throw new InvalidDataException($"'{source}' has {what} {value}; expected 0..{max}.");
}
