using Azure.Core;
using Azure.Core.Pipeline;
using Clv.Pipeline.Telemetry;

namespace Clv.Pipeline.Storage;

/// <summary>
/// Counts each retried storage request: in <c>clv.table.retries</c> tagged <c>clv.table</c> for a client of one table,
/// in <c>clv.storage.retries</c> tagged <c>service</c> otherwise; both with the retry number.
/// Sits in the per-retry position, after the SDK's retry policy has decided to try again.
/// </summary>
internal sealed class RetryCountingPolicy(string service, string? table = null) : HttpPipelineSynchronousPolicy
{
    public override void OnReceivedResponse(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var retry = message.ProcessingContext.RetryNumber;
        if (retry <= 0)
        {
            return;
        }

        if (table is not null)
        {
            ClvTelemetry.TableRetries.Add(1, new KeyValuePair<string, object?>(ClvTelemetry.TableTag, table), new KeyValuePair<string, object?>("retry", retry));
        }
        else
        {
            ClvTelemetry.StorageRetries.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("retry", retry));
        }
    }
}
