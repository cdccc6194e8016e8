namespace Clv.Cli;

/// <summary>A mistake the user can fix (missing file, unknown column, bad option): printed as one line, never a stack trace.</summary>
internal sealed class CliUserException : Exception
{
    public CliUserException(string message, string? hint = null, int exitCode = ExitCodes.UsageError)
        : base(message)
    {
        Hint = hint;
        ExitCode = exitCode;
    }

    public CliUserException()
    {
    }

    public CliUserException(string message)
        : base(message)
    {
    }

    public CliUserException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What to try next, or <see langword="null"/>.</summary>
    public string? Hint { get; }

    /// <summary>Process exit code for this failure.</summary>
    public int ExitCode { get; } = ExitCodes.UsageError;
}
