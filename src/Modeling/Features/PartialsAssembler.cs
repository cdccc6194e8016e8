using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Clv.Modeling.FlatParquet;

namespace Clv.Modeling.Features;

/// <summary>
/// Turns the cells of one or more accumulators (each owning different customers) into one <see cref="PartialAggregates"/>
/// sorted by customer id (ordinal) then bucket: each accumulator sorts its customers and writes its cells straight into
/// their final rows, in parallel; only the merge of the sorted customer lists is serial.
/// </summary>
internal static class PartialsAssembler
{
    /// <summary>Row groups filled or being encoded ahead of the one being written.</summary>
    private const int RowGroupsInFlight = 3;

    public static PartialAggregates Assemble(IReadOnlyList<PartialAccumulator> shards)
    {
        var (sorted, cells) = Prepare(shards);
        var bucket = shards[0].Bucket;
        var order = MergedOrder(sorted);
        var starts = new int[shards.Count][];
        for (var s = 0; s < shards.Count; s++)
        {
            starts[s] = new int[sorted[s].Order.Length];
        }

        var cellCount = 0;
        foreach (var (shard, rank) in order)
        {
            starts[shard][rank] = cellCount;
            cellCount += shards[shard].CellsOf(sorted[shard].Order[rank]);
        }

        var columns = new Columns(cellCount);
        Parallel.For(0, shards.Count, s => WriteCells(shards[s], sorted[s], cells[s], starts[s], columns, bucket));
        return new PartialAggregates(bucket, columns.Ids, columns.Starts, columns.NetSpend, columns.Orders, columns.Items, columns.Returns, validate: false);
    }

    /// <summary>
    /// Writes the shards' cells as a partials file, the bytes <see cref="Assemble"/> then
    /// <see cref="PartialAggregates.WriteParquetAsync(Stream, CancellationToken)"/> give, without building the columns:
    /// row groups are filled in order, each encoded on the thread pool as soon as it is full while the next fills, and
    /// written in order as their encodings finish. Filling, encoding and writing overlap on every core, and memory holds
    /// a few row groups instead of every row.
    /// </summary>
    public static async Task WriteParquetAsync(IReadOnlyList<PartialAccumulator> shards, Stream destination, CancellationToken cancellationToken)
    {
        var (sorted, cells) = Prepare(shards);
        var rows = new RowCursor(shards, sorted, cells, MergedOrder(sorted));
        var encoded = Channel.CreateBounded<Task<EncodedRowGroup>>(new BoundedChannelOptions(RowGroupsInFlight) { SingleReader = true, SingleWriter = true });
        var free = Channel.CreateUnbounded<RentedCells>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        var buffers = new RentedCells[RowGroupsInFlight + 2];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new RentedCells(PartialAggregates.RowGroupRows);
            free.Writer.TryWrite(buffers[i]);
        }

