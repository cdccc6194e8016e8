using System.Diagnostics;
using System.IO.Compression;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Clv.Modeling.Features;
using Clv.Pipeline.Compact;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Featurize;

/// <summary>
/// Featurizes one export blob: streamed, idempotent by blob name and ETag, outputs under deterministic names,
/// one <c>Ingestions</c> row per blob and ETag. The export itself is only ever read.
/// </summary>
public sealed class FeaturizeJob
{
    private readonly ClvStorage _storage;
    private readonly IExportFeaturizer _featurizer;
    private readonly IngestOptions _options;
    private readonly ILogger<FeaturizeJob> _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the job.</summary>
    public FeaturizeJob(ClvStorage storage, IExportFeaturizer featurizer, ClvOptions options, ILogger<FeaturizeJob> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _storage = storage;
        _featurizer = featurizer;
        _options = options.Ingest;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Featurizes blob <paramref name="blobName"/> of container <c>exports</c>.</summary>
    public Task<IngestionResult> RunAsync(string blobName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        return RunAsync(_storage.Exports.GetBlobClient(blobName), cancellationToken);
    }

    /// <summary>Featurizes <paramref name="export"/>; a no-op when its name and current ETag were processed before.</summary>
    /// <returns>What happened; a file the featurizer cannot use gives <see cref="IngestionStatus.Failed"/>, not an exception.</returns>
    /// <exception cref="RequestFailedException">Storage failed after its retries; the trigger retries the blob.</exception>
    public async Task<IngestionResult> RunAsync(BlobClient export, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(export);
        var runId = Guid.NewGuid().ToString("N");
        var blobName = export.Name;
        if (ExportNames.IsMapping(blobName))
        {
            // A sidecar mapping is read with its export, before it; it is not an export itself.
            return new IngestionResult(blobName, string.Empty, IngestionStatus.Skipped, 0, 0, 0, "a mapping file, read with its export", runId);
        }

        using var activity = ClvTelemetry.Source.StartActivity("clv.featurize");
        activity?.SetTag("clv.run_id", runId);
        activity?.SetTag("clv.blob", blobName);

        BlobProperties properties = await export.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var eTag = properties.ETag;
        var partitionKey = TableKey.Escape(blobName);
        var rowKey = TableKey.Escape(eTag.ToString());
        var existing = await _storage.Ingestions.GetEntityIfExistsAsync<IngestionEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (existing.HasValue && existing.Value is { } previous)
        {
            PipelineLog.FeaturizeSkipped(_logger, runId, blobName, eTag.ToString(), previous.Status);
            RecordFile(blobName, "skipped");
            activity?.SetTag("clv.status", "skipped");
            return new IngestionResult(blobName, eTag.ToString(), IngestionStatus.Skipped, previous.Accepted, previous.Rejected, previous.Customers, previous.Error, previous.RunId);
        }

        var startedAt = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var entity = new IngestionEntity
        {
            PartitionKey = partitionKey,
            RowKey = rowKey,
            StartedAt = startedAt,
            BlobBytes = properties.ContentLength,
            RunId = runId,
        };

        var tempDirectory = Path.Combine(Path.GetTempPath(), "clv-featurize-" + runId);
        Directory.CreateDirectory(tempDirectory);
        try
        {
            var partialPath = Path.Combine(tempDirectory, "partial.parquet");
            var rejectedPath = Path.Combine(tempDirectory, "rejected.csv");

            // The state of the outputs as read now: every write below is conditional on it, so a run that read an older
            // version of the export never overwrites what a run over a newer one wrote meanwhile.
            var partialClient = _storage.Features.GetBlobClient(ExportNames.PartialBlob(blobName));
            var rejectedClient = _storage.Rejected.GetBlobClient(ExportNames.RejectedBlob(blobName));
            var partialState = await OutputState.ReadAsync(partialClient, cancellationToken).ConfigureAwait(false);
            var rejectedState = await OutputState.ReadAsync(rejectedClient, cancellationToken).ConfigureAwait(false);
            if (partialState.SourceBlob is { } owner && !string.Equals(owner, blobName, StringComparison.Ordinal))
            {
                var message = $"{blobName}: its partial {_storage.Names.Features}/{partialClient.Name} already holds export '{owner}' (the names differ only in case or extension); "
                    + "two exports may not share a partial, so this one was not read. Rename it, or delete the other first.";
                return await FailAsync(entity, blobName, message, clock, activity, cancellationToken).ConfigureAwait(false);
            }

            FeaturizeCounts counts;
            try
            {
                var (mapping, mappingBlob) = await ReadMappingAsync(blobName, cancellationToken).ConfigureAwait(false);
                entity.MappingBlob = mappingBlob;
                counts = await FeaturizeToFilesAsync(export, eTag, mapping, partialPath, rejectedPath, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                return await FailAsync(entity, blobName, $"{blobName}: {ex.Message}", clock, activity, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                return Superseded(blobName, eTag, runId, "The blob changed while it was read.");
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or RequestFailedException or OutOfMemoryException))
            {
                // Whatever else goes wrong reading this export is recorded, so the blob is never silently dropped.
                return await FailAsync(entity, blobName, $"{blobName}: featurizing failed ({ex.GetType().Name}): {ex.Message}", clock, activity, cancellationToken).ConfigureAwait(false);
            }

            entity.Accepted = counts.Accepted;
            entity.Rejected = counts.Rejected;
            entity.Skipped = counts.Skipped;
            entity.SkippedReason = counts.Skipped > 0 ? Clv.Modeling.Features.IngestSummary.SkippedReason : null;
            entity.Customers = counts.Customers;
            entity.Profile = counts.Profile;
            entity.Excluded = counts.Excluded;
            try
            {
                if (counts.Rejected > 0)
                {
                    var rejectedUpload = new BlobUploadOptions
                    {
                        HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv" },
                        Metadata = SourceMetadata(blobName, eTag),
                        Conditions = rejectedState.Condition,
                    };
                    await rejectedClient.UploadAsync(rejectedPath, rejectedUpload, cancellationToken).ConfigureAwait(false);
                    entity.RejectedBlob = rejectedClient.Name;
                }
                else if (rejectedState.ETag is { } staleRejected)
                {
                    // An earlier version of this export had rejected rows; this one has none.
                    await rejectedClient.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = staleRejected }, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException ex) when (ModelStore.IsConditionNotMet(ex))
            {
                if (!await HoldsThisVersionAsync(rejectedClient, blobName, eTag, cancellationToken).ConfigureAwait(false))
                {
                    return Superseded(blobName, eTag, runId, "A newer run wrote the rejected rows of this export meanwhile.");
                }

                entity.RejectedBlob = rejectedClient.Name;
            }

            var total = counts.Accepted + counts.Rejected + counts.Skipped + counts.Excluded;
            if (total == 0)
            {
                return await FailAsync(entity, blobName, $"{blobName}: the file has no data rows.", clock, activity, cancellationToken).ConfigureAwait(false);
            }

            // Skipped rows (guest rows, further lines of an order) are neither good nor bad: the share is of the rest.
            var judged = total - counts.Skipped;
            var share = judged > 0 ? (double)counts.Rejected / judged : 0;

            if (share > _options.RejectedShareThreshold)
            {
                var message = FormattableString.Invariant(
                    $"{blobName}: {counts.Rejected} of {judged} rows rejected ({share:P1}), above the threshold Clv:Ingest:RejectedShareThreshold = {_options.RejectedShareThreshold:P1}; see {_storage.Names.Rejected}/{entity.RejectedBlob}.");
                return await FailAsync(entity, blobName, message, clock, activity, cancellationToken).ConfigureAwait(false);
            }

            var upload = new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/vnd.apache.parquet" },
                Metadata = SourceMetadata(blobName, eTag),
                Conditions = partialState.Condition,
            };
            try
            {
                await partialClient.UploadAsync(partialPath, upload, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ModelStore.IsConditionNotMet(ex))
            {
                if (!await HoldsThisVersionAsync(partialClient, blobName, eTag, cancellationToken).ConfigureAwait(false))
                {
                    return Superseded(blobName, eTag, runId, "A newer run wrote the partial of this export meanwhile.");
                }
            }

            // Merged into the customer shards by the compaction function, before the run counts as succeeded, so a
            // failed send is retried with the export.
            await _storage.CompactShards.SendMessageAsync(new CompactionMessage(partialClient.Name).ToJson(), cancellationToken).ConfigureAwait(false);
            entity.PartialBlob = partialClient.Name;
            entity.Status = nameof(IngestionStatus.Succeeded);
            Finish(entity, clock);
            await _storage.Ingestions.UpsertEntityAsync(entity, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);

            RecordRows(blobName, counts.Accepted, counts.Rejected);
            ClvTelemetry.IngestCustomers.Add(counts.Customers);
            RecordFile(blobName, "succeeded");
            ClvTelemetry.IngestDuration.Record(clock.Elapsed.TotalSeconds);
            activity?.SetTag("clv.status", "succeeded");
            activity?.SetTag("clv.rows", counts.Accepted);
            PipelineLog.FeaturizeSucceeded(_logger, runId, blobName, counts.Accepted, counts.Rejected, counts.Customers, entity.DurationMs);
            return new IngestionResult(blobName, eTag.ToString(), IngestionStatus.Succeeded, counts.Accepted, counts.Rejected, counts.Customers, null, runId) { Skipped = counts.Skipped };
        }
        finally
        {
            TryDelete(tempDirectory);
        }
    }

    /// <summary>The export's sidecar mapping <c>{export name}.mapping.json</c> in <c>exports</c>, when there is one.</summary>
    /// <exception cref="InvalidDataException">The mapping is not valid; the message names the blob and the field.</exception>
    private async Task<(Clv.Modeling.Ingest.ExportMapping? Mapping, string? BlobName)> ReadMappingAsync(string blobName, CancellationToken cancellationToken)
    {
        var mappingBlob = ExportNames.MappingBlob(blobName);
        Azure.Response<BlobDownloadResult> content;
        try
        {
            content = await _storage.Exports.GetBlobClient(mappingBlob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, null);
        }

        try
        {
            using var stream = content.Value.Content.ToStream();
            return (Clv.Modeling.Ingest.ExportMapping.Read(stream, $"{_storage.Names.Exports}/{mappingBlob}"), mappingBlob);
        }
        catch (Clv.Modeling.Ingest.ExportFormatException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    /// <summary>
    /// After export <paramref name="blobName"/> was deleted: removes its partial and rejected rows (only those it wrote, and
    /// only as they were read), so the next training no longer counts it, and records a <c>Deleted</c> row in <c>Ingestions</c>.
    /// A no-op when the export exists again.
    /// </summary>
    /// <exception cref="RequestFailedException">Storage failed after its retries; the caller retries.</exception>
    public async Task<IngestionResult> DeleteAsync(string blobName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        var runId = Guid.NewGuid().ToString("N");
        if ((await _storage.Exports.GetBlobClient(blobName).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
        {
            return new IngestionResult(blobName, string.Empty, IngestionStatus.Skipped, 0, 0, 0, "The export exists again; nothing was removed.", runId);
        }

        var removed = new List<string>();
        foreach (var (container, blob) in new[]
        {
            (_storage.Names.Features, _storage.Features.GetBlobClient(ExportNames.PartialBlob(blobName))),
            (_storage.Names.Rejected, _storage.Rejected.GetBlobClient(ExportNames.RejectedBlob(blobName))),
        })
        {
            var state = await OutputState.ReadAsync(blob, cancellationToken).ConfigureAwait(false);
            if (state.ETag is not { } eTag || !string.Equals(state.SourceBlob, blobName, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                await blob.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = eTag }, cancellationToken: cancellationToken).ConfigureAwait(false);
                removed.Add($"{container}/{blob.Name}");
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Rewritten meanwhile by a run over a new upload of the same name: that one stays.
            }
        }

        if (removed.Count > 0)
        {
            await _storage.CompactShards.SendMessageAsync(new CompactionMessage(ExportNames.PartialBlob(blobName)).ToJson(), cancellationToken).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        var note = removed.Count > 0 ? $"{blobName}: the export was deleted; removed {string.Join(" and ", removed)}." : $"{blobName}: the export was deleted; it had no outputs of its own to remove.";
        var entity = new IngestionEntity
        {
            PartitionKey = TableKey.Escape(blobName),
            RowKey = TableKey.Escape("deleted-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            Status = nameof(IngestionStatus.Deleted),
            StartedAt = now,
            FinishedAt = now,
            Error = note,
            RunId = runId,
        };
        await _storage.Ingestions.UpsertEntityAsync(entity, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        RecordFile(blobName, "deleted");
        PipelineLog.FeaturizeDeleted(_logger, blobName, removed.Count > 0 ? string.Join(", ", removed) : "nothing");
        return new IngestionResult(blobName, string.Empty, IngestionStatus.Deleted, 0, 0, 0, note, runId);
    }

    /// <summary>Metadata naming the export a partial or rejected-rows blob came from.</summary>
    internal static Dictionary<string, string> SourceMetadata(string blobName, ETag eTag) =>
        new() { [OutputState.SourceBlobKey] = Uri.EscapeDataString(blobName), ["sourceetag"] = eTag.ToString().Trim('"') };

    /// <summary>
    /// Whether <paramref name="output"/> now holds what this run would write: from this export at this ETag (a retried write
    /// that had landed, or a duplicate delivery of the same version; featurizing is deterministic, so the bytes are the same).
    /// </summary>
    private static async Task<bool> HoldsThisVersionAsync(BlobClient output, string blobName, ETag eTag, CancellationToken cancellationToken)
    {
        var state = await OutputState.ReadAsync(output, cancellationToken).ConfigureAwait(false);
        return string.Equals(state.SourceBlob, blobName, StringComparison.Ordinal) && string.Equals(state.SourceETag, eTag.ToString().Trim('"'), StringComparison.Ordinal);
    }

    /// <summary>A run whose outputs a newer run replaced (or whose export changed under it): it writes nothing more.</summary>
    private IngestionResult Superseded(string blobName, ETag eTag, string runId, string reason)
    {
        PipelineLog.FeaturizeBlobChanged(_logger, runId, blobName);
        RecordFile(blobName, "skipped");
        return new IngestionResult(blobName, eTag.ToString(), IngestionStatus.Skipped, 0, 0, 0, reason, runId);
    }

    private async Task<FeaturizeCounts> FeaturizeToFilesAsync(BlobClient export, ETag eTag, Clv.Modeling.Ingest.ExportMapping? mapping, string partialPath, string rejectedPath, CancellationToken cancellationToken)
    {
        // The export streams from storage through the featurizer; outputs go to local files first because a
        // Parquet writer seeks, and so a failed run leaves no half-written blob behind.
        var readOptions = ClvStorage.ReadOptions(new BlobRequestConditions { IfMatch = eTag });
        var source = await export.OpenReadAsync(readOptions, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            // Gzip is recognised by content, once, by the reader (which also bounds the decompressed size), never by the name.
            var partial = new FileStream(partialPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
            await using (partial.ConfigureAwait(false))
            {
                var rejected = new FileStream(rejectedPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true);
                await using (rejected.ConfigureAwait(false))
                {
                    try
                    {
                        return await _featurizer.FeaturizeAsync(source, ExportNames.ExportName(export.Name), mapping, partial, rejected, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        // The export's large arrays are garbage now (see LargeObjectGarbage).
                        LargeObjectGarbage.Collect();
                    }
                }
            }
        }
    }

    private async Task<IngestionResult> FailAsync(IngestionEntity entity, string blobName, string error, Stopwatch clock, Activity? activity, CancellationToken cancellationToken)
    {
        entity.Status = nameof(IngestionStatus.Failed);
        entity.Error = error;
        Finish(entity, clock);
        await _storage.Ingestions.UpsertEntityAsync(entity, Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        RecordRows(blobName, entity.Accepted, entity.Rejected);
        RecordFile(blobName, "failed");
        activity?.SetStatus(ActivityStatusCode.Error, error);
        activity?.SetTag("clv.status", "failed");
        PipelineLog.FeaturizeFailed(_logger, entity.RunId, blobName, error);
        return new IngestionResult(blobName, TableKey.Unescape(entity.RowKey), IngestionStatus.Failed, entity.Accepted, entity.Rejected, entity.Customers, error, entity.RunId);
    }

    /// <summary>Counts every data row read (accepted plus rejected) and the rejected ones, so rejected share = rejected / rows.</summary>
    private static void RecordRows(string blobName, long accepted, long rejected)
    {
        if (accepted + rejected == 0)
        {
            return;
        }

        var export = new KeyValuePair<string, object?>(ClvTelemetry.ExportTag, ExportNames.ExportName(blobName));
        ClvTelemetry.IngestRows.Add(accepted + rejected, export);
        ClvTelemetry.IngestRejected.Add(rejected, export);
    }

    private static void RecordFile(string blobName, string status) =>
        ClvTelemetry.IngestFiles.Add(
            1,
            new KeyValuePair<string, object?>(ClvTelemetry.StatusTag, status),
            new KeyValuePair<string, object?>(ClvTelemetry.ExportTag, ExportNames.ExportName(blobName)));

    private void Finish(IngestionEntity entity, Stopwatch clock)
    {
        entity.FinishedAt = _time.GetUtcNow();
        entity.DurationMs = clock.Elapsed.TotalMilliseconds;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; the next run uses a new one.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}

/// <summary>The outcome of <see cref="FeaturizeJob.RunAsync(BlobClient, CancellationToken)"/>.</summary>
/// <param name="BlobName">The export blob.</param>
/// <param name="ETag">Its ETag when read.</param>
/// <param name="Status">Succeeded, failed, or skipped because already processed.</param>
/// <param name="Accepted">Accepted data rows.</param>
/// <param name="Rejected">Rejected rows.</param>
/// <param name="Customers">Distinct customers.</param>
/// <param name="Error">Why it failed, or <see langword="null"/>.</param>
/// <param name="RunId">The run that produced the <c>Ingestions</c> row.</param>
public sealed record IngestionResult(string BlobName, string ETag, IngestionStatus Status, long Accepted, long Rejected, int Customers, string? Error, string RunId)
{
    /// <summary>Guest rows without a customer id: counted apart, not rejected.</summary>
    public long Skipped { get; init; }
}

/// <summary>What an output blob held when a featurize run started: the condition its writes carry.</summary>
/// <param name="ETag">The blob's ETag, or <see langword="null"/> when it did not exist.</param>
/// <param name="SourceBlob">The export it was written from (its metadata), or <see langword="null"/>.</param>
/// <param name="SourceETag">The ETag of the export version it was written from, or <see langword="null"/>.</param>
internal sealed record OutputState(ETag? ETag, string? SourceBlob, string? SourceETag = null)
{
    /// <summary>Metadata key naming the export blob an output came from.</summary>
    public const string SourceBlobKey = "sourceblob";

    /// <summary>Write only over the state read: the same ETag, or no blob at all.</summary>
    public BlobRequestConditions Condition => ETag is { } eTag ? new BlobRequestConditions { IfMatch = eTag } : new BlobRequestConditions { IfNoneMatch = Azure.ETag.All };

    public static async Task<OutputState> ReadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var source = properties.Metadata.TryGetValue(SourceBlobKey, out var escaped) ? Uri.UnescapeDataString(escaped) : null;
            return new OutputState(properties.ETag, source, properties.Metadata.TryGetValue("sourceetag", out var sourceETag) ? sourceETag : null);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new OutputState(null, null);
        }
    }
}
