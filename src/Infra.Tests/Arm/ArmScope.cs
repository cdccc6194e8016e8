using System.Text.Json;

namespace Clv.Infra.Tests.Arm;

/// <summary>
/// One template being evaluated: the top-level template, or a nested (inner-scoped) module template
/// whose parameters come from its deployment resource, evaluated in the parent scope.
/// </summary>
public sealed class ArmScope
{
    private readonly JsonElement _template;
    private readonly IReadOnlyDictionary<string, object?> _overrides;
    private readonly JsonElement? _suppliedParameters;
    private readonly ArmScope? _parent;

    private ArmScope(JsonElement template, IReadOnlyDictionary<string, object?> overrides, JsonElement? suppliedParameters, ArmScope? parent)
    {
        _template = template;
        _overrides = overrides;
        _suppliedParameters = suppliedParameters;
        _parent = parent;
    }

    /// <summary>The template JSON of this scope.</summary>
    public JsonElement Template => _template;

    /// <summary>A top-level template with the given parameter values (the rest take their defaults).</summary>
    public static ArmScope Root(JsonElement template, IReadOnlyDictionary<string, object?>? parameterValues = null) =>
        new(template, parameterValues ?? new Dictionary<string, object?>(), null, null);

    /// <summary>The scope of the module template deployed by <paramref name="deployment"/>, a resource of this scope.</summary>
    public ArmScope Nested(JsonElement deployment)
    {
        var properties = deployment.GetProperty("properties");
        var parameters = properties.TryGetProperty("parameters", out var p) ? p : (JsonElement?)null;
        return new ArmScope(properties.GetProperty("template"), new Dictionary<string, object?>(), parameters, this);
    }

    /// <summary>Value of a template parameter: an override, the value the parent deployment supplies, or the default.</summary>
    public object? Parameter(string name)
    {
        if (_overrides.TryGetValue(name, out var value))
        {
            return value;
        }

        if (_suppliedParameters is { } supplied && supplied.TryGetProperty(name, out var entry))
        {
            return _parent!.Evaluate(entry.GetProperty("value"));
        }

        var declaration = _template.GetProperty("parameters").GetProperty(name);
        if (declaration.TryGetProperty("defaultValue", out var defaultValue))
        {
            return Evaluate(defaultValue);
        }

        throw new KeyNotFoundException($"Parameter '{name}' has no value and no default.");
    }

    /// <summary>Value of a template variable.</summary>
    public object? Variable(string name) => Evaluate(_template.GetProperty("variables").GetProperty(name));

    /// <summary>Evaluates a JSON value of the template: expression strings are evaluated, objects and arrays element by element.</summary>
    public object? Evaluate(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Evaluate(value.GetString()!),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => Evaluate(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonValueKind.Array => value.EnumerateArray().Select(Evaluate).ToList(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => value.GetInt64(),
        _ => null,
    };

    /// <summary>Evaluates a string of the template: <c>[expr]</c> is an expression, <c>[[...</c> an escaped literal.</summary>
    public object? Evaluate(string text)
    {
        if (!ArmExpression.IsExpression(text))
        {
            return text.StartsWith("[[", StringComparison.Ordinal) ? text[1..] : text;
        }

        return ArmExpression.Evaluate(text, this);
    }
}
