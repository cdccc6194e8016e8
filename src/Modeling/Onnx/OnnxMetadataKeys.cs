namespace Clv.Modeling.Onnx;

/// <summary>
/// Keys of the <c>metadata_props</c> entries a CLV model file carries; together they restore the
/// model's <see cref="Model.ModelMetadata"/>.
/// </summary>
/// <remarks>
/// Values are UTF-8 text: numbers in invariant culture, dates as <c>yyyy-MM-dd</c>, lists and
/// metrics as JSON. A file without every key is not a CLV model file.
/// </remarks>
public static class OnnxMetadataKeys
{
    /// <summary>Version of the layout of these keys and of the graph signature, currently <c>2</c> (<c>2</c> added the quantile outputs).</summary>
    public const string FormatVersion = "clv.format_version";

    /// <summary>Model version, e.g. <c>20261123T101500Z-3f2a</c>.</summary>
    public const string ModelVersion = "clv.model_version";

    /// <summary>Per-step feature names in input order, a JSON array of <c>F</c> strings.</summary>
    public const string FeatureNames = "clv.feature_names";

    /// <summary>Width of one time step: <c>day</c>, <c>week</c> or <c>month</c>.</summary>
    public const string Bucket = "clv.bucket";

    /// <summary>Steps per sequence, <c>T</c>, an integer.</summary>
    public const string SequenceLength = "clv.sequence_length";

    /// <summary>Prediction horizon in buckets, an integer.</summary>
    public const string HorizonBuckets = "clv.horizon_buckets";

    /// <summary>Last day of the training data, <c>yyyy-MM-dd</c>.</summary>
    public const string AsOf = "clv.as_of";

    /// <summary>Evaluation metrics, the JSON object the evaluation produced (<c>{}</c> when not evaluated).</summary>
    public const string Metrics = "clv.metrics";

    /// <summary>Hidden units of the LSTM, <c>H</c>, an integer (informational).</summary>
    public const string HiddenSize = "clv.hidden_size";

    /// <summary>The value of <see cref="FormatVersion"/> this library writes and reads.</summary>
    public const string CurrentFormatVersion = "2";

    /// <summary>Every key a CLV model file must carry.</summary>
    public static IReadOnlyList<string> Required { get; } =
        [FormatVersion, ModelVersion, FeatureNames, Bucket, SequenceLength, HorizonBuckets, AsOf, Metrics, HiddenSize];
}
