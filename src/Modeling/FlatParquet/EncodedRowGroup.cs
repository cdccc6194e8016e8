using System.Buffers;
using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using Snappier;

namespace Clv.Modeling.FlatParquet;

/// <summary>
/// One row group of a flat file, encoded and ready to append: each column one data page (v1) of PLAIN values,
/// Snappy-compressed, with its statistics. Row groups encode independently of each other and of the file, so several
/// can be encoded at once while <see cref="FlatParquetWriter"/> appends finished ones in order.
/// </summary>
/// <remarks>
/// Add the columns in the file's order with the <c>Add</c> methods. The buffers are rented: dispose the row group once
/// it is written.
/// </remarks>
internal sealed class EncodedRowGroup : IDisposable
{
    /// <summary>Days from 0001-01-01 to 1970-01-01, where Parquet's dates count from.</summary>
    private static readonly int UnixEpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    private readonly List<EncodedColumnChunk> _chunks = [];
    private readonly ArrayBufferWriter<byte> _header = new(64);
    private byte[] _values;
    private byte[] _bytes;
    private int _length;

    /// <summary>Starts a row group of <paramref name="rows"/> rows.</summary>
    public EncodedRowGroup(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (!BitConverter.IsLittleEndian)
        {
            // Values are copied as they lie in memory; Parquet's PLAIN encoding is little-endian.
            throw new PlatformNotSupportedException("Writing Parquet needs a little-endian processor.");
        }

        Rows = rows;
        _values = ArrayPool<byte>.Shared.Rent(Math.Max(rows * sizeof(double), 256));
        _bytes = ArrayPool<byte>.Shared.Rent(Math.Max(rows * sizeof(double), 256));
    }

    /// <summary>Rows in every column.</summary>
    public int Rows { get; }

    /// <summary>The encoded column chunks, back to back, as they go into the file.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes.AsMemory(0, _length);

    /// <summary>Where each column's chunk lies in <see cref="Bytes"/>, its sizes and statistics, in the order added.</summary>
    public IReadOnlyList<EncodedColumnChunk> Chunks => _chunks;

    /// <summary>Adds a string column (UTF-8 in the file).</summary>
    public void AddStrings(ReadOnlySpan<string> values)
    {
        CheckRows(values.Length);
        var length = 0;
        var (minStart, minLength, maxStart, maxLength) = (0, -1, 0, -1);
        foreach (var value in values)
        {
            EnsureValues(length + sizeof(int) + Encoding.UTF8.GetMaxByteCount(value.Length), keep: length);
            var start = length + sizeof(int);
            var written = Encoding.UTF8.GetBytes(value, _values.AsSpan(start));
            BinaryPrimitives.WriteInt32LittleEndian(_values.AsSpan(length), written);
            length = start + written;

            // Byte arrays order as unsigned bytes, lexicographically (Parquet's order for UTF-8 strings).
            var bytes = _values.AsSpan(start, written);
            if (minLength < 0 || bytes.SequenceCompareTo(_values.AsSpan(minStart, minLength)) < 0)
            {
                (minStart, minLength) = (start, written);
            }

            if (maxLength < 0 || bytes.SequenceCompareTo(_values.AsSpan(maxStart, maxLength)) > 0)
            {
                (maxStart, maxLength) = (start, written);
            }
        }

        AddPage(
            FlatColumnType.String,
            length,
            minLength < 0 ? null : _values.AsSpan(minStart, minLength).ToArray(),
            maxLength < 0 ? null : _values.AsSpan(maxStart, maxLength).ToArray());
    }

    /// <summary>Adds a date column.</summary>
    public void AddDates(ReadOnlySpan<DateOnly> values)
    {
        CheckRows(values.Length);
        var length = values.Length * sizeof(int);
        EnsureValues(length, keep: 0);
        var days = MemoryMarshal.Cast<byte, int>(_values.AsSpan(0, length));
        for (var i = 0; i < values.Length; i++)
        {
            days[i] = values[i].DayNumber - UnixEpochDayNumber;
        }

        AddInt32Page(FlatColumnType.Date, days);
    }

    /// <summary>Adds a 32-bit integer column.</summary>
    public void AddInt32s(ReadOnlySpan<int> values)
    {
        CheckRows(values.Length);
        var length = values.Length * sizeof(int);
        EnsureValues(length, keep: 0);
        var copy = MemoryMarshal.Cast<byte, int>(_values.AsSpan(0, length));
        values.CopyTo(copy);
        AddInt32Page(FlatColumnType.Int32, copy);
    }

