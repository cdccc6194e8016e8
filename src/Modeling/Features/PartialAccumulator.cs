using System.Runtime.CompilerServices;
using System.Text;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Features;

/// <summary>
/// Sums accepted rows into (customer, bucket) cells while an export streams by; memory grows with cells, not rows.
/// </summary>
/// <remarks>
/// Orders are distinct order keys per cell: the order id's 64-bit FNV-1a hash, or the day when there is no order id
/// (one order per customer per day). The first key of a cell is kept inline; further distinct keys go to a side set,
/// so exact counting costs memory only for cells with two or more orders.
/// Cells of one customer form a chain, newest first; a row in a later bucket than any seen for its customer (the
/// usual case in time-ordered exports) makes a new cell without a search. <see cref="ToPartials"/> is called once, at the end.
/// </remarks>
internal sealed class PartialAccumulator
{
    private const ulong DayKeyFlag = 1UL << 63;
    private const int MaxStackCustomerBytes = 1024;

    private readonly BucketSize _bucket;
    private readonly Utf8IdTable _customers = new();
    private readonly HashSet<(int Cell, ulong Key)> _extraOrders = [];
    private Cell[] _cells = new Cell[1024];
    private int _cellCount;
    private byte[] _lastCustomer = new byte[64];
    private int _lastCustomerLength = -1;
    private int _lastCustomerIndex;
    private int[] _customerLastBucket = new int[1024];
    private int[] _customerLastCell = new int[1024];
    private int[] _customerHead = new int[1024];
    private int[] _customerMaxBucket = new int[1024];

    public PartialAccumulator(BucketSize bucket)
    {
        _bucket = bucket;
    }

    /// <summary>Net spend of every accepted row.</summary>
    public double TotalSpend { get; private set; }

    public int CustomerCount => _customers.Count;

    public int CellCount => _cellCount;

