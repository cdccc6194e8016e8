using Clv.Modeling.Features;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Scoring;

namespace Clv.Modeling.Workflow;

/// <summary>
/// The one path from stored partials to predictions, shared by the <c>clv</c> tool and the pipeline:
/// <see cref="LoadPartialsAsync"/> (read and merge), <see cref="Build"/> (train, evaluate, export, decide on promotion;
/// <see cref="Backtest"/> is its evaluation alone) and <see cref="Score"/> (sequences as of a day, scored with ONNX Runtime). The tool and the pipeline differ only in
/// where the bytes come from (<see cref="IPartialsSource"/>) and where results go.
/// </summary>
public static class ClvWorkflow
{
    /// <summary>Reads every partial of <paramref name="source"/>, keeps the customers <paramref name="includeCustomer"/> accepts, and merges them.</summary>
    /// <param name="source">Where the partials are stored.</param>
    /// <param name="includeCustomer">Whether a customer belongs to this run (e.g. to one scoring shard); <see langword="null"/> keeps every customer.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The merged partials; empty day partials when the source has none.</returns>
    /// <exception cref="InvalidDataException">A file is not a partials file, or the files use different buckets.</exception>
    public static async Task<PartialAggregates> LoadPartialsAsync(IPartialsSource source, Func<string, bool>? includeCustomer = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var loaded = new List<PartialAggregates>();
        await foreach (var partial in source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            loaded.Add(includeCustomer is null ? partial : partial.WhereCustomer(includeCustomer));
        }

        if (loaded.Count == 0)
        {
            return PartialAggregates.Empty(BucketSize.Day);
        }

        try
        {
            return PartialAggregates.Merge(loaded);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    /// <summary>Trains, backtests and exports a model from merged partials (see <see cref="ModelBuilder"/>).</summary>
    /// <param name="partials">Merged partials of every export (day partials preferred).</param>
    /// <param name="options">Time grid, split, backtest and trainer settings; validated here.</param>
    /// <param name="champion">The current champion's scorer, or <see langword="null"/> when there is none.</param>
    /// <param name="progress">Receives one report per training epoch.</param>
    /// <param name="cancellationToken">Stops training between minibatches.</param>
    /// <exception cref="ArgumentException">The options are invalid, or the data cannot train a model; the message says why.</exception>
    public static ModelBuildResult Build(
        PartialAggregates partials,
        ModelBuildOptions options,
        ClvScorer? champion = null,
        IProgress<TrainingEpoch>? progress = null,
        CancellationToken cancellationToken = default) =>
        ModelBuilder.Build(partials, options, champion, progress, cancellationToken);

    /// <summary>The rolling-origin backtest of <see cref="Build"/> alone, without training the deployed model (see <see cref="ModelBuilder.Backtest(PartialAggregates, ModelBuildOptions, ClvScorer?, IProgress{TrainingEpoch}?, CancellationToken)"/>).</summary>
    /// <param name="partials">Merged partials (day partials preferred).</param>
    /// <param name="options">Time grid, split, backtest and trainer settings; validated here.</param>
    /// <param name="champion">The current champion's scorer, or <see langword="null"/>.</param>
    /// <param name="progress">Receives one report per training epoch.</param>
    /// <param name="cancellationToken">Stops training between minibatches.</param>
    /// <exception cref="ArgumentException">The options are invalid, or there are too few customers at a cutoff.</exception>
    public static Evaluation.BacktestResult Backtest(
        PartialAggregates partials,
        ModelBuildOptions options,
        ClvScorer? champion = null,
        IProgress<TrainingEpoch>? progress = null,
        CancellationToken cancellationToken = default) =>
        ModelBuilder.Backtest(partials, options, champion, progress, cancellationToken);

    /// <summary>The model inputs of every customer of <paramref name="partials"/>, histories up to <paramref name="asOf"/>, on <paramref name="model"/>'s grid.</summary>
    /// <param name="partials">Merged partials: day partials, or partials in the model's bucket.</param>
    /// <param name="model">The model the sequences are for (bucket and <c>T</c>).</param>
    /// <param name="asOf">Last day of data; its bucket is the last step.</param>
    /// <param name="reuse">Features of a set no longer used, filled again when they have the size needed (see <see cref="SequenceBuilder.Build(PartialAggregates, DateOnly, float[])"/>).</param>
    /// <returns>Sequences <c>[N, T, F]</c>, customers in id order.</returns>
    /// <exception cref="ArgumentException">The partials are coarser than the model's bucket.</exception>
    public static SequenceSet Sequences(PartialAggregates partials, ModelMetadata model, DateOnly asOf, float[]? reuse = null)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(model);
        var bucketed = partials.Count == 0 ? PartialAggregates.Empty(model.Bucket) : partials.Rebucket(model.Bucket);
        return new SequenceBuilder(model.Bucket, model.SequenceLength).Build(bucketed, asOf, reuse);
    }

    /// <summary>Scores every customer of <paramref name="partials"/> with <paramref name="scorer"/>, histories up to <paramref name="asOf"/>.</summary>
    /// <param name="partials">Merged partials (day partials, or in the model's bucket).</param>
    /// <param name="scorer">The loaded model.</param>
    /// <param name="asOf">Last day of data; <see langword="null"/> takes the model's as-of day.</param>
    /// <returns>One prediction per customer, in id order.</returns>
    /// <exception cref="ArgumentException">The partials are coarser than the model's bucket.</exception>
    public static ClvPredictionBatch Score(PartialAggregates partials, ClvScorer scorer, DateOnly? asOf = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        return scorer.Score(Sequences(partials, scorer.Metadata, asOf ?? scorer.Metadata.AsOf));
    }

    /// <summary>Loads an exported model for <see cref="Score"/>: the model must use this featurizer's features.</summary>
    /// <param name="onnx">The model file's bytes.</param>
    /// <param name="source">Where the bytes came from, for messages and logs.</param>
    /// <param name="options">Execution provider and batch size.</param>
    /// <param name="expected">The grid the model must use; <see langword="null"/> accepts the model's own bucket and <c>T</c>.</param>
    /// <param name="logger">Receives the load event and a CUDA fallback warning.</param>
    /// <exception cref="InvalidDataException">The bytes are not a CLV model.</exception>
    /// <exception cref="ModelMismatchException">The model was trained on other features, or on another grid than <paramref name="expected"/>.</exception>
    public static ClvScorer LoadScorer(byte[] onnx, string source, ScorerOptions options, FeaturizerSignature? expected = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (expected is null)
        {
            var metadata = Onnx.OnnxModelInfo.Read(onnx, source).Metadata;
            expected = new FeaturizerSignature(SequenceBuilder.FeatureNames, metadata.Bucket, metadata.SequenceLength);
        }

        return ClvScorer.Load(onnx, source, expected, options, logger);
    }
}
