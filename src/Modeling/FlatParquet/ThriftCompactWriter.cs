using System.Buffers;
using System.Text;

namespace Clv.Modeling.FlatParquet;

/// <summary>
/// Writes the Thrift compact protocol, in which Parquet encodes its page headers and footer (<c>parquet.thrift</c>).
/// Only what a flat file needs: structs, lists, 8/16/32/64-bit integers, booleans and binary.
/// </summary>
/// <remarks>
/// Hand-written because no Thrift library is served for .NET here, and Parquet.Net keeps its own writer internal.
/// </remarks>
internal sealed class ThriftCompactWriter(IBufferWriter<byte> output)
{
    /// <summary>Compact type of list elements that are i32 (and enums).</summary>
    public const byte I32Type = 5;

    /// <summary>Compact type of list elements that are binary (and strings).</summary>
    public const byte BinaryType = 8;

    /// <summary>Compact type of list elements that are structs.</summary>
    public const byte StructType = 12;

    private const byte BoolTrueType = 1;
    private const byte BoolFalseType = 2;
    private const byte ByteType = 3;
    private const byte I16Type = 4;
    private const byte I64Type = 6;
    private const byte ListType = 9;

    private readonly Stack<short> _enclosing = new();
    private short _lastField;

    /// <summary>Starts a struct: the file's or a page's top-level one, or a list element.</summary>
    public void BeginStruct()
    {
        _enclosing.Push(_lastField);
        _lastField = 0;
    }

    /// <summary>Ends the innermost struct.</summary>
    public void EndStruct()
    {
        WriteByte(0);
        _lastField = _enclosing.Pop();
    }

    /// <summary>Starts a struct-valued field; end it with <see cref="EndStruct"/>.</summary>
    public void BeginStructField(short id)
    {
        FieldHeader(id, StructType);
        BeginStruct();
    }

    public void Field(short id, bool value) => FieldHeader(id, value ? BoolTrueType : BoolFalseType);

    public void FieldByte(short id, sbyte value)
    {
        FieldHeader(id, ByteType);
        WriteByte((byte)value);
    }

    public void Field(short id, short value)
    {
        FieldHeader(id, I16Type);
        WriteVarint(ZigZag(value));
    }

    public void Field(short id, int value)
    {
        FieldHeader(id, I32Type);
        WriteVarint(ZigZag(value));
    }

    public void Field(short id, long value)
    {
        FieldHeader(id, I64Type);
        WriteVarint(ZigZag(value));
    }

    public void Field(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(id, BinaryType);
        Binary(value);
    }

    public void Field(short id, string value)
    {
        FieldHeader(id, BinaryType);
        String(value);
    }

    /// <summary>Starts a list-valued field of <paramref name="count"/> elements of <paramref name="elementType"/>; write them next.</summary>
    public void BeginListField(short id, byte elementType, int count)
    {
        FieldHeader(id, ListType);
        if (count < 15)
        {
            WriteByte((byte)((count << 4) | elementType));
        }
        else
        {
            WriteByte((byte)(0xF0 | elementType));
            WriteVarint((uint)count);
        }
    }

    /// <summary>An i32 list element.</summary>
    public void I32(int value) => WriteVarint(ZigZag(value));

    /// <summary>A string list element.</summary>
    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        var span = output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        output.Advance(length);
    }

    private void Binary(ReadOnlySpan<byte> value)
    {
        WriteVarint((uint)value.Length);
        output.Write(value);
    }

    private void FieldHeader(short id, byte type)
    {
        var delta = id - _lastField;
        if (delta is > 0 and <= 15)
        {
            WriteByte((byte)((delta << 4) | type));
        }
        else
        {
            WriteByte(type);
            WriteVarint(ZigZag(id));
        }

        _lastField = id;
    }

    private static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private void WriteVarint(ulong value)
    {
        var span = output.GetSpan(10);
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        output.Advance(length);
    }
}
