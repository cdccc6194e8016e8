using System.Buffers;

namespace Clv.Modeling.Ingest;

/// <summary>Whole records of an export in a pooled buffer: the unit that parsing threads take.</summary>
internal sealed class ExportChunk : IDisposable
{
    private byte[] _buffer;

    public ExportChunk(byte[] buffer, int length, long firstLine, int sequence)
    {
        _buffer = buffer;
        Length = length;
        FirstLine = firstLine;
        Sequence = sequence;
    }

    /// <summary>The records (the last may lack its line break only at the end of the file).</summary>
    public ReadOnlySpan<byte> Data => _buffer.AsSpan(0, Length);

    public int Length { get; }

    /// <summary>The 1-based line number where the chunk starts.</summary>
    public long FirstLine { get; }

    /// <summary>0 for the first chunk of the file, then 1, 2, ...</summary>
    public int Sequence { get; }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
