using System.Reflection;
using System.Text.Json;

namespace Clv.Infra.Tests.FunctionsApp;

/// <summary>One binding of a function in the generated <c>functions.metadata</c>.</summary>
/// <param name="Json">The binding object as generated.</param>
public sealed record FunctionBinding(JsonElement Json)
{
    /// <summary>Binding type, e.g. <c>httpTrigger</c>, <c>blobTrigger</c>.</summary>
    public string Type => Json.GetProperty("type").GetString()!;

    /// <summary>A string property of the binding, or null when absent.</summary>
    public string? Text(string name) => Json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A string-array property of the binding (e.g. <c>methods</c>), empty when absent.</summary>
    public IReadOnlyList<string> List(string name) =>
        Json.TryGetProperty(name, out var value) ? value.EnumerateArray().Select(v => v.GetString()!).ToList() : [];
}

/// <summary>One function of the generated <c>functions.metadata</c>.</summary>
/// <param name="Name">Function name, as the host and the <c>AzureWebJobs.{name}.Disabled</c> settings know it.</param>
/// <param name="EntryPoint">Method the worker invokes, <c>Namespace.Type.Method</c>.</param>
/// <param name="Bindings">Its bindings.</param>
public sealed record FunctionDescription(string Name, string EntryPoint, IReadOnlyList<FunctionBinding> Bindings)
{
    /// <summary>The trigger binding (the one whose type ends in <c>Trigger</c>).</summary>
    public FunctionBinding Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));

    /// <summary>Full name of the class the worker activates.</summary>
    public string TypeName => EntryPoint[..EntryPoint.LastIndexOf('.')];
}

/// <summary>
/// The Functions app as its build leaves it: the files the Functions SDK generates next to <c>Clv.Functions.dll</c>
/// (<c>functions.metadata</c>, <c>worker.config.json</c>, <c>extensions.json</c>), which the Azure Functions host reads
/// instead of the code.
/// </summary>
public static class BuiltFunctionsApp
{
    private static readonly Lazy<IReadOnlyList<FunctionDescription>> LoadedFunctions = new(LoadFunctions);

    /// <summary>Output folder of src/Functions for this test build's configuration.</summary>
    public static string OutputFolder { get; } = typeof(BuiltFunctionsApp).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionsOutput").Value!;

    /// <summary>Every function of <c>functions.metadata</c>.</summary>
    public static IReadOnlyList<FunctionDescription> Functions => LoadedFunctions.Value;

    /// <summary>The function named <paramref name="name"/>.</summary>
    public static FunctionDescription Function(string name) =>
        Functions.SingleOrDefault(f => f.Name == name) ?? throw new InvalidOperationException($"functions.metadata has no function '{name}'; it has {string.Join(", ", Functions.Select(f => f.Name))}.");

    /// <summary>A generated JSON file of the output folder.</summary>
    public static JsonElement Json(string fileName)
    {
        var path = Path.Combine(OutputFolder, fileName);
        Assert.True(File.Exists(path), $"{path} does not exist: build src/Functions (./test.sh does) before these tests.");
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement;
    }

    private static List<FunctionDescription> LoadFunctions() =>
        Json("functions.metadata").EnumerateArray()
            .Select(f => new FunctionDescription(
                f.GetProperty("name").GetString()!,
                f.GetProperty("entryPoint").GetString()!,
                f.GetProperty("bindings").EnumerateArray().Select(b => new FunctionBinding(b.Clone())).ToList()))
            .ToList();
}
