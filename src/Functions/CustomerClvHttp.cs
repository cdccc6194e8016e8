using Clv.Pipeline.Lookup;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Clv.Functions;

/// <summary><c>GET /api/customers/{customerId}/clv</c>: one customer's stored prediction.</summary>
public sealed class CustomerClvHttp(ClvHttpApi api)
{
    /// <summary>200 with the prediction; 404 problem+json when the customer is unknown.</summary>
    [Function(nameof(CustomerClvHttp))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ClvHttpApi.CustomerRoute)] HttpRequest request,
        string customerId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await api.GetCustomerAsync(ClvHttpApi.CustomerIdFromRoute(customerId), cancellationToken).ConfigureAwait(false);
        return result.ToActionResult();
    }
}
