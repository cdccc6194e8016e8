namespace Clv.Modeling.Features;

/// <summary>
/// Per-customer feature sequences in one dense, right-padded block: the input of training and scoring.
/// </summary>
/// <remarks>
/// <see cref="Features"/> is <c>[N, T, F]</c> row-major; steps at or past a customer's length are zero.
/// Step <c>Length - 1</c> is the as-of bucket (the most recent one).
/// </remarks>
public sealed class SequenceSet
{
    /// <summary>Wraps the arrays (not copied) after checking their sizes.</summary>
    /// <exception cref="ArgumentException">A size disagrees or a length is outside <c>1..T</c>.</exception>
    public SequenceSet(IReadOnlyList<string> customerIds, float[] features, int[] lengths, int sequenceLength, IReadOnlyList<string> featureNames)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        if (customerIds.Count != lengths.Length)
        {
            throw new ArgumentException($"{customerIds.Count} customer ids but {lengths.Length} lengths.", nameof(lengths));
        }

        var expected = (long)lengths.Length * sequenceLength * featureNames.Count;
        if (features.LongLength != expected)
        {
            throw new ArgumentException(
                $"Features have {features.LongLength} values; [N={lengths.Length}, T={sequenceLength}, F={featureNames.Count}] needs {expected}.",
                nameof(features));
        }

        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] < 1 || lengths[i] > sequenceLength)
            {
                throw new ArgumentException($"Customer '{customerIds[i]}' has sequence length {lengths[i]}; lengths must be in 1..{sequenceLength}.", nameof(lengths));
            }
        }

        CustomerIds = customerIds;
        Features = features;
        Lengths = lengths;
        SequenceLength = sequenceLength;
        FeatureNames = featureNames;
    }

    /// <summary>Customer ids, <c>[N]</c>.</summary>
    public IReadOnlyList<string> CustomerIds { get; }

    /// <summary>Raw (not normalised) features, <c>[N, T, F]</c>.</summary>
    public float[] Features { get; }

    /// <summary>Valid steps per customer, <c>[N]</c>, each in <c>1..T</c>.</summary>
    public int[] Lengths { get; }

    /// <summary>Steps per sequence, <c>T</c>.</summary>
    public int SequenceLength { get; }

    /// <summary>Feature names, <c>[F]</c>.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of customers, <c>N</c>.</summary>
    public int Count => Lengths.Length;

    /// <summary>Features per step, <c>F</c>.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>The features of customer <paramref name="index"/>, <c>[T, F]</c>.</summary>
    public ReadOnlySpan<float> Customer(int index) => Features.AsSpan(index * SequenceLength * FeatureCount, SequenceLength * FeatureCount);
}
