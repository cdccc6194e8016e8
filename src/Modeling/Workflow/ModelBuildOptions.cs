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

    /// <summary>Seed of the customer split (the weights have their own, <see cref="TrainerOptions.Seed"/> in <see cref="Trainer"/>).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Rolling origins the model learns from: origin <c>j</c>'s labels end <c>j * OriginStep</c> buckets before the last day usable for labels. Default: 4.</summary>
    public int Origins { get; init; } = 4;

    /// <summary>Buckets between two origins. Default: 4.</summary>
    public int OriginStep { get; init; } = 4;

    /// <summary>Cutoffs of the backtest, the last at as-of minus the horizon. Default: 3.</summary>
    public int Cutoffs { get; init; } = 3;

    /// <summary>Buckets between two cutoffs of the backtest. Default: 4.</summary>
    public int CutoffStep { get; init; } = 4;

    /// <summary>Repetitions of the whole backtest; repetition <c>s</c> adds <c>s</c> to the split seed and the weight seed. Default: 1.</summary>
    public int Seeds { get; init; } = 1;

    /// <summary>Bootstrap samples of each 95% interval of the backtest. Default: 200.</summary>
    public int BootstrapSamples { get; init; } = 200;

    /// <summary>
    /// Whether the LSTM's spend level is set to that of its latest origin after training
    /// (<see cref="Calibration.LevelCalibration"/>): one factor on expected spend and quantiles, rankings unchanged. Default: on.
    /// </summary>
    public bool CalibrateLevel { get; init; } = true;

    /// <summary>LSTM hyper-parameters.</summary>
    public TrainerOptions Trainer { get; init; } = new();

    /// <summary>Model version written into the metadata; <see langword="null"/> makes one from the clock.</summary>
    public string? Version { get; init; }

    /// <summary>The largest <see cref="SequenceLength"/> and <see cref="HorizonBuckets"/>: 1024.</summary>
    public const int MaxSteps = 1024;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting (a trainer setting by its own name, see <see cref="TrainerOptions.Validate"/>).</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Bucket))
        {
            throw new ArgumentOutOfRangeException(nameof(Bucket), Bucket, "The bucket must be Day, Week or Month.");
        }

        if (SequenceLength is < 1 or > MaxSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(SequenceLength), SequenceLength, $"The sequence length T must be in 1..{MaxSteps}.");
        }

        if (HorizonBuckets is < 1 or > MaxSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(HorizonBuckets), HorizonBuckets, $"The horizon must be in 1..{MaxSteps} buckets.");
        }

        if (AsOf is { } asOf && asOf < Ingest.ExportReaderOptions.EarliestDate)
        {
            throw new ArgumentOutOfRangeException(nameof(AsOf), asOf, $"The as-of must be on or after {Ingest.ExportReaderOptions.EarliestDate:yyyy-MM-dd}, the earliest date an export may carry.");
        }

        if (!(TestShare > 0 && TestShare < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TestShare), TestShare, "The test share must be between 0 and 1 (exclusive).");
        }

        foreach (var (value, name) in new[] { (Origins, nameof(Origins)), (OriginStep, nameof(OriginStep)), (Cutoffs, nameof(Cutoffs)), (CutoffStep, nameof(CutoffStep)), (Seeds, nameof(Seeds)) })
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
            }
        }

        if (BootstrapSamples < 10)
        {
            throw new ArgumentOutOfRangeException(nameof(BootstrapSamples), BootstrapSamples, "BootstrapSamples must be at least 10.");
        }

        Trainer.Validate();
    }
}
