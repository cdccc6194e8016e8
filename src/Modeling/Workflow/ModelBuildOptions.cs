using Clv.Modeling.Features;
using Clv.Modeling.Lstm;

namespace Clv.Modeling.Workflow;

/// <summary>How one model is built from partials: the time grid, the evaluation split and the trainer.</summary>
public sealed record ModelBuildOptions
{
    /// <summary>Width of one time step. Default: week.</summary>
    public BucketSize Bucket { get; init; } = BucketSize.Week;

    /// <summary>Steps kept per customer, <c>T</c>. Default: 52 (a year of weeks).</summary>
    public int SequenceLength { get; init; } = 52;

    /// <summary>Buckets predicted ahead. Default: 26 (half a year of weeks).</summary>
    public int HorizonBuckets { get; init; } = 26;

    /// <summary>Last day of data to use; <see langword="null"/> takes the last day present in the partials.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Share of customers held out for evaluation (never seen by the trainer). Default: 0.2.</summary>
    public double TestShare { get; init; } = 0.2;

    /// <summary>Seed of the customer split (the trainer has its own in <see cref="Trainer"/>).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>LSTM hyper-parameters.</summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>Model version written into the metadata; <see langword="null"/> makes one from the clock.</summary>
    public string? Version { get; init; }

    /// <summary>Throws with the name of the first invalid setting.</summary>
    public void Validate()
    {
        if (SequenceLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SequenceLength), SequenceLength, "The sequence length T must be at least 1.");
        }

        if (HorizonBuckets < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(HorizonBuckets), HorizonBuckets, "The horizon must be at least one bucket.");
        }

        if (AsOf is { } asOf && asOf < Ingest.ExportReaderOptions.EarliestDate)
        {
            throw new ArgumentOutOfRangeException(nameof(AsOf), asOf, $"The as-of must be on or after {Ingest.ExportReaderOptions.EarliestDate:yyyy-MM-dd}, the earliest date an export may carry.");
        }

        if (!(TestShare > 0 && TestShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TestShare), TestShare, "The test share must be between 0 and 1 (exclusive).");
        }

        Trainer.Validate();
    }
}
