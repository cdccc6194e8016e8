using System.Buffers;

namespace Clv.Modeling.Ingest;

/// <summary>
/// Cuts the rest of an export into chunks of whole records, so that chunks can be parsed on several threads. A chunk
/// ends after the last line break that ends a record: with quotes meaningful, a line break preceded by an even number
/// of quotes since the chunk's start (every chunk starts at a record boundary), exactly the rule
/// <see cref="RecordParser.TrySplitRecord"/> applies. Not thread-safe: callers take turns.
/// </summary>
internal sealed class ExportChunkReader
{
    /// <summary>Chunk size that keeps parsing threads busy without holding much memory.</summary>
    public const int DefaultChunkBytes = 4 << 20;

    /// <summary>The first chunk's size; chunks double up to the chunk size, so that small exports also spread over threads.</summary>
    public const int FirstChunkBytes = 64 << 10;

    /// <summary>A single record longer than this is an error (a quote is probably never closed).</summary>
    public const int MaxRecordBytes = 16 << 20;

    private readonly Stream _stream;
    private readonly string _source;
    private readonly bool _quotesMatter;
    private readonly int _chunkBytes;
    private byte[] _carry = [];
    private int _carryLength;
    private long _line;
    private int _sequence;
    private bool _eof;

    /// <param name="stream">The export's text from a record boundary on.</param>
    /// <param name="source">The file or blob name, used in messages.</param>
    /// <param name="quotesMatter">False for whitespace-separated exports, where quotes are ordinary characters.</param>
    /// <param name="chunkBytes">The size of a chunk once under way (a chunk grows only to hold one longer record).</param>
    /// <param name="firstLine">The line number where <paramref name="stream"/> starts.</param>
    public ExportChunkReader(Stream stream, string source, bool quotesMatter, int chunkBytes, long firstLine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        _stream = stream;
        _source = source;
        _quotesMatter = quotesMatter;
        _chunkBytes = chunkBytes;
        _line = firstLine;
    }

    /// <summary>Bytes read from the stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The next chunk, or <see langword="null"/> at the end of the export.</summary>
    /// <exception cref="ExportFormatException">A record is longer than <see cref="MaxRecordBytes"/>.</exception>
    public ExportChunk? Next()
    {
        var target = (int)Math.Min(_chunkBytes, (long)FirstChunkBytes << Math.Min(_sequence, 16));
        var size = Math.Max(target, _carryLength + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            _carry.AsSpan(0, _carryLength).CopyTo(buffer);
            var filled = _carryLength;
            _carryLength = 0;
            while (true)
            {
                filled = Fill(buffer, filled, size);
                if (_eof)
                {
                    if (filled == 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    return Cut(buffer, filled, filled);
                }

                var boundary = LastBoundary(buffer.AsSpan(0, filled));
                if (boundary > 0)
                {
                    return Cut(buffer, boundary, filled);
                }

                // One record fills the whole buffer: read on into a larger one.
                if (size >= MaxRecordBytes)
                {
                    throw new ExportFormatException(_source, $"line {_line}: a record is longer than {MaxRecordBytes >> 20} MiB; is a quote never closed?");
                }

                size = Math.Min(size * 2, MaxRecordBytes);
                var larger = ArrayPool<byte>.Shared.Rent(size);
                buffer.AsSpan(0, filled).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>The offset just after the last line break in <paramref name="data"/> that ends a record; 0 when none does.</summary>
    internal static int LastBoundary(ReadOnlySpan<byte> data, bool quotesMatter)
    {
        var lineBreak = data.LastIndexOf((byte)'\n');
        if (lineBreak < 0 || !quotesMatter)
        {
            return lineBreak + 1;
        }

        var quotes = data[..lineBreak].Count((byte)'"');
        while ((quotes & 1) != 0)
        {
            var previous = data[..lineBreak].LastIndexOf((byte)'\n');
            if (previous < 0)
            {
                return 0;
            }

            quotes -= data[previous..lineBreak].Count((byte)'"');
            lineBreak = previous;
        }

        return lineBreak + 1;
    }

    private int LastBoundary(ReadOnlySpan<byte> data) => LastBoundary(data, _quotesMatter);

    private ExportChunk Cut(byte[] buffer, int boundary, int filled)
    {
        var rest = filled - boundary;
        if (rest > 0)
        {
            if (_carry.Length < rest)
            {
                _carry = new byte[Math.Max(rest, 4096)];
            }

            buffer.AsSpan(boundary, rest).CopyTo(_carry);
        }

        _carryLength = rest;
        var chunk = new ExportChunk(buffer, boundary, _line, _sequence++);
        _line += buffer.AsSpan(0, boundary).Count((byte)'\n');
        return chunk;
    }

    private int Fill(byte[] buffer, int filled, int size)
    {
        while (filled < size && !_eof)
        {
            var read = _stream.Read(buffer, filled, size - filled);
            if (read == 0)
            {
                _eof = true;
                break;
            }

            filled += read;
            BytesRead += read;
        }

        return filled;
    }
}
