using Azure.Core;
using Azure.Core.Pipeline;
using Clv.Pipeline.Telemetry;

namespace Clv.Pipeline.Storage;

/// <summary>
/// Counts each retried storage request in <c>clv.table.retries</c>, with the service and the status that caused it.
/// Sits in the per-retry position, after the SDK's retry policy has decided to try again.
/// </summary>
internal sealed class RetryCountingPolicy(string service) : HttpPipelineSynchronousPolicy
{
    public override void OnReceivedResponse(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ProcessingContext.RetryNumber > 0)
        {
            ClvTelemetry.TableRetries.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("retry", message.ProcessingContext.RetryNumber));
        }
    }
}
