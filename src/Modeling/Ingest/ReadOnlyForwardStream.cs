namespace Clv.Modeling.Ingest;

/// <summary>
/// The members every read-only, forward-only stream of the reader shares (no seek, no length, no write); a subclass
/// implements <see cref="Read(Span{byte})"/> and, where it reads asynchronously, <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.
/// </summary>
internal abstract class ReadOnlyForwardStream : Stream
{
    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    public sealed override long Length => throw new NotSupportedException();

    public sealed override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override int Read(Span<byte> buffer);

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public sealed override void Flush()
    {
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
