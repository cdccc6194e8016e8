namespace Clv.Cli;

/// <summary>Process exit codes of <c>clv</c>.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran but the result failed a check (e.g. an input over the rejected-rows threshold).</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments, a missing file, an unknown column: fix the command line or the input.</summary>
    public const int UsageError = 2;
}
