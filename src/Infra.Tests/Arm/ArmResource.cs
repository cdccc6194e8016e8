using System.Text.Json;

namespace Clv.Infra.Tests.Arm;

/// <summary>A condition on a resource or on one of the module deployments around it, with the scope it is evaluated in.</summary>
/// <param name="Scope">Template the condition belongs to.</param>
/// <param name="Expression">The ARM <c>condition</c> expression.</param>
public sealed record ArmCondition(ArmScope Scope, string Expression)
{
    /// <summary>Evaluates the condition in its scope.</summary>
    public bool Evaluate() => Scope.Evaluate(Expression) is true;
}

/// <summary>One resource of a compiled template, found at any module depth.</summary>
/// <param name="Type">Resource type, e.g. <c>Microsoft.Web/sites</c>.</param>
/// <param name="Name">Name as written in the template (often an expression).</param>
/// <param name="Json">The resource's JSON.</param>
/// <param name="Scope">Template the resource is declared in.</param>
/// <param name="ModulePath">Names of the module deployments around it, outermost first.</param>
/// <param name="Conditions">Conditions of those deployments and of the resource itself, outermost first.</param>
public sealed record ArmResource(
    string Type,
    string Name,
    JsonElement Json,
    ArmScope Scope,
    IReadOnlyList<string> ModulePath,
    IReadOnlyList<ArmCondition> Conditions)
{
    /// <summary>Whether the resource is only referenced (<c>existing</c>), not deployed.</summary>
    public bool IsExisting => Json.TryGetProperty("existing", out var existing) && existing.GetBoolean();

    /// <summary>The resource's <c>properties</c> object.</summary>
    public JsonElement Properties => Json.GetProperty("properties");

    /// <summary>Name of the module deployment that declares the resource; empty at the top level.</summary>
    public string Module => ModulePath.Count == 0 ? string.Empty : ModulePath[^1];

    /// <summary>Whether the resource is deployed when every condition around it is evaluated.</summary>
    public bool IsDeployed() => Conditions.All(c => c.Evaluate());

    /// <summary>Evaluates a JSON value of the resource in its template.</summary>
    public object? Evaluate(JsonElement value) => Scope.Evaluate(value);
}
