using Clv.Modeling.Features;

namespace Clv.Pipeline.Storage;

/// <summary>
/// The <c>Predictions</c> partition of a customer: two lowercase hex digits, <c>00</c>..<c>ff</c>.
/// </summary>
/// <remarks>
/// <c>partition = XxHash32(UTF-8 bytes of the customer id, seed 0) mod 256</c>, written as two lowercase hex digits.
/// XxHash32 is stable across processes, machines and .NET versions (unlike <c>string.GetHashCode</c>), so any
/// reader computes the same key and the lookup stays a point read.
/// </remarks>
public static class ShardKey
{
    /// <summary>Number of partitions.</summary>
    public const int PartitionCount = 256;

    private static readonly string[] Keys = Enumerable.Range(0, PartitionCount).Select(i => i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The partition number of <paramref name="customerId"/>, in <c>0..255</c>.</summary>
    public static int Partition(string customerId) => (int)(CustomerIdHash.XxHash32(customerId) % PartitionCount);

    /// <summary>The partition key of <paramref name="customerId"/>, e.g. <c>3f</c>.</summary>
    public static string For(string customerId) => Keys[Partition(customerId)];

    /// <summary>Whether <paramref name="customerId"/> belongs to fan-out shard <paramref name="shardIndex"/> of <paramref name="shardCount"/>.</summary>
    public static bool InShard(string customerId, int shardIndex, int shardCount) => Partition(customerId) % shardCount == shardIndex;
}
