using System.Text;

namespace Clv.Modeling.Features;

/// <summary>
/// Orders UTF-8 customer ids as <see cref="string.CompareOrdinal(string, string)"/> orders the decoded ids, the order of
/// partials files: byte order while the ids agree or differ at an ASCII byte, the decoded ids otherwise (UTF-8 byte
/// order and UTF-16 ordinal order part where a character above U+FFFF meets one in U+E000..U+FFFF).
/// </summary>
internal static class IdOrder
{
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var common = a.CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length.CompareTo(b.Length);
        }

        var x = a[common];
        var y = b[common];
        return x < 0x80 && y < 0x80 ? x - y : string.CompareOrdinal(Encoding.UTF8.GetString(a), Encoding.UTF8.GetString(b));
    }

    /// <summary>
    /// Compares two ids by their sort keys (the first 16 bytes as big-endian words) where that decides, by the ids
    /// themselves otherwise; 0 when the ids are equal.
    /// </summary>
    public static int Compare(in IdSortKey a, ReadOnlySpan<byte> idA, in IdSortKey b, ReadOnlySpan<byte> idB)
    {
        if (a.Ascii && b.Ascii && (a.High != b.High || a.Low != b.Low))
        {
            return a.High != b.High ? a.High.CompareTo(b.High) : a.Low.CompareTo(b.Low);
        }

        return Compare(idA, idB);
    }
}

/// <summary>An id's first 16 bytes as big-endian words (their order is the bytes' order) and whether the id is ASCII.</summary>
/// <param name="High">Bytes 0..7.</param>
/// <param name="Low">Bytes 8..15.</param>
/// <param name="Ascii">Whether every byte of the id is ASCII (then byte order is ordinal order).</param>
internal readonly record struct IdSortKey(ulong High, ulong Low, bool Ascii)
{
    public static IdSortKey Of(in CustomerKey key, ReadOnlySpan<byte> id) =>
        new(ReverseIfLittleEndian(key.Head0), ReverseIfLittleEndian(key.Head1), System.Text.Ascii.IsValid(id));

    private static ulong ReverseIfLittleEndian(ulong value) => BitConverter.IsLittleEndian ? System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value) : value;
}
