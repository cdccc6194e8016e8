using Clv.Pipeline.Featurize;
using Clv.Pipeline.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Clv.Functions;

/// <summary>
/// An Event Grid <c>BlobDeleted</c> event of <c>exports</c>, delivered to the <c>export-events</c> queue (the subscription
/// of <c>infra/scripts/post-deploy.sh</c>), removes the export's partial and rejected rows.
/// </summary>
public sealed class ExportDeletedQueueTrigger(FeaturizeJob job, ClvStorage storage)
{
    /// <summary>Handles one event; a storage failure throws, so the message is retried and, after <c>maxDequeueCount</c>, poisoned.</summary>
    [Function(FunctionNames.ExportDeleted)]
    public async Task RunAsync(
        [QueueTrigger(FunctionNames.ExportEventsQueue)] string message,
        CancellationToken cancellationToken)
    {
        if (ExportEvent.Parse(message, storage.Names.Exports) is { EventType: ExportEvent.BlobDeleted } deleted)
        {
            await job.DeleteAsync(deleted.BlobName, cancellationToken).ConfigureAwait(false);
        }
    }
}
