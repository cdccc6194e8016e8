using Spectre.Console.Testing;

namespace Clv.Cli.Tests.Commands;

public class HostCommandTests
{
    [Fact]
    public void Host_WithAnInvalidPort_FailsWithAUsageErrorNamingIt()
    {
        var console = new TestConsole();

        var exitCode = CliApp.Run(["host", "--port", "70000"], console);

        Assert.Equal(ExitCodes.UsageError, exitCode);
        Assert.Contains("--port 70000", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_WithADropFolderThatIsAFile_FailsWithAUsageErrorNamingIt()
    {
        var file = Path.GetTempFileName();
        try
        {
            var console = new TestConsole();

            var exitCode = CliApp.Run(["host", "--drop-folder", file], console);

            Assert.Equal(ExitCodes.UsageError, exitCode);
            Assert.Contains("--drop-folder", console.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
