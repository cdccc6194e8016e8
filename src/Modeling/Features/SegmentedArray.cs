using System.Runtime.CompilerServices;

namespace Clv.Modeling.Features;

/// <summary>
/// An array of structs in fixed segments of 65,536 elements: it grows without copying, and without ever holding the
/// old and the new copy at once. Hand-written because growing one large array by doubling touched (and, on virtual
/// machines, page-faulted) about twice the final memory, which dominated featurizing large exports.
/// </summary>
internal sealed class SegmentedArray<T>
    where T : struct
{
    private const int SegmentBits = 16;
    private const int SegmentLength = 1 << SegmentBits;
    private const int SegmentMask = SegmentLength - 1;

    private T[][] _segments = new T[4][];
    private int _segmentCount;

    /// <summary>Elements that can be addressed (a multiple of the segment length).</summary>
    public int Capacity => _segmentCount << SegmentBits;

    /// <summary>Element <paramref name="index"/> (below <see cref="Capacity"/>).</summary>
    public ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _segments[index >> SegmentBits][index & SegmentMask];
    }

    /// <summary>Adds segments until <paramref name="index"/> is addressable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureIndex(int index)
    {
        if (index >= Capacity)
        {
            AddSegment();
        }
    }

    private void AddSegment()
    {
        if (_segmentCount == _segments.Length)
        {
            Array.Resize(ref _segments, _segments.Length * 2);
        }

        _segments[_segmentCount++] = GC.AllocateUninitializedArray<T>(SegmentLength);
    }
}
