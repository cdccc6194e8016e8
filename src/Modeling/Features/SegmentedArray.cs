using System.Runtime.CompilerServices;

namespace Clv.Modeling.Features;

/// <summary>
/// An array of structs in fixed segments of 262,144 elements: past the first segment it grows without copying, and
/// without ever holding an old and a new copy at once. The first segment starts small and doubles, so small exports
/// stay small. Hand-written because growing one large array by doubling touched (and, on virtual machines,
/// page-faulted) about twice the final memory, which dominated featurizing large exports.
/// </summary>
internal sealed class SegmentedArray<T>
    where T : unmanaged
{
    private const int SegmentBits = 18;
    private const int SegmentLength = 1 << SegmentBits;
    private const int SegmentMask = SegmentLength - 1;
    private const int FirstLength = 1 << 10;

    private T[][] _segments = [LargeArray.Uninitialized<T>(FirstLength)];
    private int _segmentCount = 1;

    /// <summary>Elements that can be addressed.</summary>
    public int Capacity => ((_segmentCount - 1) << SegmentBits) + _segments[_segmentCount - 1].Length;

    /// <summary>Element <paramref name="index"/> (below <see cref="Capacity"/>).</summary>
    public ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _segments[index >> SegmentBits][index & SegmentMask];
    }

    /// <summary>Grows until <paramref name="index"/> is addressable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureIndex(int index)
    {
        if (index >= Capacity)
        {
            Grow();
        }
    }

    private void Grow()
    {
        var first = _segments[0];
        if (_segmentCount == 1 && first.Length < SegmentLength)
        {
            var larger = LargeArray.Uninitialized<T>(first.Length * 2);
            first.CopyTo(larger.AsSpan());
            _segments[0] = larger;
            return;
        }

        if (_segmentCount == _segments.Length)
        {
            Array.Resize(ref _segments, _segments.Length * 2);
        }

        _segments[_segmentCount++] = LargeArray.Uninitialized<T>(SegmentLength);
    }
}
