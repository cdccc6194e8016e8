namespace Clv.Modeling.Ingest;

/// <summary>
/// A whole export cannot be used: required columns missing, an unrecognisable date format, a quote never closed,
/// or too many rejected rows. The message names the file and what was found and expected; the file is left as it was.
/// </summary>
public sealed class ExportFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="sourceName"/>.</summary>
    public ExportFormatException(string sourceName, string message)
        : base($"{sourceName}: {message}")
    {
        SourceName = sourceName;
    }

    /// <summary>Creates the exception.</summary>
    public ExportFormatException()
    {
        SourceName = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public ExportFormatException(string message)
        : base(message)
    {
        SourceName = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public ExportFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceName = string.Empty;
    }

    /// <summary>The export's name (file name or blob name).</summary>
    public string SourceName { get; }
}
