using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Clv.Modeling.Features;

/// <summary>
/// Interns ids (customer ids) straight from UTF-8 bytes: open addressing over a byte arena, so a lookup costs one hash
/// of the bytes and one comparison, with no UTF-16 decoding and no string per row. Hand-written because
/// <see cref="Dictionary{TKey, TValue}"/> alternate lookups need chars, and decoding every id showed in profiles.
/// </summary>
internal sealed class Utf8IdTable
{
    private const int InitialCapacity = 1 << 12;

    private readonly List<string> _ids = [];
    private int[] _slots = new int[InitialCapacity];
    private ulong[] _hashes = new ulong[InitialCapacity / 2];
    private int[] _offsets = new int[InitialCapacity / 2];
    private int[] _lengths = new int[InitialCapacity / 2];
    private byte[] _arena = new byte[InitialCapacity * 8];
    private int _arenaUsed;

    public int Count => _ids.Count;

    /// <summary>The ids in insertion order (index = the value <see cref="GetOrAdd"/> returned).</summary>
    public IReadOnlyList<string> Ids => _ids;

    /// <summary>The index of <paramref name="utf8"/>, adding it when new.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAdd(ReadOnlySpan<byte> utf8)
    {
        var hash = Hash(utf8);
        var mask = _slots.Length - 1;
        var slot = (int)hash & mask;
        while (true)
        {
            var entry = _slots[slot] - 1;
            if (entry < 0)
            {
                return Add(utf8, hash, slot);
            }

            if (_hashes[entry] == hash && utf8.SequenceEqual(_arena.AsSpan(_offsets[entry], _lengths[entry])))
            {
                return entry;
            }

            slot = (slot + 1) & mask;
        }
    }

    private int Add(ReadOnlySpan<byte> utf8, ulong hash, int slot)
    {
        var index = _ids.Count;
        if (index == _hashes.Length)
        {
            Array.Resize(ref _hashes, index * 2);
            Array.Resize(ref _offsets, index * 2);
            Array.Resize(ref _lengths, index * 2);
        }

        if (_arenaUsed + utf8.Length > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + utf8.Length));
        }

        utf8.CopyTo(_arena.AsSpan(_arenaUsed));
        _hashes[index] = hash;
        _offsets[index] = _arenaUsed;
        _lengths[index] = utf8.Length;
        _arenaUsed += utf8.Length;
        _ids.Add(Encoding.UTF8.GetString(utf8));
        _slots[slot] = index + 1;
        if ((index + 1) * 2 > _slots.Length)
        {
            Grow();
        }

        return index;
    }

    private void Grow()
    {
        _slots = new int[_slots.Length * 2];
        var mask = _slots.Length - 1;
        for (var i = 0; i < _ids.Count; i++)
        {
            var slot = (int)_hashes[i] & mask;
            while (_slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _slots[slot] = i + 1;
        }
    }

    /// <summary>A multiply-rotate hash over 8-byte words with a final avalanche (murmur3 fmix64); ids are short.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        const ulong Prime = 0x9E3779B97F4A7C15UL;
        var hash = (ulong)bytes.Length * Prime;
        while (bytes.Length >= 8)
        {
            hash = ulong.RotateLeft((hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * Prime, 31);
            bytes = bytes[8..];
        }

        ulong tail = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            tail |= (ulong)bytes[i] << (8 * i);
        }

        hash = (hash ^ tail) * Prime;
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        hash *= 0xC4CEB9FE1A85EC53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
