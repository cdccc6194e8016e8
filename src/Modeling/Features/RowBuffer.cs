using System.Runtime.CompilerServices;

namespace Clv.Modeling.Features;

/// <summary>
/// Accepted rows kept as they are, in file order, once a featurize thread has spilled its cells; written out sorted by
/// (customer, bucket) and then file order, so each cell's rows stay in the order they are summed in.
/// </summary>
internal sealed class RowBuffer
{
    private readonly SegmentedArray<Row> _rows = new();
    private byte[] _ids = new byte[1 << 16];
    private int[] _order = [];
    private int _idBytes;

    public int Count { get; private set; }

    /// <summary>Bytes the rows in the buffer take: the row, its id bytes and its place in the sort.</summary>
    public long HeldBytes => ((long)Count * (Unsafe.SizeOf<Row>() + sizeof(int))) + _idBytes;

    /// <summary>Adds every row of <paramref name="block"/>, in order.</summary>
    public void Add(RowBlock block)
    {
        var keys = block.Keys;
        var buckets = block.Buckets;
        var amounts = block.Amounts;
        var quantities = block.Quantities;
        var orderKeys = block.OrderKeys;
        for (var i = 0; i < keys.Length; i++)
        {
            var id = block.Id(i);
            if (_idBytes + id.Length > _ids.Length)
            {
                Array.Resize(ref _ids, Math.Max(_ids.Length * 2, _idBytes + id.Length));
            }

            id.CopyTo(_ids.AsSpan(_idBytes));
            var row = Count++;
            _rows.EnsureIndex(row);
            _rows[row] = new Row
            {
                Key = IdSortKey.Of(keys[i], id),
                IdOffset = _idBytes,
                IdLength = id.Length,
                Bucket = buckets[i],
                Amount = amounts[i],
                Quantity = quantities[i],
                OrderKey = orderKeys[i],
            };
            _idBytes += id.Length;
        }
    }

    /// <summary>Writes the rows sorted by (customer id, bucket, file order).</summary>
    public void WriteSorted(BinaryWriter writer)
    {
        if (_order.Length < Count)
        {
            _order = new int[Math.Max(Count, _order.Length * 2)];
        }

        var order = _order.AsSpan(0, Count);
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        order.Sort(Compare);
        foreach (var index in order)
        {
            ref readonly var row = ref _rows[index];
            writer.Write7BitEncodedInt(row.IdLength);
            writer.Write(_ids.AsSpan(row.IdOffset, row.IdLength));
            writer.Write(row.Bucket);
            writer.Write(row.Amount);
            writer.Write(row.Quantity);
            writer.Write(row.OrderKey);
        }
    }

    /// <summary>Empties the buffer, keeping its arrays for the next run.</summary>
    public void Clear()
    {
        Count = 0;
        _idBytes = 0;
    }

    private int Compare(int a, int b)
    {
        ref readonly var x = ref _rows[a];
        ref readonly var y = ref _rows[b];
        var order = IdOrder.Compare(x.Key, _ids.AsSpan(x.IdOffset, x.IdLength), y.Key, _ids.AsSpan(y.IdOffset, y.IdLength));
        if (order != 0)
        {
            return order;
        }

        order = x.Bucket.CompareTo(y.Bucket);
        return order != 0 ? order : a.CompareTo(b);
    }

    private struct Row
    {
        public IdSortKey Key;
        public int IdOffset;
        public int IdLength;
        public int Bucket;
        public double Amount;
        public double Quantity;
        public ulong OrderKey;
    }
}
