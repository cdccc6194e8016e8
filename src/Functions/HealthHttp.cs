using Clv.Pipeline.Lookup;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Clv.Functions;

/// <summary><c>GET /api/health</c>: the loaded model version and its age (anonymous, for availability probes).</summary>
public sealed class HealthHttp(ClvHttpApi api)
{
    /// <summary>200 with the champion; 503 problem+json when none was promoted.</summary>
    [Function(nameof(HealthHttp))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ClvHttpApi.HealthRoute)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await api.HealthAsync(cancellationToken).ConfigureAwait(false);
        return result.ToActionResult();
    }
}
