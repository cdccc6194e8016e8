namespace Clv.Modeling.Ingest;

/// <summary>
/// Reads a gzip export's decompressed text and stops it, with an <see cref="ExportFormatException"/>, once the text grows
/// past <see cref="ExportReaderOptions.MaxDecompressedBytes"/> or past <see cref="ExportReaderOptions.MaxCompressionRatio"/>
/// times the compressed bytes consumed so far (a decompression bomb), before it fills memory or disk.
/// </summary>
internal sealed class DecompressionLimitStream(Stream decompressed, CountingStream compressed, string source, long maxBytes, double maxRatio) : ReadOnlyForwardStream
{
    /// <summary>Text shorter than this is never judged by its ratio (tiny files compress unevenly).</summary>
    private const long RatioFloorBytes = 1 << 20;

    private long _total;

    public override int Read(Span<byte> buffer)
    {
        var read = decompressed.Read(buffer);
        _total += read;
        if (_total > maxBytes)
        {
            throw new ExportFormatException(
                source,
                $"the gzip export decompresses to more than {maxBytes:N0} bytes (MaxDecompressedBytes); split it into smaller exports or raise the limit.",
                ExportFormatError.TooLarge);
        }

        if (_total > RatioFloorBytes && _total > maxRatio * Math.Max(compressed.BytesRead, 1))
        {
            throw new ExportFormatException(
                source,
                $"the gzip export expands more than {maxRatio:0.##} times its compressed size ({compressed.BytesRead:N0} compressed bytes gave over {_total:N0}; MaxCompressionRatio); it looks like a decompression bomb, not an export.",
                ExportFormatError.TooLarge);
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            decompressed.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A read-only pass-through stream that counts the bytes read from it.</summary>
internal sealed class CountingStream(Stream inner) : ReadOnlyForwardStream
{
    /// <summary>Bytes read so far.</summary>
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        BytesRead += read;
        return read;
    }
}
