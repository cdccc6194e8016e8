using System.Diagnostics;
using System.Text.Json;

namespace Clv.Infra.Tests.Bicep;

/// <summary>The pinned Bicep CLI (restored by <c>tools/bicep/Bicep.csproj</c>), run as a child process.</summary>
public sealed class BicepCli
{
    /// <summary>Version restored by tools/bicep/Bicep.csproj and used by ./test.sh.</summary>
    public const string PinnedVersion = "0.49.2";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private BicepCli(string path) => Path = path;

    /// <summary>Path of the executable.</summary>
    public string Path { get; }

    /// <summary>
    /// Finds the CLI the way ./test.sh does: <c>CLV_BICEP</c>, else the pinned package under
    /// <c>NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>. Null (with the places searched) when absent.
    /// </summary>
    public static BicepCli? Find(out string searched)
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("CLV_BICEP") is { Length: > 0 } explicitPath)
        {
            candidates.Add(explicitPath);
        }

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        candidates.Add(System.IO.Path.Combine(packages, "azure.bicep.commandline.linux-x64", PinnedVersion, "tools", "bicep"));
        searched = string.Join(", ", candidates);
        return candidates.Where(File.Exists).Select(c => new BicepCli(c)).FirstOrDefault();
    }

    /// <summary>Compiles a Bicep file and returns the ARM template JSON.</summary>
    public string Build(string bicepFile) => Run(["build", bicepFile, "--stdout"], new Dictionary<string, string>());

    /// <summary>
    /// Compiles a <c>.bicepparam</c> file with the given environment (read by <c>readEnvironmentVariable</c>;
    /// other <c>CLV_</c> variables of this process are removed) and returns the template and the
    /// parameter values it resolves to.
    /// </summary>
    public (string TemplateJson, IReadOnlyDictionary<string, object?> Parameters) BuildParams(
        string bicepParamFile, IReadOnlyDictionary<string, string> environment)
    {
        var output = Run(["build-params", bicepParamFile, "--stdout"], environment);
        using var document = JsonDocument.Parse(output);
        var templateJson = document.RootElement.GetProperty("templateJson").GetString()!;
        using var parameters = JsonDocument.Parse(document.RootElement.GetProperty("parametersJson").GetString()!);
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in parameters.RootElement.GetProperty("parameters").EnumerateObject())
        {
            values[parameter.Name] = ToValue(parameter.Value.GetProperty("value"));
        }

        return (templateJson, values);
    }

    private static object? ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => value.GetInt64(),
        JsonValueKind.Array => value.EnumerateArray().Select(ToValue).ToList(),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value), StringComparer.OrdinalIgnoreCase),
        _ => null,
    };

    private string Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CLV_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Path}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"bicep {string.Join(' ', arguments)} exited with {process.ExitCode}: {stderr.GetAwaiter().GetResult()}");
        }

        return stdout.GetAwaiter().GetResult();
    }
}
