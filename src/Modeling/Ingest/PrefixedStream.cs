namespace Clv.Modeling.Ingest;

/// <summary>A read-only stream that yields a few already-read bytes, then the rest of the inner stream (lets the reader sniff gzip on streams that cannot seek).</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : ReadOnlyForwardStream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override int Read(Span<byte> buffer)
    {
        if (!_prefix.IsEmpty)
        {
            var count = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..count].CopyTo(buffer);
            _prefix = _prefix[count..];
            return count;
        }

        return inner.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_prefix.IsEmpty)
        {
            return Read(buffer.Span);
        }

        return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
