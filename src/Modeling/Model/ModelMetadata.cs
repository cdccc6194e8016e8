using Clv.Modeling.Features;

namespace Clv.Modeling.Model;

/// <summary>What a trained model was built from; written into the ONNX file's <c>metadata_props</c>.</summary>
/// <param name="Version">Model version, e.g. <c>20261123T101500Z-3f2a</c>.</param>
/// <param name="FeatureNames">Per-step feature names, in input order (<c>F</c> names).</param>
/// <param name="Bucket">Width of one time step.</param>
/// <param name="SequenceLength">Steps per sequence, <c>T</c>.</param>
/// <param name="HorizonBuckets">Prediction horizon in buckets.</param>
/// <param name="AsOf">Last day of the training data.</param>
/// <param name="MetricsJson">Evaluation metrics as a JSON object; <c>{}</c> when not evaluated.</param>
public sealed record ModelMetadata(
    string Version,
    IReadOnlyList<string> FeatureNames,
    BucketSize Bucket,
    int SequenceLength,
    int HorizonBuckets,
    DateOnly AsOf,
    string MetricsJson = "{}")
{
    /// <summary>Number of features per step, <c>F</c>.</summary>
    public int FeatureCount => FeatureNames.Count;
}
