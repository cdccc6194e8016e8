namespace Clv.Modeling.Features;

/// <summary>
/// Training and evaluation examples from partial aggregates: inputs are each customer's history up to the cutoff
/// <c>C = as-of - horizon</c>, the label is their net spend in <c>(C, C + horizon]</c> floored at 0.
/// </summary>
/// <remarks>
/// Only customers whose first activity is on or before the cutoff bucket are included (new customers of the horizon
/// have no history to learn from). Buckets are whole: the as-of bucket is the bucket containing the as-of date, the
/// cutoff bucket is <c>horizonBuckets</c> before it, and the label covers the <c>horizonBuckets</c> buckets after the cutoff.
/// </remarks>
public static class TrainingExampleBuilder
{
    /// <summary>Builds the examples.</summary>
    /// <param name="partials">Merged partials of every export.</param>
    /// <param name="asOf">Last day of the data; its bucket is the last of the label window.</param>
    /// <param name="horizonBuckets">Label window in buckets (at least 1).</param>
    /// <param name="sequenceLength">Steps per input sequence, <c>T</c>.</param>
    /// <returns>Inputs <c>[N, T, F]</c> ending at the cutoff bucket and labels <c>[N]</c>, in customer-id order.</returns>
    public static TrainingExamples Build(PartialAggregates partials, DateOnly asOf, int horizonBuckets, int sequenceLength)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizonBuckets, 1);
        var bucket = partials.Bucket;
        var asOfBucket = BucketMath.Index(asOf, bucket);
        var cutoff = Cutoff(asOf, horizonBuckets, bucket);
        var inputs = new SequenceBuilder(bucket, sequenceLength).Build(partials, cutoff);

        var labels = new float[inputs.Count];
        var next = 0;
        foreach (var (start, end) in SequenceBuilder.CustomerRanges(partials))
        {
            if (next == inputs.Count || !string.Equals(partials.CustomerIds[start], inputs.CustomerIds[next], StringComparison.Ordinal))
            {
                continue;
            }

            var spend = 0.0;
            for (var row = start; row < end; row++)
            {
                var index = BucketMath.Index(partials.BucketStarts[row], bucket);
                if (index > asOfBucket - horizonBuckets && index <= asOfBucket)
                {
                    spend += partials.NetSpend[row];
                }
            }

            labels[next++] = (float)Math.Max(spend, 0);
        }

        return new TrainingExamples(inputs, labels);
    }

    /// <summary>The last day of the cutoff bucket, <paramref name="horizonBuckets"/> buckets before the bucket of <paramref name="asOf"/>.</summary>
    public static DateOnly Cutoff(DateOnly asOf, int horizonBuckets, BucketSize bucket) =>
        BucketMath.End(BucketMath.Index(asOf, bucket) - horizonBuckets, bucket);

    /// <summary>
    /// Splits customers at random (seeded) into train and test sets, e.g. 80/20 with <paramref name="testShare"/> 0.2;
    /// each keeps customer-id order. The same seed and customers give the same split.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testShare"/> is outside 0..1.</exception>
    public static (TrainingExamples Train, TrainingExamples Test) Split(TrainingExamples examples, double testShare, int seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (!(testShare is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testShare), testShare, "Test share must be in 0..1.");
        }

        var order = Enumerable.Range(0, examples.Count).ToArray();
        new Random(seed).Shuffle(order);
        var testCount = (int)Math.Round(examples.Count * testShare);
        var test = order[..testCount];
        var train = order[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return (Subset(examples, train), Subset(examples, test));
    }

    /// <summary>The examples at <paramref name="indices"/>, in that order.</summary>
    internal static TrainingExamples Subset(TrainingExamples examples, int[] indices)
    {
        var inputs = examples.Inputs;
        var stride = inputs.SequenceLength * inputs.FeatureCount;
        var features = new float[indices.Length * stride];
        var lengths = new int[indices.Length];
        var ids = new string[indices.Length];
        var labels = new float[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var source = indices[i];
            inputs.Customer(source).CopyTo(features.AsSpan(i * stride, stride));
            lengths[i] = inputs.Lengths[source];
            ids[i] = inputs.CustomerIds[source];
            labels[i] = examples.Labels[source];
        }

        return new TrainingExamples(new SequenceSet(ids, features, lengths, inputs.SequenceLength, inputs.FeatureNames), labels);
    }
}
