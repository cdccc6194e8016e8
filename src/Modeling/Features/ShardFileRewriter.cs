using System.Buffers;
using System.Text.Json;
using Clv.Modeling.Ingest;
using Parquet;
using Parquet.Schema;

namespace Clv.Modeling.Features;

/// <summary>
/// Replaces or removes one source's rows in a shard file as it streams by: the file is read one row group at a time and
/// the result written in row groups of <see cref="PartialShard.RowGroupRows"/>, so memory holds one row group in and one
/// out whatever the size of the shard. The bytes written are those of
/// <c>PartialShard.ReadParquetAsync(current).With(source, version, rows).WriteParquetAsync(destination)</c> (or
/// <c>Without(source)</c>).
/// </summary>
/// <remarks>
/// Shard files grow with the shop (rows per shard = all rows / 256) while the part of one export that goes into a shard
/// does not; compaction holds the part and streams the shard, so its memory does not grow with the customer count.
/// </remarks>
public static class ShardFileRewriter
{
    /// <summary>
    /// Writes to <paramref name="destination"/> the shard <paramref name="current"/> with the rows of <paramref name="source"/>
    /// replaced by <paramref name="rows"/> at <paramref name="version"/>, or removed when either is <see langword="null"/>.
    /// </summary>
    /// <param name="current">The shard file as it is (seekable), or <see langword="null"/> when there is none yet.</param>
    /// <param name="source">The export partial whose rows change.</param>
    /// <param name="version">Its version, or <see langword="null"/> to remove it.</param>
    /// <param name="rows">Its rows in this shard, in (customer, bucket) order, or <see langword="null"/> to remove it.</param>
    /// <param name="destination">Receives the new shard file; written only when the method returns <see langword="true"/>.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns><see langword="false"/> when the shard already holds this version (or, to remove, does not hold the source): nothing was written.</returns>
    /// <exception cref="InvalidDataException">The file is not a shard file or its rows are out of order.</exception>
    /// <exception cref="ArgumentException">The bucket sizes of the shard and the rows differ.</exception>
    public static Task<bool> RewriteAsync(Stream? current, string source, string? version, PartialAggregates? rows, Stream destination, CancellationToken cancellationToken = default) =>
        RewriteAsync(current, source, version, rows, destination, PartialShard.RowGroupRows, cancellationToken);

