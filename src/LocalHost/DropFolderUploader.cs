using Azure;
using Azure.Storage.Blobs.Models;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Clv.LocalHost;

/// <summary>
/// Uploads each file that appears in (or changes in) the drop folder to container <c>exports</c>, where the watcher
/// featurizes it as the blob trigger does in Azure. A file is uploaded once its size and time are the same on two
/// scans in a row, so one still being written is not sent half-way; mapping files (<c>*.mapping.json</c>) go first.
/// The files themselves are left as they are.
/// </summary>
internal sealed partial class DropFolderUploader(ClvStorage storage, LocalHostOptions options, ILogger<DropFolderUploader> logger) : BackgroundService
{
    private readonly Dictionary<string, (long Length, DateTime Written)> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Length, DateTime Written)> _uploaded = new(StringComparer.Ordinal);

    /// <summary>The folder watched.</summary>
    internal string Folder => options.DropFolder ?? throw new InvalidOperationException("No drop folder is set.");

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
                LogUploadFailed(logger, ex, storage.Names.Exports);
            }
            catch (IOException ex)
            {
                LogFolderFailed(logger, ex, options.DropFolder ?? string.Empty);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Uploads every file whose size and time have not changed since the last scan and that was not uploaded as it is.</summary>
    /// <returns>The names of the files uploaded.</returns>
    internal async Task<IReadOnlyList<string>> ScanAsync(CancellationToken cancellationToken)
    {
        var folder = Folder;
        var uploaded = new List<string>();
        var files = new DirectoryInfo(folder).EnumerateFiles()
            .Where(f => !f.Name.StartsWith('.'))
            .OrderBy(f => ExportNames.IsMapping(f.Name) ? 0 : 1)
            .ThenBy(f => f.Name, StringComparer.Ordinal)
            .ToArray();
        foreach (var file in files)
        {
            var state = (file.Length, file.LastWriteTimeUtc);
            var stable = _seen.TryGetValue(file.Name, out var previous) && previous == state;
            _seen[file.Name] = state;
            if (!stable || (_uploaded.TryGetValue(file.Name, out var sent) && sent == state))
            {
                continue;
            }

            var upload = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ExportNames.IsMapping(file.Name) ? "application/json" : "text/csv" } };
            await storage.Exports.GetBlobClient(file.Name).UploadAsync(file.FullName, upload, cancellationToken).ConfigureAwait(false);
            _uploaded[file.Name] = state;
            uploaded.Add(file.Name);
            LogUploaded(logger, file.Name, storage.Names.Exports);
        }

        return uploaded;
    }

    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Dropped file {FileName} uploaded to container {Container}")]
    private static partial void LogUploaded(ILogger logger, string fileName, string container);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Uploading to container {Container} failed; retrying on the next tick")]
    private static partial void LogUploadFailed(ILogger logger, Exception exception, string container);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Reading the drop folder {Folder} failed; retrying on the next tick")]
    private static partial void LogFolderFailed(ILogger logger, Exception exception, string folder);
}
