using System.Text.Json;

namespace Clv.Infra.Tests.Arm;

/// <summary>A compiled ARM template with every resource of every nested module deployment flattened out.</summary>
public sealed class ArmTemplate
{
    private const string DeploymentType = "Microsoft.Resources/deployments";

    private ArmTemplate(string text, JsonElement root, ArmScope scope, IReadOnlyList<ArmResource> resources)
    {
        Text = text;
        Root = root;
        Scope = scope;
        Resources = resources;
    }

    /// <summary>The template's JSON text.</summary>
    public string Text { get; }

    /// <summary>The template's root JSON object.</summary>
    public JsonElement Root { get; }

    /// <summary>Top-level scope, with the parameter values the template was loaded with.</summary>
    public ArmScope Scope { get; }

    /// <summary>Every resource, depth first, including module deployments and <c>existing</c> references.</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    /// <summary>Parses a compiled template; <paramref name="parameterValues"/> override parameter defaults.</summary>
    public static ArmTemplate Parse(string text, IReadOnlyDictionary<string, object?>? parameterValues = null)
    {
        var root = JsonDocument.Parse(text).RootElement;
        var scope = ArmScope.Root(root, parameterValues);
        var resources = new List<ArmResource>();
        Collect(scope, [], [], resources);
        return new ArmTemplate(text, root, scope, resources);
    }

    /// <summary>Deployed (not <c>existing</c>) resources of one type.</summary>
    public IReadOnlyList<ArmResource> OfType(string type) =>
        Resources.Where(r => !r.IsExisting && string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The single deployed resource of one type; fails when there is none or several.</summary>
    public ArmResource Single(string type)
    {
        var matches = OfType(type);
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one {type} in the template, found {matches.Count}.");
    }

    /// <summary>The module deployment named <paramref name="name"/>.</summary>
    public ArmResource Module(string name) =>
        OfType(DeploymentType).SingleOrDefault(r => r.Name == name)
        ?? throw new InvalidOperationException($"The template has no module deployment named '{name}'.");

    private static void Collect(ArmScope scope, List<string> modulePath, List<ArmCondition> conditions, List<ArmResource> into)
    {
        var resources = scope.Template.GetProperty("resources");
        var items = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(p => p.Value)
            : resources.EnumerateArray();
        foreach (var resource in items)
        {
            var type = resource.GetProperty("type").GetString()!;
            var name = resource.GetProperty("name").GetString()!;
            var own = new List<ArmCondition>(conditions);
            if (resource.TryGetProperty("condition", out var condition))
            {
                var expression = condition.ValueKind switch
                {
                    JsonValueKind.True => "[true()]",
                    JsonValueKind.False => "[false()]",
                    _ => condition.GetString()!,
                };
                own.Add(new ArmCondition(scope, expression));
            }

            into.Add(new ArmResource(type, name, resource, scope, modulePath.ToList(), own));
            if (string.Equals(type, DeploymentType, StringComparison.OrdinalIgnoreCase)
                && resource.GetProperty("properties").TryGetProperty("template", out _))
            {
                Collect(scope.Nested(resource), [.. modulePath, name], own, into);
            }
        }
    }
}
