using System.Buffers;
using System.Buffers.Binary;

namespace Clv.Modeling.FlatParquet;

/// <summary>
/// Writes a Parquet file of flat, required columns from row groups encoded beforehand (<see cref="EncodedRowGroup"/>),
/// appending each as it comes and the footer at the end. Any Parquet reader reads the files: data pages v1, PLAIN
/// values, Snappy, min and max statistics in the columns' own order.
/// </summary>
/// <remarks>
/// Written here rather than with Parquet.Net, which the product uses to read: Parquet.Net encodes a row group on the
/// writing thread, column after column, and takes strings only as .NET strings it transcodes again. Featurizing a large
/// export spent most of its last seconds there, on one core; with row groups encoded apart, two cores share it.
/// </remarks>
internal sealed class FlatParquetWriter
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly Stream _destination;
    private readonly IReadOnlyList<FlatColumn> _columns;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _metadata;
    private readonly List<WrittenRowGroup> _rowGroups = [];
    private long _position;
    private bool _finished;

    private FlatParquetWriter(Stream destination, IReadOnlyList<FlatColumn> columns, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        _destination = destination;
        _columns = columns;
        _metadata = metadata;
    }

    /// <summary>Starts a file of <paramref name="columns"/> in <paramref name="destination"/>, with <paramref name="metadata"/> in its key-value metadata.</summary>
    public static async Task<FlatParquetWriter> CreateAsync(
        Stream destination,
        IReadOnlyList<FlatColumn> columns,
        IReadOnlyList<KeyValuePair<string, string>> metadata,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentOutOfRangeException.ThrowIfZero(columns.Count);
        var writer = new FlatParquetWriter(destination, columns, metadata);
        await destination.WriteAsync(Magic, cancellationToken).ConfigureAwait(false);
        writer._position = Magic.Length;
        return writer;
    }

    /// <summary>Appends <paramref name="rowGroup"/>, whose columns must be the file's, in order.</summary>
    public async Task WriteRowGroupAsync(EncodedRowGroup rowGroup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rowGroup);
        ObjectDisposedException.ThrowIf(_finished, this);
        var chunks = rowGroup.Chunks;
        if (chunks.Count != _columns.Count)
        {
            throw new ArgumentException($"The row group has {chunks.Count} columns; the file has {_columns.Count}.", nameof(rowGroup));
        }

        for (var c = 0; c < chunks.Count; c++)
        {
            if (chunks[c].Type != _columns[c].Type)
            {
                throw new ArgumentException($"Column {c} ('{_columns[c].Name}') of the row group is {chunks[c].Type}; the file's is {_columns[c].Type}.", nameof(rowGroup));
            }
        }

        await _destination.WriteAsync(rowGroup.Bytes, cancellationToken).ConfigureAwait(false);
        _rowGroups.Add(new WrittenRowGroup(_position, rowGroup.Rows, [.. chunks]));
        _position += rowGroup.Bytes.Length;
    }

    /// <summary>Writes the footer; the file is complete.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var footer = new ArrayBufferWriter<byte>(4096);
        WriteFileMetaData(new ThriftCompactWriter(footer));
        var tail = new byte[sizeof(int) + Magic.Length];
        BinaryPrimitives.WriteInt32LittleEndian(tail, footer.WrittenCount);
        Magic.CopyTo(tail, sizeof(int));
        await _destination.WriteAsync(footer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _destination.WriteAsync(tail, cancellationToken).ConfigureAwait(false);
        _finished = true;
    }

    private void WriteFileMetaData(ThriftCompactWriter thrift)
    {
        thrift.BeginStruct();
        thrift.Field(1, ParquetFormat.Version);

        thrift.BeginListField(2, ThriftCompactWriter.StructType, _columns.Count + 1);
        thrift.BeginStruct();
        thrift.Field(4, "schema");
        thrift.Field(5, _columns.Count);
        thrift.EndStruct();
        foreach (var column in _columns)
        {
            WriteSchemaElement(thrift, column);
        }

        thrift.Field(3, _rowGroups.Sum(g => (long)g.Rows));

        thrift.BeginListField(4, ThriftCompactWriter.StructType, _rowGroups.Count);
        for (var g = 0; g < _rowGroups.Count; g++)
        {
            // The ordinal is an i16: past 32,767 row groups it is left out, as it may be.
            WriteRowGroup(thrift, _rowGroups[g], g <= short.MaxValue ? g : -1);
        }

        if (_metadata.Count > 0)
        {
            thrift.BeginListField(5, ThriftCompactWriter.StructType, _metadata.Count);
            foreach (var (key, value) in _metadata)
            {
                thrift.BeginStruct();
                thrift.Field(1, key);
                thrift.Field(2, value);
                thrift.EndStruct();
            }
        }

        thrift.Field(6, $"Clv.Modeling version {typeof(FlatParquetWriter).Assembly.GetName().Version}");

        // The statistics follow each type's own order (signed integers and dates, IEEE doubles, unsigned bytes).
        thrift.BeginListField(7, ThriftCompactWriter.StructType, _columns.Count);
        foreach (var _ in _columns)
        {
            thrift.BeginStruct();
            thrift.BeginStructField(1);
            thrift.EndStruct();
            thrift.EndStruct();
        }

        thrift.EndStruct();
    }

    private static void WriteSchemaElement(ThriftCompactWriter thrift, FlatColumn column)
    {
        var (physical, converted, logical) = Annotation(column.Type);
        thrift.BeginStruct();
        thrift.Field(1, physical);
        thrift.Field(3, ParquetFormat.Required);
        thrift.Field(4, column.Name);
        if (converted is { } convertedType)
        {
            thrift.Field(6, convertedType);
        }

        if (logical is { } member)
        {
            thrift.BeginStructField(10);
            thrift.BeginStructField(member);
            if (column.Type == FlatColumnType.Int32)
            {
                thrift.FieldByte(1, 32);
                thrift.Field(2, true);
            }

            thrift.EndStruct();
            thrift.EndStruct();
        }

        thrift.EndStruct();
    }

    /// <summary>Physical type, converted type (the annotation older readers know) and member of the logical type union.</summary>
    private static (int Physical, int? Converted, short? Logical) Annotation(FlatColumnType type) => type switch
    {
        FlatColumnType.String => (ParquetFormat.ByteArrayType, ParquetFormat.Utf8Converted, ParquetFormat.StringLogical),
        FlatColumnType.Date => (ParquetFormat.Int32Type, ParquetFormat.DateConverted, ParquetFormat.DateLogical),
        FlatColumnType.Int32 => (ParquetFormat.Int32Type, ParquetFormat.Int32Converted, ParquetFormat.IntegerLogical),
        FlatColumnType.Double => (ParquetFormat.DoubleType, null, null),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    private void WriteRowGroup(ThriftCompactWriter thrift, WrittenRowGroup group, int ordinal)
    {
        thrift.BeginStruct();
        thrift.BeginListField(1, ThriftCompactWriter.StructType, group.Chunks.Length);
        for (var c = 0; c < group.Chunks.Length; c++)
        {
            var chunk = group.Chunks[c];
            var start = group.Start + chunk.Offset;
            thrift.BeginStruct();
            thrift.Field(2, start);
            thrift.BeginStructField(3);
            thrift.Field(1, Annotation(chunk.Type).Physical);
            thrift.BeginListField(2, ThriftCompactWriter.I32Type, 2);
            thrift.I32(ParquetFormat.PlainEncoding);
            thrift.I32(ParquetFormat.RleEncoding);
            thrift.BeginListField(3, ThriftCompactWriter.BinaryType, 1);
            thrift.String(_columns[c].Name);
            thrift.Field(4, ParquetFormat.SnappyCodec);
            thrift.Field(5, (long)group.Rows);
            thrift.Field(6, (long)chunk.UncompressedBytes);
            thrift.Field(7, (long)chunk.CompressedBytes);
            thrift.Field(9, start);
            thrift.BeginStructField(12);
            thrift.Field(3, 0L);
            if (chunk.Max is { } max && chunk.Min is { } min)
            {
                thrift.Field(5, max);
                thrift.Field(6, min);
            }

            thrift.EndStruct();
            thrift.EndStruct();
            thrift.EndStruct();
        }

        thrift.Field(2, group.Chunks.Sum(c => (long)c.UncompressedBytes));
        thrift.Field(3, (long)group.Rows);
        thrift.Field(5, group.Start);
        thrift.Field(6, group.Chunks.Sum(c => (long)c.CompressedBytes));
        if (ordinal >= 0)
        {
            thrift.Field(7, (short)ordinal);
        }

        thrift.EndStruct();
    }

    private sealed record WrittenRowGroup(long Start, int Rows, EncodedColumnChunk[] Chunks);
}
