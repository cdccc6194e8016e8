using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Clv.Modeling.Features;

/// <summary>
/// Stable hashes of a customer id's UTF-8 bytes (the same on every process, machine and .NET version, unlike
/// <c>string.GetHashCode</c>): the one place that encodes an id for hashing, shared by the <c>Predictions</c> partition
/// and the training sample.
/// </summary>
public static class CustomerIdHash
{
    private delegate T HashOf<T>(ReadOnlySpan<byte> bytes, long seed);

    /// <summary><c>XxHash32</c> of the id's UTF-8 bytes, seed 0.</summary>
    public static uint XxHash32(string customerId) => Hash(customerId, 0, static (bytes, _) => System.IO.Hashing.XxHash32.HashToUInt32(bytes));

    /// <summary><c>XxHash64</c> of the id's UTF-8 bytes with <paramref name="seed"/>.</summary>
    public static ulong XxHash64(string customerId, long seed) => Hash(customerId, seed, static (bytes, s) => System.IO.Hashing.XxHash64.HashToUInt64(bytes, s));

    private static T Hash<T>(string customerId, long seed, HashOf<T> hash)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        var byteCount = Encoding.UTF8.GetByteCount(customerId);
        byte[]? rented = null;
        Span<byte> bytes = byteCount <= 256 ? stackalloc byte[byteCount] : (rented = ArrayPool<byte>.Shared.Rent(byteCount)).AsSpan(0, byteCount);
        try
        {
            Encoding.UTF8.GetBytes(customerId, bytes);
            return hash(bytes, seed);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
