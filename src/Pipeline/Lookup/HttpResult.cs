using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Clv.Pipeline.Lookup;

/// <summary>
/// An HTTP answer independent of the host: the Functions app and the local host both write it as is.
/// Errors are RFC 9457 <c>application/problem+json</c>.
/// </summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="ContentType">Media type of <paramref name="Body"/>.</param>
/// <param name="Body">UTF-8 JSON.</param>
public sealed record HttpResult(int Status, string ContentType, byte[] Body)
{
    /// <summary>Media type of successful answers.</summary>
    public const string Json = "application/json; charset=utf-8";

    /// <summary>Media type of errors.</summary>
    public const string ProblemJson = "application/problem+json; charset=utf-8";

    /// <summary>200 with <paramref name="value"/> as JSON.</summary>
    /// <param name="value">The answer.</param>
    /// <param name="typeInfo">
    /// Its serializer, generated at build time; the API's answers take theirs from <see cref="HttpJsonContext"/> (web
    /// defaults, null members left out), as problem details do.
    /// </param>
    public static HttpResult Ok<T>(T value, JsonTypeInfo<T> typeInfo) => new(200, Json, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    /// <summary>An error as problem details.</summary>
    /// <param name="status">HTTP status code.</param>
    /// <param name="title">Short, fixed summary of the problem type.</param>
    /// <param name="detail">What exactly is wrong, naming the field or value.</param>
    /// <param name="field">The offending request field (JSON path), if any.</param>
    /// <param name="correlationId">The id under which the failure was logged, for errors the caller cannot fix.</param>
    public static HttpResult Problem(int status, string title, string detail, string? field = null, string? correlationId = null)
    {
        var problem = new ProblemDetails($"https://httpstatuses.io/{status}", title, status, detail, field) { CorrelationId = correlationId };
        return new HttpResult(status, ProblemJson, JsonSerializer.SerializeToUtf8Bytes(problem, HttpJsonContext.Default.ProblemDetails));
    }

    /// <summary>Problem details (RFC 9457) with the offending field as an extension member.</summary>
    /// <param name="Type">URI of the problem type.</param>
    /// <param name="Title">Summary.</param>
    /// <param name="Status">HTTP status code.</param>
    /// <param name="Detail">Explanation naming the problem.</param>
    /// <param name="Field">JSON path of the offending field, e.g. <c>transactions[2].amount</c>.</param>
    public sealed record ProblemDetails(string Type, string Title, int Status, string Detail, string? Field)
    {
        /// <summary>The id the failure was logged under (server errors only), to quote to an operator.</summary>
        public string? CorrelationId { get; init; }
    }
}
