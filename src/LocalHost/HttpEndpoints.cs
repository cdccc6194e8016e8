using Clv.Pipeline.Lookup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Clv.LocalHost;

/// <summary>The HTTP routes (README, "Azure pipeline"), mapped onto <see cref="ClvHttpApi"/> as the Functions app maps them, without function keys.</summary>
internal static class HttpEndpoints
{
    public static IEndpointRouteBuilder MapClvApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/" + ClvHttpApi.CustomerRoute, async (string customerId, ClvHttpApi api, HttpContext context) =>
            await WriteAsync(context, await api.GetCustomerAsync(ClvHttpApi.CustomerIdFromRoute(customerId), context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false));
        routes.MapPost("/api/" + ClvHttpApi.ScoreRoute, async (ClvHttpApi api, HttpContext context) =>
            await WriteAsync(context, await api.ScoreAsync(context.Request.Body, context.Request.ContentLength, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false));
        routes.MapGet("/api/" + ClvHttpApi.HealthRoute, async (ClvHttpApi api, HttpContext context) =>
            await WriteAsync(context, await api.HealthAsync(context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false));
        return routes;
    }

    /// <summary>Writes <paramref name="result"/> as the response.</summary>
    public static async Task WriteAsync(HttpContext context, HttpResult result)
    {
        context.Response.StatusCode = result.Status;
        context.Response.ContentType = result.ContentType;
        context.Response.ContentLength = result.Body.Length;
        await context.Response.Body.WriteAsync(result.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
