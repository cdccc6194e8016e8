using System.Collections.Concurrent;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Features;

/// <summary>
/// Hands parsed rows from the parsing thread to one aggregating thread in batches, so parsing and aggregating
/// overlap on two cores. Batches are processed in file order, so the result is the same as aggregating inline.
/// </summary>
internal sealed class RowPipeline : IDisposable
{
    private const int BatchCount = 6;

    private readonly PartialAccumulator _accumulator;
    private readonly BlockingCollection<RowBatch> _full = new(BatchCount);
    private readonly BlockingCollection<RowBatch> _free = new(BatchCount);
    private readonly Task _aggregator;
    private RowBatch _current;

    public RowPipeline(PartialAccumulator accumulator)
    {
        _accumulator = accumulator;
        for (var i = 0; i < BatchCount - 1; i++)
        {
            _free.Add(new RowBatch());
        }

        _current = new RowBatch();
        _aggregator = Task.Factory.StartNew(Aggregate, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public void Add(in ParsedRow row)
    {
        if (!_current.TryAdd(row))
        {
            Send();
            _current.TryAdd(row);
        }
    }

    /// <summary>Sends the last batch and waits until every row is aggregated.</summary>
    public void Complete()
    {
        if (_current.Count > 0)
        {
            Send();
        }

        _full.CompleteAdding();
        _aggregator.GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (!_full.IsAddingCompleted)
        {
            _full.CompleteAdding();
        }

        // Let the aggregating thread drain before the collections go away; its failure, if any, was already reported.
        try
        {
            _aggregator.Wait();
        }
        catch (AggregateException)
        {
        }

        _full.Dispose();
        _free.Dispose();
    }

    private void Send()
    {
        try
        {
            _full.Add(_current);
            _current = _free.Take();
        }
        catch (InvalidOperationException) when (_aggregator.IsFaulted)
        {
            _aggregator.GetAwaiter().GetResult();
            throw;
        }
    }

    private void Aggregate()
    {
        try
        {
            foreach (var batch in _full.GetConsumingEnumerable())
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    _accumulator.Add(batch.Id(i), batch.Days[i], batch.Amounts[i], batch.Quantities[i], batch.OrderKeys[i]);
                }

                batch.Clear();
                _free.Add(batch);
            }
        }
        catch
        {
            _free.CompleteAdding();
            _full.CompleteAdding();
            throw;
        }
    }

    /// <summary>Rows in column arrays, customer ids copied into one byte arena.</summary>
    private sealed class RowBatch
    {
        private const int Capacity = 16_384;
        private const int ArenaBytes = Capacity * 16;

        private byte[] _ids = new byte[ArenaBytes];
        private int _idsUsed;

        public int Count { get; private set; }

        public int[] IdOffsets { get; } = new int[Capacity];

        public int[] IdLengths { get; } = new int[Capacity];

        public int[] Days { get; } = new int[Capacity];

        public double[] Amounts { get; } = new double[Capacity];

        public double[] Quantities { get; } = new double[Capacity];

        public ulong[] OrderKeys { get; } = new ulong[Capacity];

        public ReadOnlySpan<byte> Id(int index) => _ids.AsSpan(IdOffsets[index], IdLengths[index]);

        public bool TryAdd(in ParsedRow row)
        {
            var id = row.CustomerId;
            if (Count == Capacity || (_idsUsed + id.Length > _ids.Length && Count > 0))
            {
                return false;
            }

            if (_idsUsed + id.Length > _ids.Length)
            {
                _ids = new byte[id.Length * 2];
            }

            id.CopyTo(_ids.AsSpan(_idsUsed));
            IdOffsets[Count] = _idsUsed;
            IdLengths[Count] = id.Length;
            _idsUsed += id.Length;
            Days[Count] = row.DayNumber;
            Amounts[Count] = row.Amount;
            Quantities[Count] = row.Quantity;
            OrderKeys[Count] = PartialAccumulator.OrderKey(row.OrderId, row.DayNumber);
            Count++;
            return true;
        }

        public void Clear()
        {
            Count = 0;
            _idsUsed = 0;
        }
    }
}
