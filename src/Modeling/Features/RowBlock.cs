using System.Runtime.CompilerServices;
namespace Clv.Modeling.Features;

/// <summary>Accepted rows for one aggregator, in columns, with the customer ids copied into one byte arena.</summary>
internal sealed class RowBlock
{
    private const int InitialRows = 1 << 14;

    private CustomerKey[] _keys = new CustomerKey[InitialRows];
    private int[] _idOffsets = new int[InitialRows];
    private int[] _buckets = new int[InitialRows];
    private double[] _amounts = new double[InitialRows];
    private double[] _quantities = new double[InitialRows];
    private ulong[] _orderKeys = new ulong[InitialRows];
    private byte[] _ids = new byte[InitialRows * 16];
    private int _idBytes;

    public int Count { get; private set; }

    public ReadOnlySpan<CustomerKey> Keys => _keys.AsSpan(0, Count);

    public ReadOnlySpan<int> Buckets => _buckets.AsSpan(0, Count);

    public ReadOnlySpan<double> Amounts => _amounts.AsSpan(0, Count);

    public ReadOnlySpan<double> Quantities => _quantities.AsSpan(0, Count);

    public ReadOnlySpan<ulong> OrderKeys => _orderKeys.AsSpan(0, Count);

    /// <summary>The UTF-8 customer id of row <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Id(int index) => _ids.AsSpan(_idOffsets[index], _keys[index].Length);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in CustomerKey key, ReadOnlySpan<byte> id, int bucket, double amount, double quantity, ulong orderKey)
    {
        if (Count == _keys.Length)
        {
            var rows = Count * 2;
            Array.Resize(ref _keys, rows);
            Array.Resize(ref _idOffsets, rows);
            Array.Resize(ref _buckets, rows);
            Array.Resize(ref _amounts, rows);
            Array.Resize(ref _quantities, rows);
            Array.Resize(ref _orderKeys, rows);
        }

        if (_idBytes + id.Length > _ids.Length)
        {
            Array.Resize(ref _ids, Math.Max(_ids.Length * 2, _idBytes + id.Length));
        }

        id.CopyTo(_ids.AsSpan(_idBytes));
        var row = Count++;
        _keys[row] = key;
        _idOffsets[row] = _idBytes;
        _idBytes += id.Length;
        _buckets[row] = bucket;
        _amounts[row] = amount;
        _quantities[row] = quantity;
        _orderKeys[row] = orderKey;
    }

    public void Clear()
    {
        Count = 0;
        _idBytes = 0;
    }
}
