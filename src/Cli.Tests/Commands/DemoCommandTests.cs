using System.Text.Json;
using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Commands;

public class DemoCommandTests
{
    [Fact]
    public void Demo_WithJson_PrintsAnObjectAndSucceeds()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["demo", "--json"], console);

        Assert.Equal(ExitCodes.Success, exitCode);
        using var document = JsonDocument.Parse(console.Output);
        Assert.Equal(Environment.ProcessorCount, document.RootElement.GetProperty("cores").GetInt32());
    }

    [Fact]
    public void UnknownCommand_FailsWithNonZeroExitCode()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["no-such-command"], console);

        Assert.NotEqual(ExitCodes.Success, exitCode);
    }
}
