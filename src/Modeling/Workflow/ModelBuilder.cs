using System.Globalization;
using Clv.Modeling.Baselines;
using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Onnx;
using Clv.Modeling.Scoring;

namespace Clv.Modeling.Workflow;

/// <summary>
/// Builds one model from merged partials: training examples at the cutoff, a seeded 80/20 customer split,
/// LSTM-ZILN training on the 80%, every model (LSTM, BG/NBD + Gamma-Gamma, naive, and the current champion when
/// given) scored on the same 20%, the promotion decision, and the ONNX export.
/// </summary>
/// <remarks>
/// The same steps serve the <c>clv</c> tool on local files and the timer-triggered training job in Azure.
/// Partials at day resolution are best: the LSTM sees them in <see cref="ModelBuildOptions.Bucket"/>s and the
/// baselines see one transaction per customer-day (same-day purchases merged, as in the BTYD literature).
/// </remarks>
public static class ModelBuilder
{
    /// <summary>Model name of the current champion in the comparison table.</summary>
    public const string ChampionName = "champion";

    /// <summary>Trains, evaluates and exports a model.</summary>
    /// <param name="partials">Merged partials of every export (day partials preferred).</param>
    /// <param name="options">Time grid, split and trainer settings.</param>
    /// <param name="champion">The current champion's scorer, or <see langword="null"/> when there is none.</param>
    /// <param name="progress">Receives one report per training epoch.</param>
    /// <param name="cancellationToken">Stops training between minibatches.</param>
    /// <exception cref="ArgumentException">There are too few customers to split, or the options are invalid.</exception>
    public static ModelBuildResult Build(
        PartialAggregates partials,
        ModelBuildOptions options,
        ClvScorer? champion = null,
        IProgress<TrainingEpoch>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (partials.Count == 0)
        {
            throw new ArgumentException("There are no transactions to train on.", nameof(partials));
        }

        var cellsAfterAsOf = 0;
        var asOf = options.AsOf ?? LastDay(partials, out cellsAfterAsOf);
        var bucketed = partials.Rebucket(options.Bucket);
        var cutoff = TrainingExampleBuilder.Cutoff(asOf, options.HorizonBuckets, options.Bucket);
        var examples = TrainingExampleBuilder.Build(bucketed, asOf, options.HorizonBuckets, options.SequenceLength);
        if (examples.Count < 10)
        {
            throw new ArgumentException(
                $"Only {examples.Count} customers bought on or before the cutoff {cutoff:yyyy-MM-dd} (as-of {asOf:yyyy-MM-dd} minus {options.HorizonBuckets} {BucketNames.Name(options.Bucket)}s); at least 10 are needed. Use a shorter horizon or more history.",
                nameof(partials));
        }

        var (train, test) = TrainingExampleBuilder.Split(examples, options.TestShare, options.Seed);
        var version = options.Version ?? NewVersion();
        var metadata = new ModelMetadata(version, SequenceBuilder.FeatureNames, options.Bucket, options.SequenceLength, options.HorizonBuckets, asOf);
        var training = new LstmTrainer(options.Trainer).Train(train, metadata, progress, cancellationToken);

        var scores = new List<ModelScores>();
        var testIds = test.Inputs.CustomerIds;
        var actual = Array.ConvertAll(test.Labels, label => (double)label);
        var lstm = training.Model.Predict(test.Inputs, options.Trainer.ThreadCount);
        scores.Add(new ModelScores(ModelNames.Lstm, testIds, actual, Array.ConvertAll(lstm.Clv, v => (double)v), Array.ConvertAll(lstm.PPurchase, v => (double)v)));

        var calibration = CalibrationTransactions(partials, cutoff);
        var calibrationEnd = cutoff.ToDateTime(TimeOnly.MaxValue);
        var horizon = HorizonSpan(options.Bucket, options.HorizonBuckets);
        var firstDay = partials.BucketStarts.Min().ToDateTime(TimeOnly.MinValue);
        IBaselinePredictor[] baselines = [new BgNbdGammaGammaPredictor(), new NaivePredictor(firstDay)];
        var notes = new List<string>();
        if (cellsAfterAsOf > 0)
        {
            notes.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"The as-of {asOf:yyyy-MM-dd} is the end of the data's bulk: {cellsAfterAsOf} (customer, bucket) cells dated more than {BulkGapDays} days after it were left out (set the as-of to use them)."));
        }

        foreach (var baseline in baselines)
        {
            try
            {
                scores.Add(ModelScores.FromBaseline(baseline.ModelName, testIds, actual, baseline.Predict(calibration, calibrationEnd, horizon)));
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                // A baseline that cannot be fitted (too few repeat buyers) is reported, not fatal: the LSTM is still
                // evaluated, and without the BG/NBD comparison it stays a candidate.
                notes.Add($"The {baseline.ModelName} baseline could not be fitted: {ex.Message}");
            }
        }

        if (champion is not null && AddChampion(champion, bucketed, cutoff, test, actual, scores) is { } championNote)
        {
            notes.Add(championNote);
        }

        var hasChampion = scores.Exists(s => s.ModelName == ChampionName);
        var comparison = ModelComparison.Evaluate(scores);
        var decision = new PromotionPolicy().Decide(comparison, ModelNames.Lstm, hasChampion ? ChampionName : null);
        if (notes.Count > 0)
        {
            decision = decision with { Reason = $"{decision.Reason} {string.Join(" ", notes)}" };
        }

        var report = EvaluationReport.Create(comparison, scores, new EvaluationReportOptions
        {
            Description = string.Create(
                CultureInfo.InvariantCulture,
                $"Model {version}: trained on {train.Count} customers, evaluated on {test.Count} held-out customers. Inputs end {cutoff:yyyy-MM-dd}; actual = net spend over the next {options.HorizonBuckets} {BucketNames.Name(options.Bucket)}s, to {asOf:yyyy-MM-dd}. Decision: {decision.Status}. {decision.Reason}"),
        });

        var model = new ClvModel(metadata with { MetricsJson = report.Comparison.ToJson(indented: false) }, training.Model.Normalizer, training.Model.Weights);
        return new ModelBuildResult(model, OnnxModelWriter.ToBytes(model), report, decision, training with { Model = model }, cutoff, train.Count, test.Count);
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

    /// <summary>The horizon as a time span: months count as 365.25 / 12 days.</summary>
    internal static TimeSpan HorizonSpan(BucketSize bucket, int horizonBuckets) => bucket switch
    {
        BucketSize.Day => TimeSpan.FromDays(horizonBuckets),
        BucketSize.Week => TimeSpan.FromDays(7.0 * horizonBuckets),
        _ => TimeSpan.FromDays(365.25 / 12 * horizonBuckets),
    };

    /// <summary>Scores the champion on the test customers; returns a note when it cannot be compared.</summary>
    /// <param name="bucketed">The partials at the candidate's bucket size.</param>
    private static string? AddChampion(ClvScorer champion, PartialAggregates bucketed, DateOnly cutoff, TrainingExamples test, double[] actual, List<ModelScores> scores)
    {
        var metadata = champion.Metadata;
        if (metadata.Bucket != bucketed.Bucket || !metadata.FeatureNames.SequenceEqual(SequenceBuilder.FeatureNames, StringComparer.Ordinal))
        {
            return $"The champion {metadata.Version} uses other features or buckets ({BucketNames.Name(metadata.Bucket)}s) and was not compared.";
        }

        var sequences = new SequenceBuilder(metadata.Bucket, metadata.SequenceLength).Build(bucketed, cutoff);
        var predicted = champion.Score(sequences);
        var lookup = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < predicted.Count; i++)
        {
            lookup[predicted.CustomerIds[i]] = predicted.Clv[i];
        }

        scores.Add(ModelScores.FromLookup(ChampionName, test.Inputs.CustomerIds, actual, lookup));
        return null;
    }
}