        // The filler hands each full row group to an encoding task, which gives the buffer back once encoded, and queues
        // the task for the writer. If writing stops early, both channels are completed so that the filler stops too; the
        // buffers are returned only once every encoding task has finished.
        var fill = Task.Run(
            async () =>
            {
                try
                {
                    while (!rows.Done)
                    {
                        var buffer = await free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        rows.Fill(buffer, PartialAggregates.RowGroupRows);
                        var encode = Task.Run(
                            () =>
                            {
                                try
                                {
                                    return PartialAggregates.EncodeRowGroup(buffer);
                                }
                                finally
                                {
                                    buffer.Clear();
                                    free.Writer.TryWrite(buffer);
                                }
                            },
                            cancellationToken);
                        try
                        {
                            await encoded.Writer.WriteAsync(encode, cancellationToken).ConfigureAwait(false);
                        }
                        catch
                        {
                            await DiscardAsync(encode).ConfigureAwait(false);
                            throw;
                        }
                    }

                    encoded.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    encoded.Writer.TryComplete(ex);
                }
            },
            cancellationToken);
        try
        {
            var writer = await PartialAggregates.CreateFileWriterAsync(destination, shards[0].Bucket, cancellationToken).ConfigureAwait(false);
            await foreach (var encode in encoded.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                using var group = await encode.ConfigureAwait(false);
                await writer.WriteRowGroupAsync(group, cancellationToken).ConfigureAwait(false);
            }

            await writer.FinishAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            free.Writer.TryComplete();
            encoded.Writer.TryComplete();
            await fill.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            while (encoded.Reader.TryRead(out var pending))
            {
                await DiscardAsync(pending).ConfigureAwait(false);
            }

            foreach (var buffer in buffers)
            {
                buffer.Dispose();
            }
        }
    }

    /// <summary>Waits for an encoding that will not be written and returns its buffers.</summary>
    private static async Task DiscardAsync(Task<EncodedRowGroup> encode)
    {
        await ((Task)encode).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (encode.IsCompletedSuccessfully)
        {
            encode.Result.Dispose();
        }
    }

    /// <summary>Finishes each shard, sorts its customers and lists its closed cells in row order, in parallel.</summary>
    private static (SortedCustomers[] Sorted, int[][] Cells) Prepare(IReadOnlyList<PartialAccumulator> shards)
    {
        ArgumentOutOfRangeException.ThrowIfZero(shards.Count);
        var sorted = new SortedCustomers[shards.Count];
        var cells = new int[shards.Count][];
        Parallel.For(0, shards.Count, s =>
        {
            shards[s].Finish();
            sorted[s] = SortedCustomers.Of(shards[s]);
            cells[s] = ClosedCellsInRowOrder(shards[s], sorted[s].Order);
        });
        return (sorted, cells);
    }

    /// <summary>Merges the shards' sorted customer lists: every customer as (shard, rank), in output order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Shard, int Rank)[] MergedOrder(SortedCustomers[] sorted)
    {
        var order = LargeArray.Uninitialized<(int Shard, int Rank)>(sorted.Sum(s => s.Order.Length));
        var next = new int[sorted.Length];
        for (var row = 0; row < order.Length; row++)
        {
            var best = -1;
            for (var s = 0; s < sorted.Length; s++)
            {
                if (next[s] < sorted[s].Order.Length
                    && (best < 0 || string.CompareOrdinal(sorted[s].IdAt(next[s]), sorted[best].IdAt(next[best])) < 0))
                {
                    best = s;
                }
            }

            order[row] = (best, next[best]++);
        }

        return order;
    }

    /// <summary>
    /// One shard's closed cells in row order: customer by customer in rank order, each customer's by bucket. Closed
    /// cells are listed in the order they were made, which is bucket order within each customer unless the export was
    /// out of time order (those customers are sorted apart), so a counting pass places every cell without walking the
    /// chains. Each customer's open cell, the latest, follows its closed cells.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] ClosedCellsInRowOrder(PartialAccumulator shard, int[] order)
    {
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

        return cells;
    }

    /// <summary>Writes one shard's cells (<paramref name="cells"/>: its closed cells in row order) into their rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteCells(PartialAccumulator shard, SortedCustomers sorted, int[] cells, int[] starts, Columns columns, BucketSize bucket)
    {
        var order = sorted.Order;
        var local = 0;
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

    /// <summary>The rows of every shard in output order, handed out a row group at a time.</summary>
    private sealed class RowCursor(IReadOnlyList<PartialAccumulator> shards, SortedCustomers[] sorted, int[][] cells, (int Shard, int Rank)[] order)
    {
        private readonly int[] _nextCell = new int[shards.Count];
        private readonly BucketSize _bucket = shards[0].Bucket;
        private int _nextCustomer;
        private PartialAccumulator? _shard;
        private int _shardIndex;
        private int _customer;
        private string _id = string.Empty;
        private int _closedLeft;
        private bool _openLeft;

        /// <summary>Whether every row has been handed out.</summary>
        public bool Done => _nextCustomer == order.Length && _closedLeft == 0 && !_openLeft;

        /// <summary>Adds the next rows to <paramref name="destination"/> until it holds <paramref name="rows"/> or none are left.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Fill(RentedCells destination, int rows)
        {
            while (destination.Count < rows)
            {
                if (_closedLeft > 0)
                {
                    _closedLeft--;
                    Add(destination, _shard!.CellAt(cells[_shardIndex][_nextCell[_shardIndex]++]));
                }
                else if (_openLeft)
                {
                    _openLeft = false;
                    Add(destination, _shard!.OpenCellOf(_customer));
                }
                else if (_nextCustomer < order.Length)
                {
                    var (shard, rank) = order[_nextCustomer++];
                    _shardIndex = shard;
                    _shard = shards[shard];
                    _customer = sorted[shard].Order[rank];
                    _id = sorted[shard].Ids[_customer];
                    _closedLeft = _shard.ClosedCellsOf(_customer);
                    _openLeft = _shard.HasOpenCell(_customer);
                }
                else
                {
                    return;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Add(RentedCells destination, in PartialAccumulator.Cell cell) =>
            destination.Add(_id, BucketMath.Start(cell.Bucket, _bucket), cell.NetSpend, cell.Orders, cell.Items, cell.Returns);
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
