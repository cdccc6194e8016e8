using Parquet;

namespace Clv.Modeling.Features;

public sealed partial class PartialAggregates
{
    /// <summary>
    /// Writes a partials file row by row, in row groups of <see cref="RowGroupRows"/> like <see cref="WriteParquetAsync(Stream, CancellationToken)"/>,
    /// which gives the same bytes for the same rows: only one row group is held, however many rows there are.
    /// </summary>
    internal sealed class RowGroupWriter : IAsyncDisposable
    {
        private readonly ParquetWriter _writer;
        private readonly int _rowGroupRows;
        private readonly RentedCells _cells;
        private long _written;

        private RowGroupWriter(ParquetWriter writer, int rowGroupRows, int capacity)
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
            var writer = await ParquetWriter.CreateAsync(Schema, destination, cancellationToken: cancellationToken).ConfigureAwait(false);
            writer.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal) { [BucketMetadataKey] = BucketNames.Name(bucket) };
            return new RowGroupWriter(writer, rowGroupRows, (int)Math.Clamp(rowsAtMost, 1, rowGroupRows));
        }

        /// <summary>Adds the next row; rows must come in (customer, bucket) order.</summary>
        public ValueTask AddAsync(string customerId, DateOnly bucketStart, double netSpend, int orders, double items, int returns, CancellationToken cancellationToken)
        {
            return _cells.Add(customerId, bucketStart, netSpend, orders, items, returns) == _rowGroupRows
                ? new ValueTask(FlushAsync(cancellationToken))
                : ValueTask.CompletedTask;
        }

        /// <summary>Writes the last row group (an empty one when there were no rows, as <see cref="WriteParquetAsync(Stream, CancellationToken)"/> does).</summary>
        public async Task FinishAsync(CancellationToken cancellationToken)
        {
            if (_cells.Count > 0 || _written == 0)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            _cells.Dispose();
        }

        /// <summary>
        /// Writes <paramref name="cells"/> as the next row group, for a caller that fills row groups of its own (of
        /// <see cref="RowGroupRows"/> rows, the last one shorter, so that the bytes are those of
        /// <see cref="WriteParquetAsync(Stream, CancellationToken)"/>); leaves them filled.
        /// </summary>
        public async Task WriteRowGroupAsync(RentedCells cells, CancellationToken cancellationToken)
        {
            // The calls of WriteParquetAsync, so that the bytes are the same.
            var rows = cells.Count;
            using var group = _writer.CreateRowGroup();
            await group.WriteAsync(CustomerIdField, new ArraySegment<string>(cells.Ids, 0, rows)).ConfigureAwait(false);
            await group.WriteAsync<DateOnly>(BucketStartField, cells.Starts.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(NetSpendField, cells.NetSpend.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(OrdersField, cells.Orders.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(ItemsField, cells.Items.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(ReturnsField, cells.Returns.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            _written += rows;
        }

        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            await WriteRowGroupAsync(_cells, cancellationToken).ConfigureAwait(false);
            _cells.Clear();
        }
    }
}
