using System.Text.Json;
using Clv.Infra.Tests.Arm;
using Clv.Infra.Tests.Bicep;
using Clv.Infra.Tests.Template;

namespace Clv.Infra.Tests.FunctionsApp;

/// <summary>
/// The app settings the template gives the Function App, evaluated for a given name prefix. Values known only once
/// deployed (service endpoints, the identity's client id, the Application Insights connection string) are replaced
/// by realistic stand-ins of the same shape.
/// </summary>
public static class TemplateAppSettings
{
    /// <summary>Stand-in account of the deployed endpoints.</summary>
    public const string Account = "clvdevabc123";

    /// <summary>Stand-in client id of the managed identity.</summary>
    public const string ClientId = "00000000-0000-0000-0000-0000000000c1";

    /// <summary>The Function App's settings, name to value, with the template compiled for <paramref name="dataNamePrefix"/>.</summary>
    public static Dictionary<string, string?> FunctionApp(string dataNamePrefix = "")
    {
        var template = ArmTemplate.Parse(CompiledTemplate.Get().Text, new Dictionary<string, object?> { ["dataNamePrefix"] = dataNamePrefix });
        return Evaluate(template.FunctionAppSettings(), template.OfType("Microsoft.Web/sites/config").Single(r => r.Name.Contains("'appsettings'", StringComparison.Ordinal)));
    }

    /// <summary>The same settings in configuration-key form (<c>Clv__Storage__X</c> as <c>Clv:Storage:X</c>), as the worker reads them.</summary>
    public static Dictionary<string, string?> AsConfiguration(IReadOnlyDictionary<string, string?> settings) =>
        settings.ToDictionary(p => p.Key.Replace("__", ":", StringComparison.Ordinal), p => p.Value, StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, string?> Evaluate(IReadOnlyDictionary<string, JsonElement> raw, ArmResource resource)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in raw)
        {
            settings[name] = TryEvaluate(resource, value) ?? StandIn(name, value.Text());
        }

        return settings;
    }

    private static string? TryEvaluate(ArmResource resource, JsonElement value)
    {
        try
        {
            return resource.Evaluate(value) switch
            {
                string text => text,
                bool flag => flag ? "true" : "false",
                long number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static string StandIn(string name, string expression)
    {
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            if (expression.Contains($"primaryEndpoints.{service}", StringComparison.Ordinal))
            {
                return $"https://{Account}.{service}.core.windows.net/";
            }
        }

        if (expression.Contains("identityClientId", StringComparison.Ordinal) || expression.Contains("clientId", StringComparison.OrdinalIgnoreCase))
        {
            return expression.Contains("Authorization=AAD", StringComparison.Ordinal) ? $"Authorization=AAD;ClientId={ClientId}" : ClientId;
        }

        if (expression.Contains("ConnectionString", StringComparison.Ordinal))
        {
            return $"InstrumentationKey={ClientId};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/";
        }

        throw new NotSupportedException($"App setting {name} = {expression} cannot be evaluated offline and has no stand-in.");
    }
}
