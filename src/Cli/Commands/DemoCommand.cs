using System.CommandLine;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text.Json;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary><c>clv demo</c>: the local main job, end to end on generated data.</summary>
internal static class DemoCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print a machine-readable result instead of tables." };
        var command = new Command("demo", "Run the whole local pipeline on generated data: no cloud, no server, no reference data.")
        {
            json,
        };
        command.SetAction(parseResult => Run(console, parseResult.GetValue(json)));
        return command;
    }

    private static int Run(IAnsiConsole console, bool json)
    {
        var info = new
        {
            runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            cores = Environment.ProcessorCount,
            vectorBits = Vector<float>.Count * 32,
            avx512 = Vector512.IsHardwareAccelerated,
            avx2 = Vector256.IsHardwareAccelerated,
        };
        if (json)
        {
            console.WriteLine(JsonSerializer.Serialize(info));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumn("machine").AddColumn("value");
        table.AddRow("runtime", info.runtime);
        table.AddRow("cores", info.cores.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("SIMD width (bits)", info.vectorBits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("Vector512 accelerated", info.avx512.ToString());
        console.Write(table);
        return ExitCodes.Success;
    }
}
