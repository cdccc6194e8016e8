using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Clv.Modeling.Features;

/// <summary>
/// A customer id's hash and first 16 bytes (little-endian words, zero-padded), computed once per row while parsing so
/// that aggregation compares two words instead of the bytes and never hashes again.
/// </summary>
internal readonly struct CustomerKey
{
    /// <summary>Ids up to this many bytes are compared by <see cref="Head0"/>, <see cref="Head1"/> and the length alone.</summary>
    public const int InlineBytes = 16;

    private const ulong Prime = 0x9E3779B97F4A7C15UL;

    private CustomerKey(ulong hash, ulong head0, ulong head1, int length)
    {
        Hash = hash;
        Head0 = head0;
        Head1 = head1;
        Length = length;
    }

    public ulong Hash { get; }

    public ulong Head0 { get; }

    public ulong Head1 { get; }

    public int Length { get; }

    /// <summary>The key of a UTF-8 id: a multiply-rotate hash over 8-byte words with the murmur3 fmix64 finish.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CustomerKey Create(ReadOnlySpan<byte> id)
    {
        ulong head0, head1;
        if (id.Length >= InlineBytes)
        {
            head0 = BinaryPrimitives.ReadUInt64LittleEndian(id);
            head1 = BinaryPrimitives.ReadUInt64LittleEndian(id[8..]);
        }
        else if (id.Length >= 8)
        {
            head0 = BinaryPrimitives.ReadUInt64LittleEndian(id);
            head1 = Partial(id[8..]);
        }
        else
        {
            head0 = Partial(id);
            head1 = 0;
        }

        var hash = (ulong)id.Length * Prime;
        hash = ulong.RotateLeft((hash ^ head0) * Prime, 31);
        hash = ulong.RotateLeft((hash ^ head1) * Prime, 31);
        if (id.Length > InlineBytes)
        {
            var rest = id[InlineBytes..];
            while (rest.Length >= 8)
            {
                hash = ulong.RotateLeft((hash ^ BinaryPrimitives.ReadUInt64LittleEndian(rest)) * Prime, 31);
                rest = rest[8..];
            }

            hash = ulong.RotateLeft((hash ^ Partial(rest)) * Prime, 31);
        }

        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        hash *= 0xC4CEB9FE1A85EC53UL;
        hash ^= hash >> 33;
        return new CustomerKey(hash, head0, head1, id.Length);
    }

    /// <summary>Which of <paramref name="shardCount"/> aggregators owns this customer, <c>0..shardCount-1</c> (from the hash's high bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ShardIndex(int shardCount) => (int)(((Hash >> 32) * (ulong)shardCount) >> 32);

    /// <summary>Up to 7 bytes as a little-endian word, zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Partial(ReadOnlySpan<byte> bytes)
    {
        ulong value = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            value |= (ulong)bytes[i] << (8 * i);
        }

        return value;
    }
}