    /// <summary>The key that identifies a row's order within a cell: the order id's hash, or the day when there is no order id.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong OrderKey(ReadOnlySpan<byte> orderIdUtf8, int dayNumber) =>
        orderIdUtf8.IsEmpty ? DayKeyFlag | (uint)dayNumber : Fnv1a(orderIdUtf8) & ~DayKeyFlag;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ReadOnlySpan<byte> customerUtf8, int dayNumber, double amount, double quantity, ReadOnlySpan<byte> orderIdUtf8) =>
        Add(customerUtf8, dayNumber, amount, quantity, OrderKey(orderIdUtf8, dayNumber));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(ReadOnlySpan<byte> customerUtf8, int dayNumber, double amount, double quantity, ulong orderKey)
    {
        int customer;
        if (_lastCustomerLength == customerUtf8.Length && customerUtf8.SequenceEqual(_lastCustomer.AsSpan(0, _lastCustomerLength)))
        {
            customer = _lastCustomerIndex;
        }
        else
        {
            customer = CustomerIndex(customerUtf8);
            if (customerUtf8.Length > _lastCustomer.Length)
            {
                _lastCustomer = new byte[customerUtf8.Length * 2];
            }

            customerUtf8.CopyTo(_lastCustomer);
            _lastCustomerLength = customerUtf8.Length;
            _lastCustomerIndex = customer;
        }

        AddToCustomer(customer, dayNumber, amount, quantity, orderKey);
    }

    public void Add(in Transaction transaction)
    {
        var customer = CustomerIndex(transaction.CustomerId);
        var dayNumber = DateOnly.FromDateTime(transaction.Timestamp).DayNumber;
        ulong key;
        if (string.IsNullOrEmpty(transaction.OrderId))
        {
            key = DayKeyFlag | (uint)dayNumber;
        }
        else
        {
            key = Fnv1a(Encoding.UTF8.GetBytes(transaction.OrderId)) & ~DayKeyFlag;
        }

        AddToCustomer(customer, dayNumber, transaction.Amount, transaction.Quantity, key);
    }

    /// <summary>The cells as partial aggregates, sorted by customer id (ordinal) then bucket.</summary>
    public PartialAggregates ToPartials()
    {
        // The order-id set is no longer needed: free it before allocating the output columns.
        _extraOrders.Clear();
        _extraOrders.TrimExcess();
        var customers = _customers.Ids;
        var customerRank = RankCustomers(customers);
        var keys = new long[_cellCount];
        var order = new int[_cellCount];
        for (var i = 0; i < _cellCount; i++)
        {
            keys[i] = ((long)customerRank[_cells[i].Customer] << 32) | (uint)_cells[i].Bucket;
            order[i] = i;
        }

        Array.Sort(keys, order);
        var ids = new string[_cellCount];
        var starts = new DateOnly[_cellCount];
        var netSpend = new double[_cellCount];
        var orders = new int[_cellCount];
        var items = new double[_cellCount];
        var returns = new int[_cellCount];
        for (var i = 0; i < _cellCount; i++)
        {
            ref readonly var cell = ref _cells[order[i]];
            ids[i] = customers[cell.Customer];
            starts[i] = BucketMath.Start(cell.Bucket, _bucket);
            netSpend[i] = cell.NetSpend;
            orders[i] = cell.Orders;
            items[i] = cell.Items;
            returns[i] = cell.Returns;
        }

        return new PartialAggregates(_bucket, ids, starts, netSpend, orders, items, returns, validate: false);
    }

    /// <summary>Rank of each customer index in ordinal order of the ids.</summary>
    internal static int[] RankCustomers(IReadOnlyList<string> customers)
    {
        var sorted = new int[customers.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = i;
        }

        Array.Sort(sorted, (a, b) => string.CompareOrdinal(customers[a], customers[b]));
        var rank = new int[customers.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            rank[sorted[i]] = i;
        }

        return rank;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddToCustomer(int customer, int dayNumber, double amount, double quantity, ulong orderKey)
    {
        var bucket = BucketMath.Index(dayNumber, _bucket);
        int index;
        if (_customerLastBucket[customer] == bucket)
        {
            // Most rows fall in the customer's latest bucket.
            index = _customerLastCell[customer];
        }
        else
        {
            index = bucket > _customerMaxBucket[customer] ? -1 : FindCell(customer, bucket);
            if (index < 0)
            {
                index = NewCell(customer, bucket);
            }

            _customerLastBucket[customer] = bucket;
            _customerLastCell[customer] = index;
        }

        ref var cell = ref _cells[index];
        cell.NetSpend += amount;
        TotalSpend += amount;
        if (amount < 0)
        {
            cell.Returns++;
            cell.Items -= Math.Abs(quantity);
            return;
        }

        cell.Items += Math.Abs(quantity);
        if (cell.Orders == 0)
        {
            cell.FirstOrderKey = orderKey;
            cell.LastOrderKey = orderKey;
            cell.Orders = 1;
        }
        else if (orderKey != cell.FirstOrderKey && orderKey != cell.LastOrderKey)
        {
            cell.LastOrderKey = orderKey;
            if (_extraOrders.Add((index, orderKey)))
            {
                cell.Orders++;
            }
        }
    }

    /// <summary>The customer's cell for <paramref name="bucket"/>, walking their cells newest first; -1 when there is none.</summary>
    private int FindCell(int customer, int bucket)
    {
        for (var index = _customerHead[customer]; index >= 0; index = _cells[index].Previous)
        {
            if (_cells[index].Bucket == bucket)
            {
                return index;
            }
        }

        return -1;
    }

    private int NewCell(int customer, int bucket)
    {
        if (_cellCount == _cells.Length)
        {
            Array.Resize(ref _cells, _cells.Length * 2);
        }

        var index = _cellCount++;
        _cells[index] = new Cell { Customer = customer, Bucket = bucket, Previous = _customerHead[customer] };
        _customerHead[customer] = index;
        _customerMaxBucket[customer] = Math.Max(_customerMaxBucket[customer], bucket);
        return index;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CustomerIndex(ReadOnlySpan<byte> utf8)
    {
        var count = _customers.Count;
        var index = _customers.GetOrAdd(utf8);
        if (index == count)
        {
            if (index == _customerLastBucket.Length)
            {
                Array.Resize(ref _customerLastBucket, index * 2);
                Array.Resize(ref _customerLastCell, index * 2);
                Array.Resize(ref _customerHead, index * 2);
                Array.Resize(ref _customerMaxBucket, index * 2);
            }

            _customerLastBucket[index] = -1;
            _customerHead[index] = -1;
            _customerMaxBucket[index] = int.MinValue;
        }

        return index;
    }

    private int CustomerIndex(string id)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(id.Length);
        var bytes = maxBytes <= MaxStackCustomerBytes ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var count = Encoding.UTF8.GetBytes(id, bytes);
        return CustomerIndex(bytes[..count]);
    }

    /// <summary>64-bit FNV-1a (order ids are short; a keyed or vectorised hash buys nothing here and needs a package).</summary>
    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    private struct Cell
    {
        public int Customer;
        public int Bucket;
        public double NetSpend;
        public double Items;
        public int Orders;
        public int Returns;
        public ulong FirstOrderKey;
        public ulong LastOrderKey;
        public int Previous;
    }
}
