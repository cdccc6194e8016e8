using System.Runtime.CompilerServices;

namespace Clv.Modeling.Features;

/// <summary>
/// The set of (cell, order key) pairs of cells with two or more distinct orders: open addressing over one array of
/// 16-byte entries. Hand-written because <see cref="HashSet{T}"/> of tuples spends most of aggregation's time here
/// on large exports (an entry object per pair, two arrays to touch, and a full rehash at every growth).
/// </summary>
internal sealed class OrderKeySet
{
    private const int InitialCapacity = 1 << 10;

    private Entry[] _entries = LargeArray.Zeroed<Entry>(InitialCapacity);
    private int _count;

    public int Count => _count;

    /// <summary>Adds the pair; false when it was already there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(long cell, ulong key)
    {
        var mask = _entries.Length - 1;
        var slot = Slot(cell, key, mask);
        var stored = cell + 1;
        while (true)
        {
            ref var entry = ref _entries[slot];
            if (entry.CellPlusOne == 0)
            {
                entry.CellPlusOne = stored;
                entry.Key = key;
                if (++_count * 2 > _entries.Length)
                {
                    Grow();
                }

                return true;
            }

            if (entry.CellPlusOne == stored && entry.Key == key)
            {
                return false;
            }

            slot = (slot + 1) & mask;
        }
    }

    /// <summary>Bytes of the entry table.</summary>
    public long HeldBytes => (long)_entries.Length * Unsafe.SizeOf<Entry>();

    /// <summary>Every (cell, key) pair, sorted by cell then key.</summary>
    public (long Cell, ulong Key)[] ToSortedArray()
    {
        var pairs = new (long Cell, ulong Key)[_count];
        var n = 0;
        foreach (var entry in _entries)
        {
            if (entry.CellPlusOne != 0)
            {
                pairs[n++] = (entry.CellPlusOne - 1, entry.Key);
            }
        }

        Array.Sort(pairs);
        return pairs;
    }

    /// <summary>Frees the entries.</summary>
    public void Clear()
    {
        _entries = LargeArray.Zeroed<Entry>(InitialCapacity);
        _count = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(long cell, ulong key, int mask)
    {
        var hash = ((ulong)cell * 0x9E3779B97F4A7C15UL) ^ key;
        hash ^= hash >> 29;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 32;
        return (int)hash & mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Grow()
    {
        var old = _entries;
        _entries = LargeArray.Zeroed<Entry>(old.Length * 2);
        var mask = _entries.Length - 1;
        foreach (var entry in old)
        {
            if (entry.CellPlusOne != 0)
            {
                var slot = Slot(entry.CellPlusOne - 1, entry.Key, mask);
                while (_entries[slot].CellPlusOne != 0)
                {
                    slot = (slot + 1) & mask;
                }

                _entries[slot] = entry;
            }
        }
    }

    private struct Entry
    {
        public long CellPlusOne;
        public ulong Key;
    }
}
