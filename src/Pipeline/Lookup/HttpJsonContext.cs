using System.Text.Json;
using System.Text.Json.Serialization;

namespace Clv.Pipeline.Lookup;

/// <summary>
/// The JSON of the HTTP API's answers and problem details (<see cref="HttpResult"/>), generated at build time with the
/// web defaults (camelCase names) and null members left out.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HttpResult.ProblemDetails))]
[JsonSerializable(typeof(ClvHttpApi.CustomerPrediction))]
[JsonSerializable(typeof(ClvHttpApi.LiveScore))]
[JsonSerializable(typeof(ClvHttpApi.Health))]
internal sealed partial class HttpJsonContext : JsonSerializerContext;
