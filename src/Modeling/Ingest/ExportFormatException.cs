namespace Clv.Modeling.Ingest;

/// <summary>
/// A whole export cannot be used: required columns missing, an unrecognisable date format, a quote never closed,
/// or too many rejected rows. The message names the file and what was found and expected; the file is left as it was.
/// </summary>
public sealed class ExportFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="sourceName"/>.</summary>
    public ExportFormatException(string sourceName, string message, ExportFormatError error = ExportFormatError.Layout)
        : base($"{sourceName}: {message}")
    {
        SourceName = sourceName;
        Error = error;
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

    /// <summary>What kind of failure: a layout the options do not describe, or too many bad rows.</summary>
    public ExportFormatError Error { get; }
}

/// <summary>Why a whole export failed.</summary>
public enum ExportFormatError
{
    /// <summary>The file's layout does not match the options: empty, columns not found, unknown dates, a quote never closed. Fix the options (or the file) and re-run.</summary>
    Layout,

    /// <summary>The gzip export decompresses past <see cref="ExportReaderOptions.MaxDecompressedBytes"/> or <see cref="ExportReaderOptions.MaxCompressionRatio"/>.</summary>
    TooLarge,

    /// <summary>The rejected share is over <see cref="ExportReaderOptions.MaxRejectedShare"/>; the rejected rows were still handed to the sink.</summary>
    TooManyRejectedRows,
}
