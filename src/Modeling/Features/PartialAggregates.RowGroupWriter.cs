using Clv.Modeling.FlatParquet;

namespace Clv.Modeling.Features;

public sealed partial class PartialAggregates
{
    /// <summary>The columns of a partials file, in order.</summary>
    private static readonly FlatColumn[] FileColumns =
    [
        new(CustomerIdField.Name, FlatColumnType.String),
        new(BucketStartField.Name, FlatColumnType.Date),
        new(NetSpendField.Name, FlatColumnType.Double),
        new(OrdersField.Name, FlatColumnType.Int32),
        new(ItemsField.Name, FlatColumnType.Double),
        new(ReturnsField.Name, FlatColumnType.Int32),
    ];

    /// <summary>Starts a partials file in <paramref name="destination"/>, with the bucket size in its metadata.</summary>
    internal static Task<FlatParquetWriter> CreateFileWriterAsync(Stream destination, BucketSize bucket, CancellationToken cancellationToken) =>
        FlatParquetWriter.CreateAsync(destination, FileColumns, [new(BucketMetadataKey, BucketNames.Name(bucket))], cancellationToken);

    /// <summary>Encodes the rows of <paramref name="cells"/> as one row group of a partials file.</summary>
    internal static EncodedRowGroup EncodeRowGroup(RentedCells cells) =>
        EncodeRowGroup(
            cells.Ids.AsSpan(0, cells.Count),
            cells.Starts.AsSpan(0, cells.Count),
            cells.NetSpend.AsSpan(0, cells.Count),
            cells.Orders.AsSpan(0, cells.Count),
            cells.Items.AsSpan(0, cells.Count),
            cells.Returns.AsSpan(0, cells.Count));

    /// <summary>Encodes rows (columns of equal length) as one row group of a partials file.</summary>
    internal static EncodedRowGroup EncodeRowGroup(
        ReadOnlySpan<string> customerIds,
        ReadOnlySpan<DateOnly> bucketStarts,
        ReadOnlySpan<double> netSpend,
        ReadOnlySpan<int> orders,
        ReadOnlySpan<double> items,
        ReadOnlySpan<int> returns)
    {
        var group = new EncodedRowGroup(customerIds.Length);
        try
        {
            group.AddStrings(customerIds);
            group.AddDates(bucketStarts);
            group.AddDoubles(netSpend);
            group.AddInt32s(orders);
            group.AddDoubles(items);
            group.AddInt32s(returns);
            return group;
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes a partials file row by row, in row groups of <see cref="RowGroupRows"/> like <see cref="WriteParquetAsync(Stream, CancellationToken)"/>,
    /// which gives the same bytes for the same rows: only one row group is held, however many rows there are.
    /// </summary>
    internal sealed class RowGroupWriter : IDisposable
    {
        private readonly FlatParquetWriter _writer;
        private readonly int _rowGroupRows;
        private readonly RentedCells _cells;

        private RowGroupWriter(FlatParquetWriter writer, int rowGroupRows, int capacity)
        {
            _writer = writer;
            _rowGroupRows = rowGroupRows;
            _cells = new RentedCells(capacity);
        }

        /// <summary>Starts a partials file in <paramref name="destination"/>.</summary>
        /// <param name="destination">Receives the file.</param>
        /// <param name="bucket">Width of one bucket, kept in the file's metadata.</param>
        /// <param name="rowsAtMost">At most this many rows will be added (sizes the row-group buffers of small files).</param>
        /// <param name="cancellationToken">Stops the work.</param>
        public static Task<RowGroupWriter> CreateAsync(Stream destination, BucketSize bucket, long rowsAtMost, CancellationToken cancellationToken) =>
            CreateAsync(destination, bucket, RowGroupRows, rowsAtMost, cancellationToken);

        /// <summary>The same with row groups of <paramref name="rowGroupRows"/> rows.</summary>
        internal static async Task<RowGroupWriter> CreateAsync(Stream destination, BucketSize bucket, int rowGroupRows, long rowsAtMost, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(destination);
            ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
            var writer = await CreateFileWriterAsync(destination, bucket, cancellationToken).ConfigureAwait(false);
            return new RowGroupWriter(writer, rowGroupRows, (int)Math.Clamp(rowsAtMost, 1, rowGroupRows));
        }

        /// <summary>Adds the next row; rows must come in (customer, bucket) order.</summary>
        public ValueTask AddAsync(string customerId, DateOnly bucketStart, double netSpend, int orders, double items, int returns, CancellationToken cancellationToken)
        {
            return _cells.Add(customerId, bucketStart, netSpend, orders, items, returns) == _rowGroupRows
                ? new ValueTask(FlushAsync(cancellationToken))
                : ValueTask.CompletedTask;
        }

        /// <summary>Writes the last row group and the footer: the file is complete (without row groups when there were no rows).</summary>
        public async Task FinishAsync(CancellationToken cancellationToken)
        {
            if (_cells.Count > 0)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            await _writer.FinishAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <inheritdoc />
        public void Dispose() => _cells.Dispose();

        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            using (var group = EncodeRowGroup(_cells))
            {
                await _writer.WriteRowGroupAsync(group, cancellationToken).ConfigureAwait(false);
            }

            _cells.Clear();
        }
    }
}
