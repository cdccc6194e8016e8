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

    /// <summary>A user mistake found by a library argument check: its message without the " (Parameter 'x')" suffix.</summary>
    public static CliUserException FromArgument(ArgumentException exception, string hint)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.ParamName is null ? exception.Message : exception.Message.Replace($" (Parameter '{exception.ParamName}')", string.Empty, StringComparison.Ordinal);
        return new CliUserException(message, hint);
    }

    /// <summary>
    /// An option record's range check as a usage error, <c>invalid {setting}: {reason}</c>: the reason is the record's
    /// own message, the one the host's settings validation reports too.
    /// </summary>
    public static CliUserException FromOutOfRange(ArgumentOutOfRangeException exception, string hint)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var reason = exception.Message.Split('\n')[0].Split(" (Parameter", StringSplitOptions.None)[0];
        return new CliUserException($"invalid {exception.ParamName}: {reason}", hint);
    }

    /// <summary>What to try next, or <see langword="null"/>.</summary>
    public string? Hint { get; }

    /// <summary>Process exit code for this failure.</summary>
    public int ExitCode { get; } = ExitCodes.UsageError;
}
