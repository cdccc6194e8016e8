using System.Text;
using Clv.Pipeline.Lookup;
using Microsoft.AspNetCore.Mvc;

namespace Clv.Functions;

/// <summary>Maps the host-independent <see cref="HttpResult"/> onto an ASP.NET Core action result.</summary>
internal static class HttpResultExtensions
{
    public static ContentResult ToActionResult(this HttpResult result) => new()
    {
        StatusCode = result.Status,
        ContentType = result.ContentType,
        Content = Encoding.UTF8.GetString(result.Body),
    };
}