    /// <summary>The same, writing row groups of <paramref name="rowGroupRows"/> rows (tests cut small files into many).</summary>
    internal static async Task<bool> RewriteAsync(Stream? current, string source, string? version, PartialAggregates? rows, Stream destination, int rowGroupRows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentNullException.ThrowIfNull(destination);
        var adding = rows is not null && !string.IsNullOrEmpty(version);
        ParquetReader? reader = null;
        try
        {
            var versions = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var bucket = BucketSize.Day;
            var fileRows = 0L;
            if (current is not null)
            {
                reader = await ParquetReader.CreateAsync(current, new ParquetOptions { UseDateOnlyTypeForDates = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
                (versions, bucket) = PartialShard.ReadFileMetadata(reader);
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    fileRows += reader.RowGroups[g].RowCount;
                }
            }

            var held = versions.TryGetValue(source, out var heldVersion) ? heldVersion : null;
            if (adding ? held == version : held is null)
            {
                return false;
            }

            if (adding && rows!.Bucket != bucket && fileRows > 0)
            {
                throw new ArgumentException($"Cannot merge {BucketNames.Name(rows.Bucket)} partials into a shard of {BucketNames.Name(bucket)} partials.", nameof(rows));
            }

            // Every source the file lists, the one replaced included: a row naming any other is an error.
            var sourceNames = versions.Keys.ToDictionary(k => k, k => k, StringComparer.Ordinal);
            versions.Remove(source);
            if (adding)
            {
                versions[source] = version!;
            }

            var writer = await ParquetWriter.CreateAsync(PartialShard.Schema, destination, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                // No larger than the shard can become, so a small shard does not allocate a full row group.
                using var output = new OutputGroup(writer, (int)Math.Min(rowGroupRows, Math.Max(1, fileRows + (adding ? rows!.Count : 0))));
                var added = adding ? rows! : PartialAggregates.Empty(bucket);
                var next = 0;
                var kept = 0L;
                if (reader is not null)
                {
                    using var input = new ShardRowGroupReader(reader.Schema.GetDataFields());
                    for (var g = 0; g < reader.RowGroupCount; g++)
                    {
                        using var group = reader.OpenRowGroupReader(g);
                        await input.ReadAsync(group, sourceNames, cancellationToken).ConfigureAwait(false);
                        for (var i = 0; i < input.Count; i++)
                        {
                            if (ReferenceEquals(input.Sources[i], source) || string.Equals(input.Sources[i], source, StringComparison.Ordinal))
                            {
                                continue;
                            }

                            // The order of PartialShard.With: a kept row goes first only when it sorts before the added one.
                            while (next < added.Count && !KeptComesFirst(input, i, added, next, source))
                            {
                                await output.AddAsync(added, next++, source, cancellationToken).ConfigureAwait(false);
                            }

                            await output.AddAsync(input, i, cancellationToken).ConfigureAwait(false);
                            kept++;
                        }
                    }
                }

                while (next < added.Count)
                {
                    await output.AddAsync(added, next++, source, cancellationToken).ConfigureAwait(false);
                }

                await output.FinishAsync(cancellationToken).ConfigureAwait(false);

                // The footer is written on dispose, so the bucket can follow the rows kept, as With's does.
                var outputBucket = kept > 0 || !adding ? bucket : added.Bucket;
                writer.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [PartialAggregates.BucketMetadataKey] = BucketNames.Name(outputBucket),
                    [PartialShard.SourcesMetadataKey] = JsonSerializer.Serialize(versions, ShardMetadataJsonContext.Default.SortedDictionaryStringString),
                };
            }

            return true;
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static bool KeptComesFirst(ShardRowGroupReader kept, int i, PartialAggregates added, int j, string source)
    {
        var order = string.CompareOrdinal(kept.Ids[i], added.CustomerIds[j]);
        order = order != 0 ? order : kept.Starts[i].CompareTo(added.BucketStarts[j]);
        order = order != 0 ? order : string.CompareOrdinal(kept.Sources[i], source);
        return order < 0;
    }

    /// <summary>The row group being filled; written once it holds <c>rowGroupRows</c> rows.</summary>
    /// <remarks>
    /// The columns are rented: compaction rewrites hundreds of shards per export, and fresh row-group arrays each time
    /// were large-object garbage that the runtime let pile up.
    /// </remarks>
    private sealed class OutputGroup(ParquetWriter writer, int rowGroupRows) : IDisposable
    {
        private readonly RentedCells _cells = new(rowGroupRows);
        private readonly string[] _sources = ArrayPool<string>.Shared.Rent(rowGroupRows);

        public void Dispose()
        {
            _cells.Dispose();
            ArrayPool<string>.Shared.Return(_sources, clearArray: true);
        }
        private long _written;

        public ValueTask AddAsync(ShardRowGroupReader input, int i, CancellationToken cancellationToken) =>
            AddAsync(input.Ids[i], input.Starts[i], input.NetSpend[i], input.Orders[i], input.Items[i], input.Returns[i], input.Sources[i], cancellationToken);

        public ValueTask AddAsync(PartialAggregates rows, int i, string source, CancellationToken cancellationToken) =>
            AddAsync(rows.CustomerIds[i], rows.BucketStarts[i], rows.NetSpend[i], rows.Orders[i], rows.Items[i], rows.Returns[i], source, cancellationToken);

        /// <summary>Writes the last row group (an empty one when the shard has no rows, as <see cref="PartialShard.WriteParquetAsync"/> does).</summary>
        public async Task FinishAsync(CancellationToken cancellationToken)
        {
            if (_cells.Count > 0 || _written == 0)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private async ValueTask AddAsync(string id, DateOnly start, double netSpend, int orders, double items, int returns, string source, CancellationToken cancellationToken)
        {
            _sources[_cells.Count] = source;
            if (_cells.Add(id, start, netSpend, orders, items, returns) == rowGroupRows)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            var rows = _cells.Count;
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(PartialShard.CustomerIdField, new ArraySegment<string>(_cells.Ids, 0, rows)).ConfigureAwait(false);
            await group.WriteAsync<DateOnly>(PartialShard.BucketStartField, _cells.Starts.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(PartialShard.NetSpendField, _cells.NetSpend.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(PartialShard.OrdersField, _cells.Orders.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(PartialShard.ItemsField, _cells.Items.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(PartialShard.ReturnsField, _cells.Returns.AsMemory(0, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(PartialShard.SourceField, new ArraySegment<string>(_sources, 0, rows)).ConfigureAwait(false);
            _written += rows;
            _cells.Clear();
            Array.Clear(_sources, 0, rows);
        }
    }
}