    /// <summary>Adds a double column.</summary>
    public void AddDoubles(ReadOnlySpan<double> values)
    {
        CheckRows(values.Length);
        var length = values.Length * sizeof(double);
        EnsureValues(length, keep: 0);
        MemoryMarshal.AsBytes(values).CopyTo(_values);
        byte[]? min = null, max = null;
        if (!values.IsEmpty && !TensorPrimitives.IsNaNAny(values))
        {
            // As the format asks: a zero minimum is written as -0.0 and a zero maximum as +0.0, since both zeros may be
            // among the values. Without NaNs, which have no place in the order, there are no statistics.
            var low = TensorPrimitives.Min(values);
            var high = TensorPrimitives.Max(values);
            min = BitConverter.GetBytes(low == 0 ? -0.0 : low);
            max = BitConverter.GetBytes(high == 0 ? 0.0 : high);
        }

        AddPage(FlatColumnType.Double, length, min, max);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_values);
        ArrayPool<byte>.Shared.Return(_bytes);
        _values = [];
        _bytes = [];
    }

    private void AddInt32Page(FlatColumnType type, ReadOnlySpan<int> values)
    {
        byte[]? min = null, max = null;
        if (!values.IsEmpty)
        {
            min = BitConverter.GetBytes(TensorPrimitives.Min(values));
            max = BitConverter.GetBytes(TensorPrimitives.Max(values));
        }

        AddPage(type, values.Length * sizeof(int), min, max);
    }

    /// <summary>Compresses the first <paramref name="valueBytes"/> of the value buffer into a page after the chunks so far.</summary>
    private void AddPage(FlatColumnType type, int valueBytes, byte[]? min, byte[]? max)
    {
        var bound = Snappy.GetMaxCompressedLength(valueBytes);
        var compressed = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            var compressedBytes = Snappy.Compress(_values.AsSpan(0, valueBytes), compressed);
            _header.ResetWrittenCount();
            var thrift = new ThriftCompactWriter(_header);
            thrift.BeginStruct();
            thrift.Field(1, ParquetFormat.DataPage);
            thrift.Field(2, valueBytes);
            thrift.Field(3, compressedBytes);
            thrift.BeginStructField(5);
            thrift.Field(1, Rows);
            thrift.Field(2, ParquetFormat.PlainEncoding);
            thrift.Field(3, ParquetFormat.RleEncoding);
            thrift.Field(4, ParquetFormat.RleEncoding);
            thrift.EndStruct();
            thrift.EndStruct();

            var offset = _length;
            var header = _header.WrittenSpan;
            EnsureBytes(offset + header.Length + compressedBytes);
            header.CopyTo(_bytes.AsSpan(offset));
            compressed.AsSpan(0, compressedBytes).CopyTo(_bytes.AsSpan(offset + header.Length));
            _length = offset + header.Length + compressedBytes;
            _chunks.Add(new EncodedColumnChunk(type, offset, header.Length + compressedBytes, header.Length + valueBytes, min, max));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    private void CheckRows(int count)
    {
        if (count != Rows)
        {
            throw new ArgumentException($"A column of {count} values was added to a row group of {Rows} rows.");
        }
    }

    /// <summary>Makes the value buffer at least <paramref name="length"/> bytes, keeping its first <paramref name="keep"/>.</summary>
    private void EnsureValues(int length, int keep)
    {
        if (_values.Length < length)
        {
            Grow(ref _values, length, keep);
        }
    }

    private void EnsureBytes(int length)
    {
        if (_bytes.Length < length)
        {
            Grow(ref _bytes, length, _length);
        }
    }

    private static void Grow(ref byte[] buffer, int length, int keep)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(length, buffer.Length * 2));
        buffer.AsSpan(0, keep).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }
}

/// <summary>
/// One column chunk of an <see cref="EncodedRowGroup"/>: where it starts in the row group's bytes, its size compressed
/// and not (page header included), and its least and greatest values as PLAIN bytes (none when the column is empty, or
/// holds a NaN).
/// </summary>
internal sealed record EncodedColumnChunk(FlatColumnType Type, int Offset, int CompressedBytes, int UncompressedBytes, byte[]? Min, byte[]? Max);
