namespace Clv.Modeling.Features;

/// <summary>
/// Training and evaluation examples from partial aggregates: inputs are each customer's history up to an origin
/// <c>O = label end - horizon</c>, the label is their net spend in <c>(O, O + horizon]</c> floored at 0.
/// </summary>
/// <remarks>
/// Only customers whose first activity is on or before the origin bucket are included (new customers of the horizon
/// have no history to learn from). Buckets are whole: the label end is the last day of the last whole bucket on or
/// before the given day (<see cref="WholeBucketEnd"/>), so no label counts a day after it, and the label covers
/// exactly the <c>horizonBuckets</c> buckets after the origin (the days <see cref="HorizonDays"/> gives the baselines).
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
        return BuildAt(partials, [WholeBucketEnd(asOf, partials.Bucket)], horizonBuckets, sequenceLength, include: null);
    }

    /// <summary>
    /// The last day of the cutoff bucket, <paramref name="horizonBuckets"/> buckets before the last whole bucket on or
    /// before <paramref name="asOf"/>.
    /// </summary>
    public static DateOnly Cutoff(DateOnly asOf, int horizonBuckets, BucketSize bucket) =>
        BucketMath.End(BucketMath.Index(WholeBucketEnd(asOf, bucket), bucket) - horizonBuckets, bucket);

    /// <summary>
    /// The last day of the last whole bucket on or before <paramref name="day"/>: <paramref name="day"/> itself when it
    /// ends a bucket (a Sunday for weeks), else the end of the bucket before (a Tuesday gives the Sunday before it).
    /// </summary>
    public static DateOnly WholeBucketEnd(DateOnly day, BucketSize bucket)
    {
        var index = BucketMath.Index(day, bucket);
        return BucketMath.End(index, bucket) == day ? day : BucketMath.End(index - 1, bucket);
    }

    /// <summary>The days in the <paramref name="horizonBuckets"/> whole buckets after <paramref name="cutoff"/> (a bucket end): the label window.</summary>
    public static int HorizonDays(DateOnly cutoff, int horizonBuckets, BucketSize bucket) =>
        BucketMath.End(BucketMath.Index(cutoff, bucket) + horizonBuckets, bucket).DayNumber - cutoff.DayNumber;

    /// <summary>
    /// Examples from rolling origins: origin <c>j</c> (0 .. <paramref name="originCount"/> - 1) has its label window end
    /// <c>j * <paramref name="originStep"/></c> buckets before the whole bucket ending on or before <paramref name="labelEnd"/>,
    /// so every label ends on or before <paramref name="labelEnd"/>. Origins without customers (before the data starts) are skipped.
    /// </summary>
    /// <param name="partials">Merged partials at the model's bucket size.</param>
    /// <param name="labelEnd">No label counts a day after it (the cutoff of a backtest, the as-of day of a deployed model).</param>
    /// <param name="horizonBuckets">Label window in buckets.</param>
    /// <param name="sequenceLength">Steps per input sequence, <c>T</c>.</param>
    /// <param name="originCount">Origins, at least 1.</param>
    /// <param name="originStep">Buckets between origins, at least 1.</param>
    /// <param name="include">Customers to keep (e.g. the training side of a split); <see langword="null"/> keeps all.</param>
    /// <returns>The examples of every origin, latest origin first, each in customer-id order.</returns>
    public static TrainingExamples BuildRolling(
        PartialAggregates partials,
        DateOnly labelEnd,
        int horizonBuckets,
        int sequenceLength,
        int originCount,
        int originStep,
        Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentOutOfRangeException.ThrowIfLessThan(originCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(originStep, 1);
        var bucket = partials.Bucket;
        var lastBucket = BucketMath.Index(WholeBucketEnd(labelEnd, bucket), bucket);
        var labelEnds = new DateOnly[originCount];
        for (var j = 0; j < originCount; j++)
        {
            labelEnds[j] = BucketMath.End(lastBucket - (j * originStep), bucket);
        }

        return BuildAt(partials, labelEnds, horizonBuckets, sequenceLength, include);
    }

    /// <summary>
    /// The examples whose labels end at each of <paramref name="labelEnds"/> (whole bucket ends), one after another,
    /// each in customer-id order. The customers and lengths are found first and the inputs written once into one block
    /// of their exact size: building each origin's set and joining them held every example two or three times.
    /// </summary>
    private static TrainingExamples BuildAt(PartialAggregates partials, DateOnly[] labelEnds, int horizonBuckets, int sequenceLength, Func<string, bool>? include)
    {
        var bucket = partials.Bucket;
        var sequences = new SequenceBuilder(bucket, sequenceLength);
        var ids = new List<string>();
        var lengths = new List<int>();
        var labels = new List<float>();
        var firstRows = new List<int>();
        var inputEnds = new List<int>();
        foreach (var labelEnd in labelEnds)
        {
            var labelBucket = BucketMath.Index(labelEnd, bucket);
            var inputEnd = labelBucket - horizonBuckets;
            foreach (var (start, end) in SequenceBuilder.CustomerRanges(partials))
            {
                var length = sequences.Length(partials, start, inputEnd);
                var id = partials.CustomerIds[start];
                if (length == 0 || (include is not null && !include(id)))
                {
                    continue;
                }

                var spend = 0.0;
                for (var row = start; row < end; row++)
                {
                    var index = BucketMath.Index(partials.BucketStarts[row], bucket);
                    if (index > labelBucket - horizonBuckets && index <= labelBucket)
                    {
                        spend += partials.NetSpend[row];
                    }
                }

                ids.Add(id);
                lengths.Add(length);
                labels.Add((float)Math.Max(spend, 0));
                firstRows.Add(start);
                inputEnds.Add(inputEnd);
            }
        }

        var stride = sequenceLength * SequenceBuilder.FeatureCount;
        var features = new float[(long)ids.Count * stride];
        for (var i = 0; i < ids.Count; i++)
        {
            sequences.Fill(partials, firstRows[i], inputEnds[i], features.AsSpan(i * stride, stride));
        }

        return new TrainingExamples(new SequenceSet(ids, features, [.. lengths], sequenceLength, SequenceBuilder.FeatureNames), [.. labels]);
    }

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

        var (train, test) = SplitIndices(examples.Count, testShare, seed);
        return (Subset(examples, train), Subset(examples, test));
    }

    /// <summary>The indices of <see cref="Split"/>'s train and test sets, each ascending, for a caller that needs only one side.</summary>
    internal static (int[] Train, int[] Test) SplitIndices(int count, double testShare, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        var testCount = (int)Math.Round(count * testShare);
        var test = order[..testCount];
        var train = order[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return (train, test);
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
