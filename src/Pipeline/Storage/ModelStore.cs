using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Storage.Blobs.Models;
using Clv.Modeling.Evaluation;

namespace Clv.Pipeline.Storage;

/// <summary>
/// Container <c>models</c>: <c>{version}/model.onnx</c> and the evaluation report's files (<c>report.md</c>,
/// <c>report.html</c> with the plots, <c>metrics.json</c>; the same files <c>clv</c> writes), and <c>current.json</c>
/// naming the champion.
/// </summary>
public sealed class ModelStore(ClvStorage storage)
{
    /// <summary>Blob naming the champion.</summary>
    public const string CurrentBlob = "current.json";

    /// <summary>The champion, or <see langword="null"/> when no model was promoted yet.</summary>
    public async Task<ChampionPointer?> ReadCurrentAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await storage.Models.GetBlobClient(CurrentBlob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson(ChampionPointerJsonContext.Default.ChampionPointer)
                ?? throw new InvalidDataException($"{storage.Names.Models}/{CurrentBlob} is empty.");
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The champion and the ETag of <c>current.json</c> as read (both <see langword="null"/> when none was promoted yet).</summary>
    public async Task<(ChampionPointer? Pointer, ETag? ETag)> ReadCurrentWithETagAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await storage.Models.GetBlobClient(CurrentBlob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            var pointer = content.Value.Content.ToObjectFromJson(ChampionPointerJsonContext.Default.ChampionPointer)
                ?? throw new InvalidDataException($"{storage.Names.Models}/{CurrentBlob} is empty.");
            return (pointer, content.Value.Details.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// Points <c>current.json</c> at <paramref name="pointer"/> only if it is unchanged since it was read with
    /// <paramref name="expected"/> (or still absent when that is <see langword="null"/>); false when another writer got there first.
    /// </summary>
    public async Task<bool> TryWriteCurrentAsync(ChampionPointer pointer, ETag? expected, CancellationToken cancellationToken = default)
    {
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
            Conditions = expected is { } eTag ? new BlobRequestConditions { IfMatch = eTag } : new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        try
        {
            await storage.Models.GetBlobClient(CurrentBlob).UploadAsync(BinaryData.FromObjectAsJson(pointer, ChampionPointerJsonContext.Default.ChampionPointer), upload, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (IsConditionNotMet(ex))
        {
            // A retried write whose first attempt landed finds its own pointer: that is a success.
            return (await ReadCurrentAsync(cancellationToken).ConfigureAwait(false))?.Version == pointer.Version;
        }
    }

    /// <summary>Whether a conditional write failed because the blob changed (412) or, for "only if absent", exists (409).</summary>
    public static bool IsConditionNotMet(RequestFailedException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Status == 412 || (exception.Status == 409 && exception.ErrorCode == "BlobAlreadyExists");
    }

    /// <summary>Points <c>current.json</c> at <paramref name="pointer"/>.</summary>
    public Task WriteCurrentAsync(ChampionPointer pointer, CancellationToken cancellationToken = default) =>
        Upload(CurrentBlob, BinaryData.FromObjectAsJson(pointer, ChampionPointerJsonContext.Default.ChampionPointer), "application/json", cancellationToken);

    /// <summary>Writes <c>{version}/model.onnx</c> and each report file as <c>{version}/{name}</c>, byte for byte.</summary>
    /// <param name="version">The model version.</param>
    /// <param name="onnx">The ONNX model file.</param>
    /// <param name="reportFiles">The evaluation report's files (<see cref="EvaluationReport.Files"/>).</param>
    /// <param name="cancellationToken">Cancels the uploads.</param>
    public async Task PublishAsync(string version, byte[] onnx, IReadOnlyList<ReportFile> reportFiles, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(reportFiles);
        await Task.WhenAll(
            [
                Upload($"{version}/model.onnx", new BinaryData(onnx), "application/octet-stream", cancellationToken),
                .. reportFiles.Select(f => Upload($"{version}/{f.Name}", new BinaryData(f.Content), f.ContentType, cancellationToken)),
            ]).ConfigureAwait(false);
    }

    /// <summary>The model file of <paramref name="version"/>.</summary>
    /// <exception cref="RequestFailedException">404 when the version does not exist.</exception>
    public async Task<byte[]> ReadModelAsync(string version, CancellationToken cancellationToken = default)
    {
        var content = await storage.Models.GetBlobClient($"{version}/model.onnx").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return content.Value.Content.ToArray();
    }

    /// <summary>The metrics of <paramref name="version"/>, or <see langword="null"/> when it has none.</summary>
    public async Task<string?> ReadMetricsAsync(string version, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await storage.Models.GetBlobClient($"{version}/{EvaluationReport.MetricsFileName}").DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToString();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>A new model version: UTC time to the second and four random hex digits, e.g. <c>20261123T101500Z-3f2a</c>.</summary>
    public static string NewVersion(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Random.Shared.Next(0x10000).ToString("x4", CultureInfo.InvariantCulture);

    private async Task Upload(string name, BinaryData content, string contentType, CancellationToken cancellationToken) =>
        await storage.Models.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken).ConfigureAwait(false);
}

/// <summary>Content of <c>models/current.json</c>.</summary>
/// <param name="Version">The champion's version.</param>
/// <param name="AsOf">Last day of its training data.</param>
/// <param name="PromotedAt">When it was promoted.</param>
public sealed record ChampionPointer(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("asOf")] DateOnly AsOf,
    [property: JsonPropertyName("promotedAt")] DateTimeOffset PromotedAt);

/// <summary>
/// The JSON of <c>current.json</c> (<see cref="ChampionPointer"/>), generated at build time with the web defaults,
/// indented.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ChampionPointer))]
internal sealed partial class ChampionPointerJsonContext : JsonSerializerContext;
