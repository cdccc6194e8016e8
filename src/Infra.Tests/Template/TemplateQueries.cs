using System.Text.Json;
using Clv.Infra.Tests.Arm;

namespace Clv.Infra.Tests.Template;

/// <summary>Lookups over the compiled CLV template shared by the tests.</summary>
internal static class TemplateQueries
{
    /// <summary>The Function App's application settings, name to raw template value.</summary>
    public static IReadOnlyDictionary<string, JsonElement> FunctionAppSettings(this ArmTemplate template)
    {
        var config = template.OfType("Microsoft.Web/sites/config").Single(r => r.Name.Contains("'appsettings'", StringComparison.Ordinal));
        return config.Properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>Environment variables of the GPU scorer's container, name to raw template value.</summary>
    public static IReadOnlyDictionary<string, JsonElement> GpuScorerEnvironment(this ArmTemplate template)
    {
        var app = template.Single("Microsoft.App/containerApps");
        var container = app.Properties.GetProperty("template").GetProperty("containers").EnumerateArray().Single();
        return container.GetProperty("env").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("value"), StringComparer.Ordinal);
    }

    /// <summary>Single-quoted literals inside an ARM expression, e.g. the fixed part of a resource name.</summary>
    public static IReadOnlyList<string> Literals(string expression)
    {
        var literals = new List<string>();
        for (var i = 0; i < expression.Length; i++)
        {
            if (expression[i] != '\'')
            {
                continue;
            }

            var end = expression.IndexOf('\'', i + 1);
            literals.Add(expression[(i + 1)..end]);
            i = end;
        }

        return literals;
    }

    /// <summary>
    /// A child resource's own name, evaluated with the template's parameters: <c>exports</c> (or <c>blueexports</c>
    /// with a name prefix) in <c>format('{0}/{1}/{2}', parameters('name'), 'default', format('{0}exports', ...))</c>.
    /// </summary>
    public static string? ChildName(ArmResource resource) =>
        resource.Scope.Evaluate(LastNameSegment(resource.Name)) as string;

    /// <summary>
    /// The child's own name from a compiled child-resource name such as
    /// <c>[format('{0}/{1}/{2}', parameters('name'), 'default', format('{0}exports', parameters('dataNamePrefix')))]</c>
    /// (the account name is only known once deployed, the child's name is not).
    /// </summary>
    internal static string LastNameSegment(string name)
    {
        if (!ArmExpression.IsExpression(name))
        {
            return name.Split('/')[^1];
        }

        var inner = name[1..^1];
        var open = inner.IndexOf('(', StringComparison.Ordinal);
        var depth = 0;
        var quoted = false;
        var lastComma = -1;
        for (var i = open + 1; i < inner.Length - 1; i++)
        {
            switch (inner[i])
            {
                case '\'': quoted = !quoted; break;
                case '(' when !quoted: depth++; break;
                case ')' when !quoted: depth--; break;
                case ',' when !quoted && depth == 0: lastComma = i; break;
                default: break;
            }
        }

        return "[" + inner[(lastComma + 1)..^1].Trim() + "]";
    }

    /// <summary>Text of a raw template string value.</summary>
    public static string Text(this JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
