using Clv.Pipeline.Lookup;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Clv.Functions;

/// <summary><c>POST /api/score</c>: live scoring of posted transactions with the champion.</summary>
public sealed class ScoreHttp(ClvHttpApi api)
{
    /// <summary>200 with the score; 400 problem+json naming the bad field; 413 over the size limit.</summary>
    [Function(nameof(ScoreHttp))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ClvHttpApi.ScoreRoute)] HttpRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await api.ScoreAsync(request.Body, request.ContentLength, cancellationToken).ConfigureAwait(false);
        return result.ToActionResult();
    }
}
