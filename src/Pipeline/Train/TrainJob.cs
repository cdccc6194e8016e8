using System.Diagnostics;
using System.Globalization;
using Clv.Modeling.Scoring;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Train;

/// <summary>
/// The scheduled training run: merge partials, train, evaluate, export, publish <c>models/{version}/…</c>,
/// promote through <c>models/current.json</c> when the evaluation rule says so, record a <c>Runs</c> row, and
/// fan out batch scoring with the champion.
/// </summary>
public sealed class TrainJob(ClvStorage storage, IModelTrainer trainer, ScoreFanOutJob fanOut, ISequenceSource sequences, ClvOptions options, ILogger<TrainJob> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ModelStore _models = new(storage);

    /// <summary>Runs one training.</summary>
    /// <returns>The outcome; <see cref="TrainOutcome.ModelVersion"/> is null when there was nothing to train on.</returns>
    public async Task<TrainOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var startedAt = _time.GetUtcNow();
        var version = ModelStore.NewVersion(startedAt);
        var runId = version;
        using var activity = ClvTelemetry.Source.StartActivity("clv.train");
        activity?.SetTag("clv.run_id", runId);
        var clock = Stopwatch.StartNew();
        var versionTag = new KeyValuePair<string, object?>(ClvTelemetry.ModelVersionTag, version);

        // clv.train.runs is counted exactly once per run, failed unless the run completed; the training-overdue alert reads it.
        var outcome = "failed";
        var run = new RunEntity { PartitionKey = RunEntity.TrainKind, RowKey = runId, Status = "Running", ModelVersion = version, StartedAt = startedAt };
        try
        {
            await MarkAbandonedRunsAsync(runId, cancellationToken).ConfigureAwait(false);
            await storage.Runs.UpsertEntityAsync(run, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            // The shard files, read one at a time into a bounded sample; every export's partial before any compaction.
            var partials = await FeatureShardStore.FeaturesAsync(storage, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (partials.Count == 0)
            {
                PipelineLog.TrainNoPartials(logger, runId, storage.Names.Features);
                run.Status = "Failed";
                run.Error = $"No partials in container '{storage.Names.Features}': drop exports into '{storage.Names.Exports}' first.";
                await FinishAsync(run, clock, cancellationToken).ConfigureAwait(false);
                return new TrainOutcome(runId, null, false, run.Error, null);
            }

            var (champion, championETag) = await _models.ReadCurrentWithETagAsync(cancellationToken).ConfigureAwait(false);
            var championModel = champion is null ? null : await _models.ReadModelAsync(champion.Version, cancellationToken).ConfigureAwait(false);
            var trained = await trainer.TrainAsync(partials, new TrainingRequest(options.Model with { Version = version }, champion?.Version, championModel, options.Training.SampleCustomers), cancellationToken).ConfigureAwait(false);
            await _models.PublishAsync(version, trained.Onnx, trained.ReportFiles, cancellationToken).ConfigureAwait(false);
            // Promotion holds only if current.json is unchanged since the candidate was compared with it.
            var promoted = trained.Promote
                && await _models.TryWriteCurrentAsync(new ChampionPointer(version, trained.Metadata.AsOf, _time.GetUtcNow()), championETag, cancellationToken).ConfigureAwait(false);
            var promotionReason = trained.Promote && !promoted
                ? $"Not promoted: {storage.Names.Models}/{ModelStore.CurrentBlob} changed after this model was compared with the champion it named; it stays a candidate. {trained.PromotionReason}"
                : trained.PromotionReason;
            if (trained.Promote && !promoted)
            {
                PipelineLog.PromotionRaced(logger, version);
            }

            ClvTelemetry.TrainEpochs.Add(trained.Epochs);
            ClvTelemetry.TrainLoss.Record(trained.FinalLoss, versionTag);
            ClvTelemetry.TrainCustomers.Record(trained.Customers);
            if (trained.Gini is { } gini)
            {
                ClvTelemetry.ModelGini.Record(gini, versionTag);
            }

            run.Status = "Succeeded";
            run.AsOf = trained.Metadata.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            run.Customers = trained.Customers;
            run.MetricsJson = trained.MetricsJson;
            run.Promoted = promoted;
            run.PromotionReason = promotionReason;
            await RecordRealizedAccuracyAsync(run, partials, trained.Metadata.AsOf, cancellationToken).ConfigureAwait(false);
            await FinishAsync(run, clock, cancellationToken).ConfigureAwait(false);
            ClvTelemetry.TrainDuration.Record(clock.Elapsed.TotalSeconds);
            PipelineLog.TrainFinished(logger, runId, version, trained.Customers, partials.Count, promoted, promotionReason);

            var scored = champion?.Version;
            if (options.Training.ScoreAfterTraining && (promoted || champion is not null))
            {
                // Scores everyone with the champion as of the newest data: the new model when promoted, else the old one.
                scored = promoted ? version : champion!.Version;
                await fanOut.RunAsync(scored, trained.Metadata.AsOf, cancellationToken).ConfigureAwait(false);
            }

            outcome = promoted ? "promoted" : "kept";
            return new TrainOutcome(runId, version, promoted, promotionReason, scored);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            PipelineLog.TrainFailed(logger, ex, runId);
            run.Status = "Failed";
            run.Error = ex.Message;
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await FinishAsync(run, clock, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            ClvTelemetry.TrainRuns.Add(1, new KeyValuePair<string, object?>(ClvTelemetry.StatusTag, outcome), versionTag);
        }
    }

    /// <summary>
    /// Judges the newest stored predictions whose horizon has fully passed by <paramref name="dataEnd"/> against what
    /// those customers spent since, and records it on <paramref name="run"/> and as <c>clv.model.realized_gini</c>.
    /// The customers judged are a seeded uniform sample of those predicted, drawn as the training sample is (at most
    /// <c>Clv:Training:SampleCustomers</c>, smallest <c>XxHash64(id, Clv:Features:Seed)</c>), so the memory and time it
    /// takes do not grow with the number of customers; <see cref="RunEntity.RealizedCustomers"/> records how many.
    /// Nothing is recorded when no stored predictions are old enough; a failure to read them is logged, not fatal.
    /// </summary>
    private async Task RecordRealizedAccuracyAsync(RunEntity run, IReadOnlyList<PartialSource> partials, DateOnly dataEnd, CancellationToken cancellationToken)
    {
        var features = options.Model;
        try
        {
            var snapshot = (await PredictionSnapshots.ListAsync(storage, cancellationToken).ConfigureAwait(false))
                .Where(s => RealizedAccuracy.Window(s.AsOf, features.HorizonBuckets, features.Bucket).Last <= dataEnd)
                .OrderBy(s => s.AsOf)
                .ThenBy(s => s.ModelVersion, StringComparer.Ordinal)
                .LastOrDefault();
            if (snapshot.Blobs is null)
            {
                return;
            }

            // The training sample's rule and cap: memory holds the sample, not every customer predicted.
            var (predictions, predicted) = await PredictionSnapshots.ReadSampleAsync(storage, snapshot.Blobs, options.Training.SampleCustomers, features.Seed, cancellationToken).ConfigureAwait(false);
            var sampled = predictions.CustomerIds.ToHashSet(StringComparer.Ordinal);
            var (first, last) = RealizedAccuracy.Window(snapshot.AsOf, features.HorizonBuckets, features.Bucket);
            var spent = await sequences.SpendAsync(partials, sampled.Contains, first, last, cancellationToken).ConfigureAwait(false);
            var realized = RealizedAccuracy.Measure(snapshot.ModelVersion, predictions, snapshot.AsOf, features.HorizonBuckets, features.Bucket, spent, dataEnd) with { PredictedCustomers = predicted };
            run.RealizedMetricsJson = realized.ToJson();
            run.RealizedCustomers = realized.Customers;
            run.RealizedGini = realized.Gini.Value;
            run.RealizedCoverage80 = realized.Coverage80.Value;
            run.RealizedAsOf = snapshot.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var version = new KeyValuePair<string, object?>(ClvTelemetry.ModelVersionTag, snapshot.ModelVersion);
            if (realized.Gini.Value is { } gini)
            {
                ClvTelemetry.ModelRealizedGini.Record(gini, version);
            }

            if (realized.Coverage80.Value is { } coverage)
            {
                ClvTelemetry.ModelRealizedCoverage.Record(coverage, version);
            }

            PipelineLog.RealizedAccuracy(logger, run.RowKey, snapshot.ModelVersion, run.RealizedAsOf, realized.Customers, realized.Gini.Value, realized.Coverage80.Value);
        }
        catch (Exception ex) when (ex is InvalidDataException or Azure.RequestFailedException)
        {
            PipelineLog.RealizedAccuracyFailed(logger, ex, run.RowKey, ex.Message);
        }
    }

    /// <summary>
    /// Marks every earlier training run still <c>Running</c> as <c>Abandoned</c>: runs of the timer trigger never overlap
    /// (the host holds a singleton lock), so such a row is what a run killed part-way (instance recycled, timeout,
    /// deployment) leaves behind. Without this the portal would show it running for ever. Each row is updated only if it
    /// is unchanged since read (ETag), so a row that finished meanwhile keeps its outcome.
    /// </summary>
    private async Task MarkAbandonedRunsAsync(string runId, CancellationToken cancellationToken)
    {
        var running = storage.Runs.QueryAsync<RunEntity>(r => r.PartitionKey == RunEntity.TrainKind && r.Status == "Running", cancellationToken: cancellationToken);
        await foreach (var stale in running.ConfigureAwait(false))
        {
            if (stale.RowKey == runId)
            {
                continue;
            }

            stale.Status = "Abandoned";
            stale.Error = $"The run stopped before it finished (the instance was recycled, timed out or was killed); run {runId} found it still running. Nothing it wrote was promoted unless models/current.json names it.";
            stale.FinishedAt = _time.GetUtcNow();
            try
            {
                await storage.Runs.UpdateEntityAsync(stale, stale.ETag, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                PipelineLog.TrainRunAbandoned(logger, runId, stale.RowKey, stale.StartedAt);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Finished or removed since it was read: its own outcome stands.
            }
        }
    }

    private async Task FinishAsync(RunEntity run, Stopwatch clock, CancellationToken cancellationToken)
    {
        run.FinishedAt = _time.GetUtcNow();
        run.DurationMs = clock.Elapsed.TotalMilliseconds;
        await storage.Runs.UpsertEntityAsync(run, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The outcome of a training run.</summary>
/// <param name="RunId">The <c>Runs</c> row key.</param>
/// <param name="ModelVersion">The candidate trained, or <see langword="null"/> when there was no data.</param>
/// <param name="Promoted">Whether it became the champion.</param>
/// <param name="Reason">Why (or why nothing was trained).</param>
/// <param name="ScoredVersion">The version batch scoring was fanned out for, or <see langword="null"/>.</param>
public sealed record TrainOutcome(string RunId, string? ModelVersion, bool Promoted, string Reason, string? ScoredVersion);
