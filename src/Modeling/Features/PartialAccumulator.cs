using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Features;

/// <summary>
/// Sums accepted rows into (customer, bucket) cells while an export streams by; memory grows with cells, not rows.
/// The featurizer runs one per thread, each owning the customers whose hash falls in its shard.
/// </summary>
/// <remarks>
/// Hand-written because the work is memory-bound: with a million customers every row lands on a random customer, so
/// the layout decides the speed. A row touches one slot of an open-addressing table (a tag and the customer's index)
/// and one 64-byte customer record, which holds the id's first 16 bytes and the customer's open cell (the latest
/// bucket); both are prefetched a few rows ahead. A row in a later bucket closes the open cell into an append-only list
/// (each customer's closed cells form a chain, newest first); a row in an earlier bucket (an export out of time order)
/// finds its cell on that chain.
/// Orders are distinct order keys per cell: the order id's 63-bit hash (the word hash of customer ids), or the day
/// when there is no order id (one order per customer per day). A cell keeps its last key; cells with two or more
/// distinct keys keep them all in a side set, so exact counting costs memory only there.
/// </remarks>
internal sealed class PartialAccumulator
{
    private const ulong DayKeyFlag = 1UL << 63;
    private const int NoBucket = int.MinValue;
    private const int SlotAhead = 16;
    private const int RecordAhead = 8;

    private readonly OrderKeySet _orderKeys = new();
    private readonly SegmentedArray<CustomerRecord> _customers = new();
    private readonly SegmentedArray<int> _idOffsets = new();
    private readonly SegmentedArray<Cell> _cells = new();
    private readonly HashSet<int> _customersOutOfOrder = [];
    private ulong[] _slots = new ulong[1 << 12];
    private byte[] _idArena = new byte[1 << 15];
    private int _idBytes;

    public PartialAccumulator(BucketSize bucket)
    {
        Bucket = bucket;
    }

    public BucketSize Bucket { get; }

    public int CustomerCount { get; private set; }

    /// <summary>Closed cells (each customer's latest cell stays open in its record).</summary>
    public int CellCount { get; private set; }

    /// <summary>The key that identifies a row's order within a cell: the order id's hash, or the day when there is no order id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong OrderKey(ReadOnlySpan<byte> orderIdUtf8, int dayNumber) =>
        orderIdUtf8.IsEmpty ? DayKeyFlag | (uint)dayNumber : CustomerKey.Create(orderIdUtf8).Hash & ~DayKeyFlag;

    /// <summary>Adds every row of <paramref name="block"/>, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Add(RowBlock block)
    {
        var keys = block.Keys;
        var buckets = block.Buckets;
        var amounts = block.Amounts;
        var quantities = block.Quantities;
        var orderKeys = block.OrderKeys;
        for (var i = 0; i < keys.Length; i++)
        {
            if (Sse.IsSupported)
            {
                // Rows land on random customers: fetch the slot of a row further ahead, then the record of a nearer
                // one (its slot arrived meanwhile), so the misses of several rows overlap.
                var slots = _slots;
                var mask = slots.Length - 1;
                if (i + SlotAhead < keys.Length)
                {
                    Sse.Prefetch0(Unsafe.AsPointer(ref slots[(int)keys[i + SlotAhead].Hash & mask]));
                }

                if (i + RecordAhead < keys.Length)
                {
                    var hash = keys[i + RecordAhead].Hash;
                    var entry = slots[(int)hash & mask];
                    if (entry != 0 && (uint)(entry >> 32) == (uint)(hash >> 32))
                    {
                        var record = (byte*)Unsafe.AsPointer(ref _customers[(int)(uint)entry - 1]);
                        Sse.Prefetch0(record);
                        Sse.Prefetch0(record + sizeof(CustomerRecord) - 1);
                    }
                }
            }

            Add(keys[i], block.Id(i), buckets[i], amounts[i], quantities[i], orderKeys[i]);
        }
    }

    /// <summary>Adds one row of customer <paramref name="id"/> (whose key is <paramref name="key"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in CustomerKey key, ReadOnlySpan<byte> id, int bucket, double amount, double quantity, ulong orderKey)
    {
        var customer = FindOrAdd(key, id);
        ref var record = ref _customers[customer];
        if (bucket != record.OpenBucket)
        {
            if (bucket < record.OpenBucket)
            {
                AddToClosedCell(customer, ref record, bucket, amount, quantity, orderKey);
                return;
            }

            if (record.OpenBucket != NoBucket)
            {
                Close(customer, ref record);
            }

            record.OpenBucket = bucket;
            record.NetSpend = 0;
            record.Items = 0;
            record.Orders = 0;
            record.Returns = 0;
        }

        AddRow(CellId(customer, bucket), amount, quantity, orderKey, ref record.NetSpend, ref record.Items, ref record.Orders, ref record.Returns, ref record.LastOrderKey);
    }

