using System.Text;

namespace Clv.Modeling.Features;

/// <summary>
/// Merges the run files of a featurize run that spilled into one partials file, streaming: the runs are read front to
/// back at once (a k-way merge), each cell summed as it completes and written into the current row group. The file is
/// byte for byte the one the in-memory path writes for the same export.
/// </summary>
internal static class CellRunMerger
{
    /// <summary>Writes the merged cells of <paramref name="runs"/> as a partials file.</summary>
    /// <param name="runs">Every run, each thread's in the order it wrote them (the threads own different customers).</param>
    /// <param name="bucket">Width of one time step.</param>
    /// <param name="destination">Receives the partials file.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>Distinct customers written.</returns>
    public static async Task<int> WriteParquetAsync(IReadOnlyList<CellRun> runs, BucketSize bucket, Stream destination, CancellationToken cancellationToken)
    {
        var readers = new List<CellRunReader>(runs.Count);
        try
        {
            // Among records of one cell the earlier run comes first, which is file order.
            var queue = new PriorityQueue<CellRunReader, CellRunReader>(runs.Count, CellRunReader.RecordOrder.Instance);
            var records = 0L;
            foreach (var run in runs)
            {
                var reader = new CellRunReader(run, readers.Count);
                readers.Add(reader);
                records += run.Count;
                if (reader.MoveNext())
                {
                    queue.Enqueue(reader, reader);
                }
            }

            var writer = await PartialAggregates.RowGroupWriter.CreateAsync(destination, bucket, records, cancellationToken).ConfigureAwait(false);
            using (writer)
            {
                var sum = new CellSum();
                var cellId = new byte[256];
                var lastId = new byte[256];
                var lastIdLength = -1;
                var lastIdString = string.Empty;
                var customers = 0;
                while (queue.TryPeek(out var first, out _))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var idLength = first.Id.Length;
                    if (cellId.Length < idLength)
                    {
                        cellId = new byte[idLength * 2];
                    }

                    first.Id.CopyTo(cellId);
                    var id = cellId.AsSpan(0, idLength);
                    var cellBucket = first.Bucket;
                    sum.Reset();
                    while (queue.TryPeek(out var next, out _) && next.Bucket == cellBucket && next.Id.SequenceEqual(id))
                    {
                        queue.Dequeue();
                        sum.Add(next);
                        if (next.MoveNext())
                        {
                            queue.Enqueue(next, next);
                        }
                    }

                    if (lastIdLength < 0 || !id.SequenceEqual(lastId.AsSpan(0, lastIdLength)))
                    {
                        // One string per customer, as the in-memory path makes.
                        lastIdString = Encoding.UTF8.GetString(id);
                        if (lastId.Length < idLength)
                        {
                            lastId = new byte[idLength * 2];
                        }

                        id.CopyTo(lastId);
                        lastIdLength = idLength;
                        customers++;
                    }

                    await writer.AddAsync(lastIdString, BucketMath.Start(cellBucket, bucket), sum.NetSpend, sum.Orders, sum.Items, sum.Returns, cancellationToken).ConfigureAwait(false);
                }

                await writer.FinishAsync(cancellationToken).ConfigureAwait(false);
                return customers;
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>One cell's sums as its records arrive, by the steps of <see cref="PartialAccumulator"/>.</summary>
    private sealed class CellSum
    {
        private const int KeptKeySetSize = 1 << 10;

        private HashSet<ulong> _orderKeys = [];

        public double NetSpend { get; private set; }

        public double Items { get; private set; }

        public int Orders { get; private set; }

        public int Returns { get; private set; }

        public void Reset()
        {
            NetSpend = 0;
            Items = 0;
            Orders = 0;
            Returns = 0;
            if (_orderKeys.Count > KeptKeySetSize)
            {
                // Clearing costs the set's capacity: a rare cell with many orders must not slow every later cell.
                _orderKeys = [];
            }
            else if (_orderKeys.Count > 0)
            {
                _orderKeys.Clear();
            }
        }

        public void Add(CellRunReader record)
        {
            if (record.HoldsCells)
            {
                // A thread spills its cells once, before any of its rows: the cell's sums so far.
                NetSpend = record.NetSpend;
                Items = record.Items;
                Orders = record.Orders;
                Returns = record.Returns;
                foreach (var key in record.OrderKeys)
                {
                    _orderKeys.Add(key);
                }

                return;
            }

            NetSpend += record.Amount;
            if (record.Amount < 0)
            {
                Returns++;
                Items -= Math.Abs(record.Quantity);
                return;
            }

            Items += Math.Abs(record.Quantity);
            if (_orderKeys.Add(record.OrderKey))
            {
                Orders++;
            }
        }
    }
}

/// <summary>Reads a <see cref="CellRun"/> record by record.</summary>
internal sealed class CellRunReader : IDisposable
{
    private readonly BinaryReader _reader;
    private long _left;
    private byte[] _id = new byte[64];
    private int _idLength;
    private ulong[] _orderKeys = new ulong[4];

    public CellRunReader(CellRun run, int sequence)
    {
        _reader = new BinaryReader(new FileStream(run.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        _left = run.Count;
        HoldsCells = run.HoldsCells;
        Sequence = sequence;
    }

    /// <summary>The run's place in the merge: of two records of one cell, the one from the lower sequence is older.</summary>
    public int Sequence { get; }

    public bool HoldsCells { get; }

    public ReadOnlySpan<byte> Id => _id.AsSpan(0, _idLength);

    public int Bucket { get; private set; }

    /// <summary>A cell's net spend (<see cref="HoldsCells"/>).</summary>
    public double NetSpend { get; private set; }

    /// <summary>A cell's items (<see cref="HoldsCells"/>).</summary>
    public double Items { get; private set; }

    /// <summary>A cell's distinct orders (<see cref="HoldsCells"/>).</summary>
    public int Orders { get; private set; }

    /// <summary>A cell's return lines (<see cref="HoldsCells"/>).</summary>
    public int Returns { get; private set; }

    /// <summary>A cell's distinct order keys, <c>[Orders]</c> (<see cref="HoldsCells"/>).</summary>
    public ReadOnlySpan<ulong> OrderKeys => _orderKeys.AsSpan(0, Orders);

    /// <summary>A row's amount (rows).</summary>
    public double Amount { get; private set; }

    /// <summary>A row's quantity (rows).</summary>
    public double Quantity { get; private set; }

    /// <summary>A row's order key (rows).</summary>
    public ulong OrderKey { get; private set; }

    /// <summary>Reads the next record; false at the end of the run.</summary>
    public bool MoveNext()
    {
        if (_left == 0)
        {
            return false;
        }

        _left--;
        _idLength = _reader.Read7BitEncodedInt();
        if (_id.Length < _idLength)
        {
            _id = new byte[_idLength * 2];
        }

        _reader.BaseStream.ReadExactly(_id, 0, _idLength);
        Bucket = _reader.ReadInt32();
        if (HoldsCells)
        {
            NetSpend = _reader.ReadDouble();
            Items = _reader.ReadDouble();
            Orders = _reader.ReadInt32();
            Returns = _reader.ReadInt32();
            if (_orderKeys.Length < Orders)
            {
                _orderKeys = new ulong[Orders * 2];
            }

            for (var k = 0; k < Orders; k++)
            {
                _orderKeys[k] = _reader.ReadUInt64();
            }
        }
        else
        {
            Amount = _reader.ReadDouble();
            Quantity = _reader.ReadDouble();
            OrderKey = _reader.ReadUInt64();
        }

        return true;
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>Orders readers by their current record: customer id (ordinal), bucket, then run sequence.</summary>
    internal sealed class RecordOrder : IComparer<CellRunReader>
    {
        public static readonly RecordOrder Instance = new();

        public int Compare(CellRunReader? x, CellRunReader? y)
        {
            var order = IdOrder.Compare(x!.Id, y!.Id);
            order = order != 0 ? order : x.Bucket.CompareTo(y.Bucket);
            return order != 0 ? order : x.Sequence.CompareTo(y.Sequence);
        }
    }
}
