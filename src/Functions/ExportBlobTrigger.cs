using Azure.Storage.Blobs;
using Clv.Pipeline.Featurize;
using Microsoft.Azure.Functions.Worker;

namespace Clv.Functions;

/// <summary>A blob in <c>exports</c> (Event Grid notification) is featurized.</summary>
public sealed class ExportBlobTrigger(FeaturizeJob job)
{
    /// <summary>
    /// Featurizes the export. A file that cannot be used is recorded as a failed <c>Ingestions</c> row and returns
    /// normally; a storage failure throws, so the host retries up to <c>poisonBlobThreshold</c>.
    /// </summary>
    [Function(FunctionNames.Featurize)]
    public async Task RunAsync(
        [BlobTrigger(FunctionNames.ExportsPath, Source = BlobTriggerSource.EventGrid)] BlobClient export,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);

        // The client the binding gives (its connection and retry settings) is the one that reads the export.
        await job.RunAsync(export, cancellationToken).ConfigureAwait(false);
    }
}
