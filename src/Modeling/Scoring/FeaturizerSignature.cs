using Clv.Modeling.Features;

namespace Clv.Modeling.Scoring;

/// <summary>What the featurizer produces, which a model must have been trained on to score its output.</summary>
/// <param name="FeatureNames">Per-step feature names in input order, <c>[F]</c>.</param>
/// <param name="Bucket">Width of one time step.</param>
/// <param name="SequenceLength">Steps per sequence, <c>T</c>.</param>
public sealed record FeaturizerSignature(IReadOnlyList<string> FeatureNames, BucketSize Bucket, int SequenceLength)
{
    /// <summary>The signature of sequences built with <paramref name="bucket"/> buckets.</summary>
    public static FeaturizerSignature Of(SequenceSet sequences, BucketSize bucket)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        return new FeaturizerSignature(sequences.FeatureNames, bucket, sequences.SequenceLength);
    }
}
