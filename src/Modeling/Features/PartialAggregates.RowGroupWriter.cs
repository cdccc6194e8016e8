using System.Buffers;
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
        private readonly string[] _ids;
        private readonly DateOnly[] _starts;
        private readonly double[] _netSpend;
        private readonly int[] _orders;
        private readonly double[] _items;
        private readonly int[] _returns;
        private int _count;
        private long _written;

        private RowGroupWriter(ParquetWriter writer, int rowGroupRows, int capacity)
        {
            _writer = writer;
            _rowGroupRows = rowGroupRows;

            // Rented: the pipeline featurizes export after export, and fresh row-group arrays each time were
            // large-object garbage.
            _ids = ArrayPool<string>.Shared.Rent(capacity);
            _starts = ArrayPool<DateOnly>.Shared.Rent(capacity);
            _netSpend = ArrayPool<double>.Shared.Rent(capacity);
            _orders = ArrayPool<int>.Shared.Rent(capacity);
            _items = ArrayPool<double>.Shared.Rent(capacity);
            _returns = ArrayPool<int>.Shared.Rent(capacity);
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
            _ids[_count] = customerId;
            _starts[_count] = bucketStart;
            _netSpend[_count] = netSpend;
            _orders[_count] = orders;
            _items[_count] = items;
            _returns[_count] = returns;
            return ++_count == _rowGroupRows ? new ValueTask(FlushAsync(cancellationToken)) : ValueTask.CompletedTask;
        }

        /// <summary>Writes the last row group (an empty one when there were no rows, as <see cref="WriteParquetAsync(Stream, CancellationToken)"/> does).</summary>
        public async Task FinishAsync(CancellationToken cancellationToken)
        {
            if (_count > 0 || _written == 0)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
            ArrayPool<string>.Shared.Return(_ids, clearArray: true);
            ArrayPool<DateOnly>.Shared.Return(_starts);
            ArrayPool<double>.Shared.Return(_netSpend);
            ArrayPool<int>.Shared.Return(_orders);
            ArrayPool<double>.Shared.Return(_items);
            ArrayPool<int>.Shared.Return(_returns);
        }

        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            // The calls of WriteParquetAsync, so that the bytes are the same.
            var rows = _count;
            using var group = _writer.CreateRowGroup();
            await group.WriteAsync(CustomerIdField, new ArraySegment<string>(_ids, 0, rows)).ConfigureAwait(false);
            await group.WriteAsync<DateOnly>(BucketStartField, _starts.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(NetSpendField, _netSpend.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(OrdersField, _orders.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(ItemsField, _items.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(ReturnsField, _returns.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            _written += rows;
            _count = 0;
            Array.Clear(_ids, 0, rows);
        }
    }
}