    /// <summary>Adds one transaction (live scoring requests and tests).</summary>
    public void Add(in Transaction transaction)
    {
        var id = Encoding.UTF8.GetBytes(transaction.CustomerId);
        var dayNumber = DateOnly.FromDateTime(transaction.Timestamp).DayNumber;
        var orderKey = OrderKey(Encoding.UTF8.GetBytes(transaction.OrderId ?? string.Empty), dayNumber);
        Add(CustomerKey.Create(id), id, BucketMath.Index(dayNumber, Bucket), transaction.Amount, transaction.Quantity, orderKey);
    }

    /// <summary>The cells as partial aggregates, sorted by customer id (ordinal) then bucket.</summary>
    public PartialAggregates ToPartials() => PartialsAssembler.Assemble([this]);

    /// <summary>
    /// Bytes the tables hold (their capacity, not their fill): customer records, id bytes, hash slots, cells and the
    /// order-key set. The featurizer checks its memory budget against this.
    /// </summary>
    internal long HeldBytes =>
        ((long)_customers.Capacity * Unsafe.SizeOf<CustomerRecord>())
        + ((long)_idOffsets.Capacity * sizeof(int))
        + ((long)_cells.Capacity * Unsafe.SizeOf<Cell>())
        + ((long)_slots.Length * sizeof(ulong))
        + _idArena.Length
        + _orderKeys.HeldBytes
        + ((long)_customersOutOfOrder.Count * 16);

    /// <summary>The distinct order keys of every cell that has two or more, sorted by cell (<see cref="CellId"/>) then key.</summary>
    internal (long Cell, ulong Key)[] SortedOrderKeys() => _orderKeys.ToSortedArray();

    /// <summary>Frees what only adding rows needs (called once, when every row is in).</summary>
    internal void Finish() => _orderKeys.Clear();

    /// <summary>The UTF-8 id of customer <paramref name="customer"/>.</summary>
    internal ReadOnlySpan<byte> Id(int customer) => _idArena.AsSpan(_idOffsets[customer], _customers[customer].Length);

    /// <summary>The id's first 16 bytes as big-endian words (their order is the bytes' order) and its length.</summary>
    internal (ulong High, ulong Low, int Length) SortKey(int customer)
    {
        ref readonly var record = ref _customers[customer];
        return (ReverseIfLittleEndian(record.Head0), ReverseIfLittleEndian(record.Head1), record.Length);
    }

    /// <summary>How many closed cells customer <paramref name="customer"/> has.</summary>
    internal int ClosedCellsOf(int customer) => _customers[customer].CellCount;

    /// <summary>Whether customer <paramref name="customer"/> has an open cell (every customer with a row has one).</summary>
    internal bool HasOpenCell(int customer) => _customers[customer].OpenBucket != NoBucket;

    /// <summary>How many cells customer <paramref name="customer"/> has: the closed ones and the open one.</summary>
    internal int CellsOf(int customer) => ClosedCellsOf(customer) + (HasOpenCell(customer) ? 1 : 0);

    /// <summary>The customer's open cell, which has a later bucket than any of their closed cells.</summary>
    internal Cell OpenCellOf(int customer)
    {
        ref readonly var record = ref _customers[customer];
        return new Cell
        {
            Customer = customer,
            Bucket = record.OpenBucket,
            NetSpend = record.NetSpend,
            Items = record.Items,
            LastOrderKey = record.LastOrderKey,
            Orders = record.Orders,
            Returns = record.Returns,
            Previous = record.Chain,
        };
    }

    /// <summary>Customers with a cell made after a later bucket's (rows out of time order): their cells are not in bucket order.</summary>
    internal IReadOnlyCollection<int> CustomersOutOfOrder => _customersOutOfOrder;

    internal ref readonly Cell CellAt(int index) => ref _cells[index];

