using System.CommandLine;
using System.Globalization;
using Clv.Modeling.Lstm;
using Clv.Modeling.Workflow;

namespace Clv.Cli.Local;

/// <summary>
/// The flags that shape a model (time grid, split, trainer), shared by <c>run</c>, <c>demo</c>, <c>train</c> and
/// <c>evaluate</c>: bound to the workflow's <see cref="ModelBuildOptions"/> and <see cref="TrainerOptions"/>, whose
/// defaults and validation they take, as the host's settings do.
/// </summary>
internal sealed class ModelOptionSet
{
    private static readonly ModelBuildOptions Defaults = new();
    private static readonly TrainerOptions TrainerDefaults = new();

    public Option<string> Bucket { get; } = new("--bucket") { Description = "Time step of the model: day, week or month.", DefaultValueFactory = _ => "week" };

    public Option<int> SequenceLength { get; } = new("--steps") { Description = "Steps of history per customer (T).", DefaultValueFactory = _ => Defaults.SequenceLength };

    public Option<int> Horizon { get; } = new("--horizon") { Description = "Buckets predicted ahead.", DefaultValueFactory = _ => Defaults.HorizonBuckets };

    public Option<string?> AsOf { get; } = new("--as-of") { Description = "Last day of data to use, yyyy-MM-dd (default: the last day in the data)." };

    public Option<int> Epochs { get; } = new("--epochs") { Description = "Most training epochs (early stopping may end sooner).", DefaultValueFactory = _ => TrainerDefaults.Epochs };

    public Option<double> LearningRate { get; } = new("--learning-rate") { Description = "Base Adam step size of the trainer.", DefaultValueFactory = _ => TrainerDefaults.LearningRate };

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Training examples per minibatch.", DefaultValueFactory = _ => TrainerDefaults.BatchSize };

    public Option<int> HiddenSize { get; } = new("--hidden") { Description = "LSTM hidden units.", DefaultValueFactory = _ => TrainerDefaults.HiddenSize };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the held-out customer split of the backtest.", DefaultValueFactory = _ => Defaults.Seed };

    public Option<int> InitSeed { get; } = new("--init-seed") { Description = "Seed of the weight initialisation and shuffling.", DefaultValueFactory = _ => TrainerDefaults.Seed };

    public Option<int> Seeds { get; } = new("--seeds") { Description = "Repetitions of the backtest; repetition s adds s to both seeds.", DefaultValueFactory = _ => Defaults.Seeds };

    public Option<int> Cutoffs { get; } = new("--cutoffs") { Description = "Cutoffs of the backtest, the last at as-of minus the horizon.", DefaultValueFactory = _ => Defaults.Cutoffs };

    public Option<int> CutoffStep { get; } = new("--cutoff-step") { Description = "Buckets between cutoffs of the backtest.", DefaultValueFactory = _ => Defaults.CutoffStep };

    public Option<int> Origins { get; } = new("--origins") { Description = "Rolling origins each model learns from (labels ending by its cutoff or as-of day).", DefaultValueFactory = _ => Defaults.Origins };

    public Option<int> OriginStep { get; } = new("--origin-step") { Description = "Buckets between rolling origins.", DefaultValueFactory = _ => Defaults.OriginStep };

    public Option<bool> CalibrateLevel { get; } = new("--calibrate-level") { Description = "Set the LSTM's spend level to its latest origin's after training (true or false).", DefaultValueFactory = _ => Defaults.CalibrateLevel };

    public Option<int> Threads { get; } = new("--threads") { Description = "Training threads (same seed and threads give identical models).", DefaultValueFactory = _ => TrainerDefaults.ThreadCount };

    public IEnumerable<Option> All => [Bucket, SequenceLength, Horizon, AsOf, Epochs, LearningRate, BatchSize, HiddenSize, Seed, InitSeed, Seeds, Cutoffs, CutoffStep, Origins, OriginStep, CalibrateLevel, Threads];

    /// <summary>Reads and checks the values; a bad one is a <see cref="CliUserException"/> naming the option.</summary>
    public ModelBuildOptions Bind(ParseResult parseResult)
    {
        var bucket = ExportOptionSet.ParseBucket(parseResult.GetValue(Bucket));

        DateOnly? asOf = null;
        var asOfText = parseResult.GetValue(AsOf);
        if (asOfText is not null)
        {
            if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new CliUserException($"--as-of '{asOfText}' is not a date.", "write it as yyyy-MM-dd, e.g. --as-of 1998-06-30");
            }

            asOf = day;
        }

        var seed = parseResult.GetValue(Seed);
        var options = new ModelBuildOptions
        {
            Bucket = bucket,
            SequenceLength = parseResult.GetValue(SequenceLength),
            HorizonBuckets = parseResult.GetValue(Horizon),
            AsOf = asOf,
            Seed = seed,
            Seeds = parseResult.GetValue(Seeds),
            Cutoffs = parseResult.GetValue(Cutoffs),
            CutoffStep = parseResult.GetValue(CutoffStep),
            Origins = parseResult.GetValue(Origins),
            OriginStep = parseResult.GetValue(OriginStep),
            CalibrateLevel = parseResult.GetValue(CalibrateLevel),
            Trainer = TrainerDefaults with
            {
                Epochs = parseResult.GetValue(Epochs),
                LearningRate = parseResult.GetValue(LearningRate),
                BatchSize = parseResult.GetValue(BatchSize),
                HiddenSize = parseResult.GetValue(HiddenSize),
                Seed = parseResult.GetValue(InitSeed),
                ThreadCount = parseResult.GetValue(Threads),
            },
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw CliUserException.FromOutOfRange(ex, "see clv --help for the valid ranges");
        }

        return options;
    }
}
