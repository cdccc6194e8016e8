using System.Runtime.CompilerServices;
using System.Text;

namespace Clv.Modeling.Features;

/// <summary>
/// Turns the cells of one or more accumulators (each owning different customers) into one <see cref="PartialAggregates"/>
/// sorted by customer id (ordinal) then bucket: each accumulator sorts its customers and writes its cells straight into
/// their final rows, in parallel; only the merge of the sorted customer lists is serial.
/// </summary>
internal static class PartialsAssembler
{
    public static PartialAggregates Assemble(IReadOnlyList<PartialAccumulator> shards)
    {
        ArgumentOutOfRangeException.ThrowIfZero(shards.Count);
        var bucket = shards[0].Bucket;
        var sorted = new SortedCustomers[shards.Count];
        Parallel.For(0, shards.Count, s =>
        {
            shards[s].Finish();
            sorted[s] = SortedCustomers.Of(shards[s]);
        });

        var starts = MergeOffsets(shards, sorted, out var cellCount);
        var columns = new Columns(cellCount);
        Parallel.For(0, shards.Count, s => WriteCells(shards[s], sorted[s], starts[s], columns, bucket));
        return new PartialAggregates(bucket, columns.Ids, columns.Starts, columns.NetSpend, columns.Orders, columns.Items, columns.Returns, validate: false);
    }

    /// <summary>Merges the shards' sorted customer lists: the first output row of each customer, by shard and rank.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[][] MergeOffsets(IReadOnlyList<PartialAccumulator> shards, SortedCustomers[] sorted, out int cellCount)
    {
        var starts = new int[shards.Count][];
        var next = new int[shards.Count];
        for (var s = 0; s < shards.Count; s++)
        {
            starts[s] = new int[sorted[s].Order.Length];
        }

        var row = 0;
        while (true)
        {
            var best = -1;
            for (var s = 0; s < shards.Count; s++)
            {
                if (next[s] < sorted[s].Order.Length
                    && (best < 0 || string.CompareOrdinal(sorted[s].IdAt(next[s]), sorted[best].IdAt(next[best])) < 0))
                {
                    best = s;
                }
            }

            if (best < 0)
            {
                cellCount = row;
                return starts;
            }

            starts[best][next[best]] = row;
            row += shards[best].CellsOf(sorted[best].Order[next[best]]);
            next[best]++;
        }
    }

    /// <summary>
    /// Writes one shard's cells into their rows. Closed cells are listed in the order they were made, which is bucket
    /// order within each customer unless the export was out of time order (those customers are sorted apart), so a
    /// counting pass places every cell without walking the chains; each customer's open cell, the latest, comes last.
    /// The columns are then written in row order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteCells(PartialAccumulator shard, SortedCustomers sorted, int[] starts, Columns columns, BucketSize bucket)
    {
        var order = sorted.Order;
        var next = LargeArray.Uninitialized<int>(shard.CustomerCount);
        var local = 0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            next[order[rank]] = local;
            local += shard.ClosedCellsOf(order[rank]);
        }

        var cells = LargeArray.Uninitialized<int>(shard.CellCount);
        for (var index = 0; index < cells.Length; index++)
        {
            cells[next[shard.CellAt(index).Customer]++] = index;
        }

        foreach (var customer in shard.CustomersOutOfOrder)
        {
            var count = shard.ClosedCellsOf(customer);
            var run = cells.AsSpan(next[customer] - count, count);
            var buckets = new int[count];
            for (var i = 0; i < count; i++)
            {
                buckets[i] = shard.CellAt(run[i]).Bucket;
            }

            buckets.AsSpan().Sort(run);
        }

        local = 0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            var customer = order[rank];
            var id = sorted.Ids[customer];
            var row = starts[rank];
            var end = local + shard.ClosedCellsOf(customer);
            for (; local < end; local++, row++)
            {
                columns.Write(row, id, shard.CellAt(cells[local]), bucket);
            }

