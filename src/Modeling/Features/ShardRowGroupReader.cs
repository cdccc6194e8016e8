using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace Clv.Modeling.Features;

/// <summary>
/// One row group at a time of a shard file being read, checked to continue the (customer, bucket, source) order of
/// the groups before it; a customer's rows share one id string, across groups too.
/// </summary>
/// <remarks>
/// The columns are rented, as the output's are: fresh arrays per shard were large-object garbage, and with several
/// shards in flight it piled up faster than the runtime collected it. Used by compaction's rewrite and by scoring's
/// batched read (<see cref="PartialShard.ReadMergedInBatchesAsync"/>).
/// </remarks>
internal sealed class ShardRowGroupReader(DataField[] fields) : IDisposable
{
    private string? _lastId;
    private DateOnly _lastStart;
    private string? _lastSource;
    private long _rowsRead;

    private RentedCells? _cells;

    public int Count { get; private set; }

    public string[] Ids => _cells?.Ids ?? [];

    public DateOnly[] Starts => _cells?.Starts ?? [];

    public double[] NetSpend => _cells?.NetSpend ?? [];

    public int[] Orders => _cells?.Orders ?? [];

    public double[] Items => _cells?.Items ?? [];

    public int[] Returns => _cells?.Returns ?? [];

    public string[] Sources { get; private set; } = [];

    public async Task ReadAsync(ParquetRowGroupReader group, Dictionary<string, string> sourceNames, CancellationToken cancellationToken)
    {
        var rows = checked((int)group.RowCount);
        if (Ids.Length < rows)
        {
            Return();
            _cells = new RentedCells(rows);
            Sources = ArrayPool<string>.Shared.Rent(rows);
        }

        Count = rows;
        await group.ReadAsync(Field(PartialShard.CustomerIdField.Name), Ids.AsMemory(0, rows)!, null, cancellationToken).ConfigureAwait(false);
        await group.ReadAsync(Field(PartialShard.BucketStartField.Name), Starts.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
        await group.ReadAsync(Field(PartialShard.NetSpendField.Name), NetSpend.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
        await group.ReadAsync(Field(PartialShard.OrdersField.Name), Orders.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
        await group.ReadAsync(Field(PartialShard.ItemsField.Name), Items.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
        await group.ReadAsync(Field(PartialShard.ReturnsField.Name), Returns.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
        await group.ReadAsync(Field(PartialShard.SourceField.Name), Sources.AsMemory(0, rows)!, null, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < rows; i++, _rowsRead++)
        {
            if (Ids[i] is null || Sources[i] is null)
            {
                throw new InvalidDataException($"Parquet shard file has a row without customer_id or source (row {_rowsRead}).");
            }

            Sources[i] = sourceNames.TryGetValue(Sources[i], out var canonical)
                ? canonical
                : throw new InvalidDataException($"Parquet shard file row {_rowsRead} names source '{Sources[i]}', which {PartialShard.SourcesMetadataKey} does not list.");
            if (_lastId is not null)
            {
                var order = string.CompareOrdinal(_lastId, Ids[i]);
                if (order == 0)
                {
                    Ids[i] = _lastId;
                    order = _lastStart.CompareTo(Starts[i]);
                    order = order != 0 ? order : string.CompareOrdinal(_lastSource, Sources[i]);
                }

                if (order >= 0)
                {
                    throw new InvalidDataException($"Parquet shard file rows {_rowsRead - 1} and {_rowsRead} are out of (customer, bucket, source) order.");
                }
            }

            (_lastId, _lastStart, _lastSource) = (Ids[i], Starts[i], Sources[i]);
        }
    }

    public void Dispose()
    {
        Return();
        Count = 0;
    }

    private void Return()
    {
        if (_cells is null)
        {
            return;
        }

        _cells.Dispose();
        _cells = null;
        ArrayPool<string>.Shared.Return(Sources, clearArray: true);
        Sources = [];
    }

    private DataField Field(string name) => Array.Find(fields, f => f.Name == name)
        ?? throw new InvalidDataException($"Parquet shard file has no column '{name}'.");
}
