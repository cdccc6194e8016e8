using Azure;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clv.LocalHost;

/// <summary>
/// Polls container <c>exports</c> and featurizes each blob whose name and ETag it has not seen: the local stand-in
/// for the Event Grid blob trigger. The job itself is idempotent, so a restart re-checks everything harmlessly.
/// </summary>
internal sealed partial class ExportWatcher(ClvStorage storage, FeaturizeJob job, LocalHostOptions options, ILogger<ExportWatcher> logger) : BackgroundService
{
    private readonly HashSet<(string Name, ETag ETag)> _seen = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.WatchInterval);
        do
        {
            try
            {
                await ScanAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                LogScanFailed(logger, ex, storage.Names.Exports);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Featurizes every blob not seen yet at its current ETag, and clears up after every seen blob that is gone.</summary>
    internal async Task ScanAsync(CancellationToken cancellationToken)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var item in storage.Exports.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            listed.Add(item.Name);
            var key = (item.Name, item.Properties.ETag ?? default);
            if (_seen.Contains(key))
            {
                continue;
            }

            try
            {
                var result = await job.RunAsync(item.Name, cancellationToken).ConfigureAwait(false);
                LogProcessed(logger, item.Name, result.Status, result.Accepted, result.Error ?? string.Empty);
                _seen.Add(key);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                // One bad blob (or a storage hiccup on it) must not stop the watcher: the others are featurized, and this
                // one is tried again on the next tick.
                LogBlobFailed(logger, ex, item.Name);
            }
        }

        // The local stand-in for the BlobDeleted subscription: a blob seen before and listed no more was deleted.
        foreach (var gone in _seen.Where(s => !listed.Contains(s.Name)).Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList())
        {
            var result = await job.DeleteAsync(gone, cancellationToken).ConfigureAwait(false);
            LogProcessed(logger, gone, result.Status, 0, result.Error ?? string.Empty);
            _seen.RemoveWhere(s => s.Name == gone);
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Export {BlobName}: {Status}, {Rows} rows {Error}")]
    private static partial void LogProcessed(ILogger logger, string blobName, IngestionStatus status, long rows, string error);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Export {BlobName} failed; trying it again on the next tick")]
    private static partial void LogBlobFailed(ILogger logger, Exception exception, string blobName);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Listing container {Container} failed; retrying on the next tick")]
    private static partial void LogScanFailed(ILogger logger, Exception exception, string container);
}
