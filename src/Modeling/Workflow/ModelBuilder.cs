using System.Globalization;
using Clv.Modeling.Baselines;
using Clv.Modeling.Calibration;
using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Loss;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Onnx;
using Clv.Modeling.Scoring;

namespace Clv.Modeling.Workflow;

/// <summary>
/// Builds one model from merged partials the way it is deployed, and judges it by a rolling-origin backtest.
/// </summary>
/// <remarks>
/// <para>
/// One protocol everywhere (the <c>clv</c> tool and the timer-triggered training): a model built at a day <c>D</c>
/// learns only from labels that end on or before <c>D</c>. Its examples come from rolling origins (inputs up to an
/// origin <c>O</c>, labels the horizon after it, <c>O + horizon &lt;= D</c>), and it then scores customers with
/// inputs up to <c>D</c>. The deployed model is built at the as-of day on every customer.
/// </para>
/// <para>
/// The backtest builds the same way at <see cref="ModelBuildOptions.Cutoffs"/> cutoffs (the last at as-of minus the
/// horizon, spaced by <see cref="ModelBuildOptions.CutoffStep"/>), on the customers outside a seeded held-out share,
/// trains the gbm baseline on the same examples, fits BG/NBD + Gamma-Gamma and the naive rate on the data up to the
/// cutoff, and scores every model (and the champion when given) on the held-out customers' spend in the horizon
/// after the cutoff, which no model saw. The promotion rule reads its intervals.
/// </para>
/// <para>
/// Partials at day resolution are best: the LSTM sees them in <see cref="ModelBuildOptions.Bucket"/>s and the
/// baselines see one transaction per customer-day (same-day purchases merged, as in the BTYD literature).
/// </para>
/// </remarks>
public static class ModelBuilder
{
    /// <summary>Model name of the current champion in the comparison table.</summary>
    public const string ChampionName = "champion";