    private static ulong ReverseIfLittleEndian(ulong value) => BitConverter.IsLittleEndian ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value) : value;

    /// <summary>The id of cell (customer, bucket) in the order-key set.</summary>
    internal static long CellId(int customer, int bucket) => ((long)customer << 32) | (uint)bucket;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddRow(long cellId, double amount, double quantity, ulong orderKey, ref double netSpend, ref double items, ref int orders, ref int returns, ref ulong lastOrderKey)
    {
        netSpend += amount;
        if (amount < 0)
        {
            returns++;
            items -= Math.Abs(quantity);
            return;
        }

        items += Math.Abs(quantity);
        if (orders == 0)
        {
            lastOrderKey = orderKey;
            orders = 1;
        }
        else if (orderKey != lastOrderKey)
        {
            if (orders == 1)
            {
                _orderKeys.Add(cellId, lastOrderKey);
            }

            if (_orderKeys.Add(cellId, orderKey))
            {
                orders++;
            }

            lastOrderKey = orderKey;
        }
    }

    private void AddToClosedCell(int customer, ref CustomerRecord record, int bucket, double amount, double quantity, ulong orderKey)
    {
        var index = record.Chain;
        while (index >= 0 && _cells[index].Bucket != bucket)
        {
            index = _cells[index].Previous;
        }

        if (index < 0)
        {
            index = NewCell(customer, ref record, bucket);
            _customersOutOfOrder.Add(customer);
        }

        ref var cell = ref _cells[index];
        AddRow(CellId(customer, bucket), amount, quantity, orderKey, ref cell.NetSpend, ref cell.Items, ref cell.Orders, ref cell.Returns, ref cell.LastOrderKey);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Close(int customer, ref CustomerRecord record)
    {
        var index = NewCell(customer, ref record, record.OpenBucket);
        ref var cell = ref _cells[index];
        cell.NetSpend = record.NetSpend;
        cell.Items = record.Items;
        cell.Orders = record.Orders;
        cell.Returns = record.Returns;
        cell.LastOrderKey = record.LastOrderKey;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NewCell(int customer, ref CustomerRecord record, int bucket)
    {
        var index = CellCount++;
        _cells.EnsureIndex(index);
        _cells[index] = new Cell { Customer = customer, Bucket = bucket, Previous = record.Chain };
        record.Chain = index;
        record.CellCount++;
        return index;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FindOrAdd(in CustomerKey key, ReadOnlySpan<byte> id)
    {
        var tag = (uint)(key.Hash >> 32);
        var mask = _slots.Length - 1;
        var slot = (int)key.Hash & mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return AddCustomer(key, id, slot);
            }

            if ((uint)(entry >> 32) == tag)
            {
                var customer = (int)(uint)entry - 1;
                ref readonly var record = ref _customers[customer];
                if (record.Head0 == key.Head0 && record.Head1 == key.Head1 && record.Length == key.Length
                    && (key.Length <= CustomerKey.InlineBytes || id.SequenceEqual(_idArena.AsSpan(_idOffsets[customer], key.Length))))
                {
                    return customer;
                }
            }

            slot = (slot + 1) & mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int AddCustomer(in CustomerKey key, ReadOnlySpan<byte> id, int slot)
    {
        var customer = CustomerCount++;
        _customers.EnsureIndex(customer);
        _idOffsets.EnsureIndex(customer);

        if (_idBytes + id.Length > _idArena.Length)
        {
            Array.Resize(ref _idArena, Math.Max(_idArena.Length * 2, _idBytes + id.Length));
        }

        id.CopyTo(_idArena.AsSpan(_idBytes));
        _idOffsets[customer] = _idBytes;
        _idBytes += id.Length;
        _customers[customer] = new CustomerRecord
        {
            Head0 = key.Head0,
            Head1 = key.Head1,
            Length = key.Length,
            OpenBucket = NoBucket,
            Chain = -1,
        };
        _slots[slot] = ((ulong)(uint)(key.Hash >> 32) << 32) | (uint)(customer + 1);
        if (CustomerCount * 2 > _slots.Length)
        {
            GrowSlots();
        }

        return customer;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GrowSlots()
    {
        var slots = LargeArray.Zeroed<ulong>(_slots.Length * 2);
        var mask = slots.Length - 1;
        for (var customer = 0; customer < CustomerCount; customer++)
        {
            var key = CustomerKey.Create(Id(customer));
            var slot = (int)key.Hash & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = ((ulong)(uint)(key.Hash >> 32) << 32) | (uint)(customer + 1);
        }

        _slots = slots;
    }

    /// <summary>A closed (customer, bucket) cell (packed: 44 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    internal struct Cell
    {
        public int Customer;
        public int Bucket;
        public double NetSpend;
        public double Items;
        public ulong LastOrderKey;
        public int Orders;
        public int Returns;
        public int Previous;
    }

    /// <summary>One customer: the id's first bytes, the open cell's sums, and the chain of closed cells (one cache line).</summary>
    private struct CustomerRecord
    {
        public ulong Head0;
        public ulong Head1;
        public double NetSpend;
        public double Items;
        public ulong LastOrderKey;
        public int Length;
        public int OpenBucket;
        public int Orders;
        public int Returns;
        public int Chain;
        public int CellCount;
    }
}