            if (shard.HasOpenCell(customer))
            {
                columns.Write(row, id, shard.OpenCellOf(customer), bucket);
            }
        }
    }

    private sealed class Columns(int count)
    {
        public string[] Ids { get; } = LargeArray.Zeroed<string>(count);

        public DateOnly[] Starts { get; } = LargeArray.Uninitialized<DateOnly>(count);

        public double[] NetSpend { get; } = LargeArray.Uninitialized<double>(count);

        public int[] Orders { get; } = LargeArray.Uninitialized<int>(count);

        public double[] Items { get; } = LargeArray.Uninitialized<double>(count);

        public int[] Returns { get; } = LargeArray.Uninitialized<int>(count);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Write(int row, string id, in PartialAccumulator.Cell cell, BucketSize bucket)
        {
            Ids[row] = id;
            Starts[row] = BucketMath.Start(cell.Bucket, bucket);
            NetSpend[row] = cell.NetSpend;
            Orders[row] = cell.Orders;
            Items[row] = cell.Items;
            Returns[row] = cell.Returns;
        }
    }

    /// <summary>One shard's customers in ordinal order of their ids, and the ids as strings (by customer index).</summary>
    private sealed class SortedCustomers
    {
        private SortedCustomers(int[] order, string[] ids)
        {
            Order = order;
            Ids = ids;
        }

        /// <summary>Customer indexes, sorted.</summary>
        public int[] Order { get; }

        /// <summary>Id of each customer index.</summary>
        public string[] Ids { get; }

        public string IdAt(int rank) => Ids[Order[rank]];

        /// <summary>
        /// Sorts by the ids' UTF-8 bytes (two big-endian words first, then the rest), which is ordinal string order when
        /// every id is ASCII; otherwise by <see cref="string.CompareOrdinal(string, string)"/> on the decoded ids.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static SortedCustomers Of(PartialAccumulator shard)
        {
            var count = shard.CustomerCount;
            var ids = LargeArray.Zeroed<string>(count);
            var ascii = true;
            for (var customer = 0; customer < count; customer++)
            {
                var id = shard.Id(customer);
                ascii &= Ascii.IsValid(id);
                ids[customer] = Encoding.UTF8.GetString(id);
            }

            var order = LargeArray.Uninitialized<int>(count);
            if (!ascii)
            {
                for (var customer = 0; customer < count; customer++)
                {
                    order[customer] = customer;
                }

                Array.Sort(order, (a, b) => string.CompareOrdinal(ids[a], ids[b]));
                return new SortedCustomers(order, ids);
            }

            var keys = LargeArray.Uninitialized<SortKey>(count);
            for (var customer = 0; customer < count; customer++)
            {
                var (high, low, length) = shard.SortKey(customer);
                keys[customer] = new SortKey(high, low, length, customer);
            }

            keys.AsSpan().Sort();
            for (var rank = 0; rank < count; rank++)
            {
                order[rank] = keys[rank].Customer;
            }

            // Ids longer than 16 bytes that share their first 16 are ordered by the whole id.
            for (var start = 0; start < count;)
            {
                var end = start + 1;
                while (end < count && keys[end].High == keys[start].High && keys[end].Low == keys[start].Low)
                {
                    end++;
                }

                if (end - start > 1 && keys[end - 1].Length > CustomerKey.InlineBytes)
                {
                    Array.Sort(order, start, end - start, Comparer<int>.Create((a, b) => string.CompareOrdinal(ids[a], ids[b])));
                }

                start = end;
            }

            return new SortedCustomers(order, ids);
        }
    }

    private readonly record struct SortKey(ulong High, ulong Low, int Length, int Customer) : IComparable<SortKey>
    {
        public int CompareTo(SortKey other)
        {
            var byHigh = High.CompareTo(other.High);
            if (byHigh != 0)
            {
                return byHigh;
            }

            var byLow = Low.CompareTo(other.Low);
            return byLow != 0 ? byLow : Length.CompareTo(other.Length);
        }
    }
}