    /// <summary>Backtests, trains and exports a model.</summary>
    /// <param name="partials">Merged partials of every export (day partials preferred).</param>
    /// <param name="options">Time grid, split, backtest and trainer settings.</param>
    /// <param name="champion">The current champion's scorer, or <see langword="null"/> when there is none.</param>
    /// <param name="progress">Receives one report per training epoch.</param>
    /// <param name="cancellationToken">Stops training between minibatches.</param>
    /// <exception cref="ArgumentException">There are too few customers at a cutoff, or the options are invalid.</exception>
    public static ModelBuildResult Build(
        PartialAggregates partials,
        ModelBuildOptions options,
        ClvScorer? champion = null,
        IProgress<TrainingEpoch>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var (asOf, cellsAfterAsOf, comparableChampion, notes) = Start(partials, options, champion, "train");
        var bucketed = partials.Rebucket(options.Bucket);
        var version = options.Version ?? NewVersion();
        if (cellsAfterAsOf > 0)
        {
            notes.Insert(0, string.Create(
                CultureInfo.InvariantCulture,
                $"The as-of {asOf:yyyy-MM-dd} is the end of the data's bulk: {cellsAfterAsOf} (customer, bucket) cells dated more than {BulkGapDays} days after it were left out (set the as-of to use them)."));
        }

        var backtest = Backtest(partials, bucketed, asOf, options, comparableChampion, version, notes, progress, cancellationToken);
        LargeObjectGarbage.Collect();

        var metadata = new ModelMetadata(version, SequenceBuilder.FeatureNames, options.Bucket, options.SequenceLength, options.HorizonBuckets, asOf);
        var (training, exampleCount, trainCustomers) = TrainDeployed(bucketed, asOf, options, metadata, progress, cancellationToken);
        LargeObjectGarbage.Collect();
        var levelFactor = 1.0;
        if (options.CalibrateLevel)
        {
            var latest = TrainingExampleBuilder.BuildRolling(bucketed, asOf, options.HorizonBuckets, options.SequenceLength, 1, options.OriginStep);
            (var calibrated, levelFactor) = LevelCalibration.ToLatestOrigin(training.Model, latest, options.Trainer.ThreadCount);
            training = training with { Model = calibrated };
        }

        var championInBacktest = backtest.Pooled.Names.Contains(ChampionName) ? ChampionName : null;
        var decision = new PromotionPolicy().Decide(backtest, ModelNames.Lstm, championInBacktest);
        if (notes.Count > 0)
        {
            decision = decision with { Reason = $"{decision.Reason} {string.Join(" ", notes.Distinct(StringComparer.Ordinal))}" };
        }

        var lastCutoff = backtest.Cutoffs[^1];
        var metricsJson = backtest.ToJson(indented: false);
        var report = EvaluationReport.FromBacktest(
            backtest,
            new EvaluationReportOptions
            {
                Description = string.Create(
                    CultureInfo.InvariantCulture,
                    $"Model {version}: built at {asOf:yyyy-MM-dd} from {exampleCount} examples ({options.Origins} rolling origins, labels ending on or before {asOf:yyyy-MM-dd}){(options.CalibrateLevel ? $", spend level set to the latest origin's (x{levelFactor:F3})" : string.Empty)}. Out-of-time backtest: cutoffs {string.Join(", ", backtest.Cutoffs.Select(c => c.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}, {options.Seeds} seed(s), each model trained or fitted on data up to the cutoff and scored on held-out customers' net spend over the next {options.HorizonBuckets} {BucketNames.Name(options.Bucket)}s; the tables pool every cutoff. Decision: {decision.Status}. {decision.Reason}"),
            });

        var model = new ClvModel(metadata with { MetricsJson = metricsJson }, training.Model.Normalizer, training.Model.Weights);
        var heldOut = backtest.Folds.First(f => f.Cutoff == lastCutoff).Scores[0].CustomerIds.Count;
        return new ModelBuildResult(model, OnnxModelWriter.ToBytes(model), report, decision, training with { Model = model }, lastCutoff, trainCustomers, heldOut)
        {
            Backtest = backtest,
        };
    }

    /// <summary>
    /// Trains the deployed model on every customer's rolling-origin examples; returns it with the number of examples and
    /// of distinct customers. The examples are built here so that they are released before calibration and export.
    /// </summary>
    private static (TrainingResult Training, int ExampleCount, int Customers) TrainDeployed(
        PartialAggregates partials,
        DateOnly asOf,
        ModelBuildOptions options,
        ModelMetadata metadata,
        IProgress<TrainingEpoch>? progress,
        CancellationToken cancellationToken)
    {
        var examples = TrainingExampleBuilder.BuildRolling(partials, asOf, options.HorizonBuckets, options.SequenceLength, options.Origins, options.OriginStep);
        if (examples.Count < 10)
        {
            throw new ArgumentException(
                $"Only {examples.Count} training examples end on or before {asOf:yyyy-MM-dd}; at least 10 are needed. Use a shorter horizon or more history.",
                nameof(partials));
        }

        var training = new LstmTrainer(options.Trainer).Train(examples, metadata, progress, cancellationToken);
        return (training, examples.Count, examples.Inputs.CustomerIds.Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>
    /// The rolling-origin backtest alone: for every seed and cutoff, the LSTM and gbm trained on examples whose labels
    /// end by the cutoff (customers outside the held-out share), the baselines fitted on data up to the cutoff, and
    /// every model scored on the held-out customers' spend in the horizon after it.
    /// </summary>
    /// <param name="partials">Merged partials (day partials preferred).</param>
    /// <param name="options">Time grid, split, backtest and trainer settings; the as-of day bounds every label.</param>
    /// <param name="champion">The current champion's scorer, or <see langword="null"/>.</param>
    /// <param name="progress">Receives one report per training epoch.</param>
    /// <param name="cancellationToken">Stops training between minibatches.</param>
    /// <exception cref="ArgumentException">There are too few customers at a cutoff, or the options are invalid.</exception>
    public static BacktestResult Backtest(
        PartialAggregates partials,
        ModelBuildOptions options,
        ClvScorer? champion = null,
        IProgress<TrainingEpoch>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var (asOf, _, comparableChampion, notes) = Start(partials, options, champion, "evaluate");
        return Backtest(partials, partials.Rebucket(options.Bucket), asOf, options, comparableChampion, options.Version ?? NewVersion(), notes, progress, cancellationToken);
    }

    /// <summary>
    /// What <see cref="Build"/> and <see cref="Backtest(PartialAggregates, ModelBuildOptions, ClvScorer?, IProgress{TrainingEpoch}?, CancellationToken)"/>
    /// both start with: the options checked, the as-of day (given, or the end of the data's bulk, with the cells left
    /// after it), and the champion kept only when it is comparable (else a note says why).
    /// </summary>
    private static (DateOnly AsOf, int CellsAfterAsOf, ClvScorer? Champion, List<string> Notes) Start(PartialAggregates partials, ModelBuildOptions options, ClvScorer? champion, string verb)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (partials.Count == 0)
        {
            throw new ArgumentException($"There are no transactions to {verb} on.", nameof(partials));
        }

        var cellsAfterAsOf = 0;
        var asOf = TrainingExampleBuilder.WholeBucketEnd(options.AsOf ?? LastDay(partials, out cellsAfterAsOf), options.Bucket);
        var notes = new List<string>();
        if (champion is not null && ChampionMismatch(champion, options.Bucket) is { } mismatch)
        {
            notes.Add(mismatch);
            champion = null;
        }

        return (asOf, cellsAfterAsOf, champion, notes);
    }

    private static BacktestResult Backtest(
        PartialAggregates partials,
        PartialAggregates bucketed,
        DateOnly asOf,
        ModelBuildOptions options,
        ClvScorer? champion,
        string version,
        List<string> notes,
        IProgress<TrainingEpoch>? progress,
        CancellationToken cancellationToken)
    {
        var bucket = options.Bucket;
        var horizon = options.HorizonBuckets;
        var lastCutoff = TrainingExampleBuilder.Cutoff(asOf, horizon, bucket);
        var lastIndex = BucketMath.Index(lastCutoff, bucket);
        var cutoffs = Enumerable.Range(0, options.Cutoffs)
            .Select(k => BucketMath.End(lastIndex - ((options.Cutoffs - 1 - k) * options.CutoffStep), bucket))
            .ToArray();
        var firstDay = partials.BucketStarts.Min().ToDateTime(TimeOnly.MinValue);
        var folds = new List<BacktestFold>();
        for (var seedIndex = 0; seedIndex < options.Seeds; seedIndex++)
        {
            foreach (var cutoff in cutoffs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                folds.Add(Fold(partials, bucketed, cutoff, seedIndex, firstDay, options, champion, version, notes, progress, cancellationToken));
                LargeObjectGarbage.Collect();
            }
        }

        return new BacktestResult(folds, options.BootstrapSamples, options.Seed, notes.Distinct(StringComparer.Ordinal).ToArray());
    }

    private static BacktestFold Fold(
        PartialAggregates partials,
        PartialAggregates bucketed,
        DateOnly cutoff,
        int seedIndex,
        DateTime firstDay,
        ModelBuildOptions options,
        ClvScorer? champion,
        string version,
        List<string> notes,
        IProgress<TrainingEpoch>? progress,
        CancellationToken cancellationToken)
    {
        var bucket = options.Bucket;
        var horizon = options.HorizonBuckets;
        var labelEnd = BucketMath.End(BucketMath.Index(cutoff, bucket) + horizon, bucket);
        var test = HeldOut(bucketed, labelEnd, cutoff, seedIndex, options);
        var heldOut = test.Inputs.CustomerIds.ToHashSet(StringComparer.Ordinal);
        var trainer = options.Trainer with { Seed = options.Trainer.Seed + seedIndex };
        var metadata = new ModelMetadata(version, SequenceBuilder.FeatureNames, bucket, options.SequenceLength, horizon, cutoff);
        var (lstm, gbmPredicted, trainCount) = TrainFold(bucketed, cutoff, heldOut, test.Inputs, options, trainer, metadata, notes, progress, cancellationToken);
        LargeObjectGarbage.Collect();
        if (options.CalibrateLevel)
        {
            var latest = TrainingExampleBuilder.BuildRolling(bucketed, cutoff, horizon, options.SequenceLength, 1, options.OriginStep, id => !heldOut.Contains(id));
            lstm = LevelCalibration.ToLatestOrigin(lstm, latest, trainer.ThreadCount).Model;
        }

        var (p, mu, sigma) = lstm.PredictDistribution(test.Inputs, trainer.ThreadCount);
        var expected = new double[p.Length];
        var p10 = new double[p.Length];
        var p90 = new double[p.Length];
        for (var i = 0; i < p.Length; i++)
        {
            expected[i] = p[i] * Math.Exp(mu[i] + (sigma[i] * sigma[i] / 2));
            p10[i] = Ziln.Quantile(p[i], mu[i], sigma[i], 0.1);
            p90[i] = Ziln.Quantile(p[i], mu[i], sigma[i], 0.9);
        }

        var testIds = test.Inputs.CustomerIds;
        var actual = Array.ConvertAll(test.Labels, label => (double)label);
        var scores = new List<ModelScores> { new(ModelNames.Lstm, testIds, actual, expected, p) };
        if (gbmPredicted is not null)
        {
            scores.Add(new ModelScores(ModelNames.Gbm, testIds, actual, gbmPredicted));
        }

        var calibration = CalibrationTransactions(partials, cutoff);
        var calibrationEnd = cutoff.ToDateTime(TimeOnly.MaxValue);
        var span = TimeSpan.FromDays(TrainingExampleBuilder.HorizonDays(cutoff, horizon, bucket));
        IBaselinePredictor[] baselines = [new BgNbdGammaGammaPredictor(), new NaivePredictor(firstDay)];
        foreach (var baseline in baselines)
        {
            try
            {
                scores.Add(ModelScores.FromBaseline(baseline.ModelName, testIds, actual, baseline.Predict(calibration, calibrationEnd, span)));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                // A baseline that cannot be fitted (too few repeat buyers) is reported, not fatal: the LSTM is still
                // evaluated, and without the BG/NBD comparison it stays a candidate.
                notes.Add($"The {baseline.ModelName} baseline could not be fitted at {cutoff:yyyy-MM-dd}: {ex.Message}");
            }
        }

        if (champion is not null)
        {
            scores.Add(ChampionScores(champion, bucketed, cutoff, testIds, actual));
        }

        foreach (var score in scores)
        {
            var bad = Array.FindIndex(score.Predicted, v => !double.IsFinite(v));
            if (bad >= 0)
            {
                throw new InvalidOperationException($"The {score.ModelName} model predicted {score.Predicted[bad]} for customer '{score.CustomerIds[bad]}' at the cutoff {cutoff:yyyy-MM-dd}.");
            }
        }

        return new BacktestFold(cutoff, labelEnd, seedIndex, trainCount, scores, p10, p90);
    }

    /// <summary>
    /// The fold's LSTM (not yet calibrated) and the gbm's predictions for <paramref name="test"/>, both trained on the
    /// rolling-origin examples of the customers outside <paramref name="heldOut"/>, and the number of those examples.
    /// The examples are built here so that they are released before the fold goes on. Where LightGBM has no native
    /// library for the platform (its package ships linux-x64, osx-x64 and win-x64 only; not ARM64), the gbm is left out
    /// with a note and the other baselines still run.
    /// </summary>
    private static (ClvModel Lstm, double[]? GbmPredicted, int TrainCount) TrainFold(
        PartialAggregates partials,
        DateOnly cutoff,
        HashSet<string> heldOut,
        SequenceSet test,
        ModelBuildOptions options,
        TrainerOptions trainer,
        ModelMetadata metadata,
        List<string> notes,
        IProgress<TrainingEpoch>? progress,
        CancellationToken cancellationToken)
    {
        var train = TrainingExampleBuilder.BuildRolling(partials, cutoff, options.HorizonBuckets, options.SequenceLength, options.Origins, options.OriginStep, id => !heldOut.Contains(id));
        if (train.Count < 10)
        {
            throw new ArgumentException(
                $"Only {train.Count} training examples have labels ending on or before the cutoff {cutoff:yyyy-MM-dd}; at least 10 are needed. Use a shorter horizon, fewer cutoffs or more history.",
                nameof(partials));
        }

        var lstm = new LstmTrainer(trainer).Train(train, metadata, progress, cancellationToken).Model;
        try
        {
            using var gbm = GbmBaseline.Train(train, trainer.Seed, trainer.ThreadCount);
            return (lstm, gbm.Predict(test), train.Count);
        }
        catch (PlatformNotSupportedException ex)
        {
            notes.Add($"The {ModelNames.Gbm} baseline was left out: {ex.Message}");
            return (lstm, null, train.Count);
        }
    }

    /// <summary>
    /// The held-out customers' examples at <paramref name="cutoff"/>: the test side of the seeded split of every
    /// customer active by then. Only that side is copied out; the training side is rebuilt over rolling origins.
    /// </summary>
    private static TrainingExamples HeldOut(PartialAggregates partials, DateOnly labelEnd, DateOnly cutoff, int seedIndex, ModelBuildOptions options)
    {
        var atCutoff = TrainingExampleBuilder.Build(partials, labelEnd, options.HorizonBuckets, options.SequenceLength);
        if (atCutoff.Count < 10)
        {
            throw new ArgumentException(
                $"Only {atCutoff.Count} customers bought on or before the cutoff {cutoff:yyyy-MM-dd}; at least 10 are needed. Use a shorter horizon, fewer cutoffs, a smaller --cutoff-step or more history.",
                nameof(partials));
        }

        var (_, test) = TrainingExampleBuilder.SplitIndices(atCutoff.Count, options.TestShare, options.Seed + seedIndex);
        return TrainingExampleBuilder.Subset(atCutoff, test);
    }

    /// <summary>Share of (customer, bucket) cells that make up the data's bulk: 99.9%.</summary>
    public const double BulkShare = 0.999;

    /// <summary>Days after the bulk's last day that still count toward the default as-of: 30.</summary>
    public const int BulkGapDays = 30;

    /// <summary>
    /// The default as-of: the end of the last bucket of <paramref name="partials"/>, not counting an isolated tail. Cells
    /// dated more than <see cref="BulkGapDays"/> days after the last day of the data's bulk (the latest day that at least
    /// <see cref="BulkShare"/> of the cells reach) are left out, so one stray date cannot move the as-of.
    /// </summary>
    public static DateOnly LastDay(PartialAggregates partials) => LastDay(partials, out _);

    /// <summary>The default as-of (see <see cref="LastDay(PartialAggregates)"/>), and how many cells lie after it.</summary>
    public static DateOnly LastDay(PartialAggregates partials, out int cellsAfter)
    {
        ArgumentNullException.ThrowIfNull(partials);
        if (partials.Count == 0)
        {
            throw new ArgumentException("There are no transactions to take an as-of date from.", nameof(partials));
        }

        var starts = partials.BucketStarts;
        var first = starts.Min().DayNumber;
        var perDay = new int[starts.Max().DayNumber - first + 1];
        foreach (var start in starts)
        {
            perDay[start.DayNumber - first]++;
        }

        // Walk back from the latest day while the cells passed are at most (1 - BulkShare) of all: the bulk ends at the first day past that.
        var allowed = (long)Math.Floor((1 - BulkShare) * starts.Length);
        long tail = 0;
        var bulkEnd = perDay.Length - 1;
        while (bulkEnd > 0 && tail + perDay[bulkEnd] <= allowed)
        {
            tail += perDay[bulkEnd];
            bulkEnd--;
        }

        var last = Math.Min(perDay.Length - 1, bulkEnd + BulkGapDays);
        while (perDay[last] == 0)
        {
            last--;
        }

        cellsAfter = 0;
        for (var day = last + 1; day < perDay.Length; day++)
        {
            cellsAfter += perDay[day];
        }

        return BucketMath.End(BucketMath.Index(first + last, partials.Bucket), partials.Bucket);
    }

    /// <summary>A sortable version from the clock: <c>yyyyMMddTHHmmssZ</c>.</summary>
    public static string NewVersion() => DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>One transaction per (customer, bucket) with at least one order on or before <paramref name="cutoff"/>: the baselines' calibration data.</summary>
    internal static List<Transaction> CalibrationTransactions(PartialAggregates partials, DateOnly cutoff)
    {
        var transactions = new List<Transaction>();
        for (var row = 0; row < partials.Count; row++)
        {
            if (partials.Orders[row] > 0 && partials.BucketStarts[row] <= cutoff)
            {
                transactions.Add(new Transaction(partials.CustomerIds[row], partials.BucketStarts[row].ToDateTime(TimeOnly.MinValue), partials.NetSpend[row]));
            }
        }

        return transactions;
    }

    /// <summary>A note when the champion cannot be compared (other features or buckets), else <see langword="null"/>.</summary>
    private static string? ChampionMismatch(ClvScorer champion, BucketSize bucket)
    {
        var metadata = champion.Metadata;
        return metadata.Bucket != bucket || !metadata.FeatureNames.SequenceEqual(SequenceBuilder.FeatureNames, StringComparer.Ordinal)
            ? $"The champion {metadata.Version} uses other features or buckets ({BucketNames.Name(metadata.Bucket)}s) and was not compared."
            : null;
    }

    /// <summary>The champion's predictions for the held-out customers from their inputs up to <paramref name="cutoff"/>.</summary>
    private static ModelScores ChampionScores(ClvScorer champion, PartialAggregates bucketed, DateOnly cutoff, IReadOnlyList<string> testIds, double[] actual)
    {
        var metadata = champion.Metadata;
        var sequences = new SequenceBuilder(metadata.Bucket, metadata.SequenceLength).Build(bucketed, cutoff);
        var predicted = champion.Score(sequences);
        var lookup = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < predicted.Count; i++)
        {
            lookup[predicted.CustomerIds[i]] = predicted.Clv[i];
        }

        return ModelScores.FromLookup(ChampionName, testIds, actual, lookup);
    }

}
