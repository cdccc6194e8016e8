using System.Text;

namespace Clv.Modeling.Ingest;

/// <summary>
/// Writes rejected rows as CSV with the header <c>line,reason,raw</c> (RFC 4180 quoting): the
/// <c>rejected/{name}.csv</c> file of an export.
/// </summary>
public sealed class CsvRejectedRowWriter : IRejectedRowSink, IDisposable
{
    private readonly StreamWriter _writer;

    /// <summary>Writes to <paramref name="destination"/>; disposing the writer flushes it and leaves the stream open when <paramref name="leaveOpen"/>.</summary>
    public CsvRejectedRowWriter(Stream destination, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _writer = new StreamWriter(destination, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen);
        _writer.Write("line,reason,raw\n");
    }

    /// <summary>Rows written so far.</summary>
    public long Count { get; private set; }

    /// <inheritdoc/>
    public void Add(RejectedRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _writer.Write(row.LineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _writer.Write(',');
        WriteQuoted(row.Reason);
        _writer.Write(',');
        WriteQuoted(row.RawText);
        _writer.Write('\n');
        Count++;
    }

    /// <summary>Flushes and closes the writer.</summary>
    public void Dispose() => _writer.Dispose();

    private void WriteQuoted(string value)
    {
        _writer.Write('"');
        _writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }
}
