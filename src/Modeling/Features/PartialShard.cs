using System.Runtime.CompilerServices;
using System.Text.Json;
using Clv.Modeling.Ingest;
using Parquet;
using Parquet.Schema;

namespace Clv.Modeling.Features;

/// <summary>
/// The partial aggregates of one customer shard, kept per source export so that one export's contribution can be
/// replaced or removed on its own: rows <c>(customer, bucket, source)</c>, sorted in that order, and the version of
/// each source that was merged in.
/// </summary>
/// <remarks>
/// Stored as Parquet with the columns of <see cref="PartialAggregates"/> plus <c>source</c> (string), and in the file's
/// key-value metadata the bucket (<c>clv.bucket</c>) and the sources with their versions as a JSON object
/// (<c>clv.sources</c>). <see cref="PartialAggregates.ReadParquetAsync"/> reads the same file as the merged sums
/// (it ignores <c>source</c> and sums repeated cells), so a shard file is also a valid partials file.
/// </remarks>
public sealed class PartialShard
{
    /// <summary>Key of the sources and their versions in the Parquet file's metadata.</summary>
    public const string SourcesMetadataKey = "clv.sources";

    internal static readonly DataField<string> CustomerIdField = new("customer_id", nullable: false);
    internal static readonly DataField<DateOnly> BucketStartField = new("bucket_start", nullable: false);
    internal static readonly DataField<double> NetSpendField = new("net_spend", nullable: false);
    internal static readonly DataField<int> OrdersField = new("orders", nullable: false);
    internal static readonly DataField<double> ItemsField = new("items", nullable: false);
    internal static readonly DataField<int> ReturnsField = new("returns", nullable: false);
    internal static readonly DataField<string> SourceField = new("source", nullable: false);
    internal static readonly ParquetSchema Schema = new(CustomerIdField, BucketStartField, NetSpendField, OrdersField, ItemsField, ReturnsField, SourceField);

    /// <summary>Rows per Parquet row group of a shard file.</summary>
    /// <remarks>
    /// Compaction rewrites shards a row group at a time, several at once, so a row group's buffers (the reader's and the
    /// writer's, columns and id strings) are what it holds per shard. Shards grow with the shop (about 43,000 rows at a
    /// million customers, 430,000 at ten million): with row groups of 262,144 rows the buffers grew with the shard, and
    /// rewriting 8 shards of 130,000 rows at once peaked at 1.9 GB against 0.4 GB for 43,000. Row groups of 8,192 rows
    /// keep every size in the same few MB per shard, and every page under the runtime's large-object size (a column of
    /// 8,192 doubles is 64 KB): the Parquet reader decompresses each page into fresh arrays, and with row groups of
    /// 32,768 rows those were large objects, freed only by full collections, at megabytes per second. Readers take any
    /// row group size.
    /// </remarks>
    internal const int RowGroupRows = 1 << 13;

    private PartialShard(PartialAggregates rows, string[] sources, SortedDictionary<string, string> versions)
    {
        Rows = rows;
        Sources = sources;
        _versions = versions;
    }

    private readonly SortedDictionary<string, string> _versions;

    /// <summary>The rows, <c>[Count]</c>, in (customer, bucket, source) order; a cell repeats once per source that has it.</summary>
    public PartialAggregates Rows { get; }

    /// <summary>The source of each row, <c>[Count]</c>.</summary>
    public string[] Sources { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Sources.Length;

    /// <summary>Width of one bucket.</summary>
    public BucketSize Bucket => Rows.Bucket;

    /// <summary>The sources merged in, with the version of each, ordered by name.</summary>
    public IReadOnlyDictionary<string, string> Versions => _versions;

    /// <summary>No rows and no sources.</summary>
    public static PartialShard Empty(BucketSize bucket) => new(PartialAggregates.Empty(bucket), [], new SortedDictionary<string, string>(StringComparer.Ordinal));

    /// <summary>The version of <paramref name="source"/> merged in, or <see langword="null"/> when it is not.</summary>
    public string? VersionOf(string source) => _versions.TryGetValue(source, out var version) ? version : null;

    /// <summary>
    /// This shard with the rows of <paramref name="source"/> replaced by <paramref name="rows"/> at <paramref name="version"/>
    /// (an empty <paramref name="rows"/> still records the source, so the same version is not merged twice).
    /// </summary>
    /// <exception cref="ArgumentException">The bucket sizes differ.</exception>
    public PartialShard With(string source, string version, PartialAggregates rows)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Bucket != Bucket && Count > 0)
        {
            throw new ArgumentException($"Cannot merge {BucketNames.Name(rows.Bucket)} partials into a shard of {BucketNames.Name(Bucket)} partials.", nameof(rows));
        }

        var kept = Without(source);
        var versions = new SortedDictionary<string, string>(kept._versions, StringComparer.Ordinal) { [source] = version };
        return Interleave(kept, source, rows, versions);
    }

    /// <summary>This shard without the rows and the version of <paramref name="source"/>.</summary>
    public PartialShard Without(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (!_versions.ContainsKey(source))
        {
            return this;
        }

        var keep = new List<int>(Count);
        for (var i = 0; i < Count; i++)
        {
            if (!string.Equals(Sources[i], source, StringComparison.Ordinal))
            {
                keep.Add(i);
            }
        }

        var versions = new SortedDictionary<string, string>(_versions, StringComparer.Ordinal);
        versions.Remove(source);
        T[] Take<T>(T[] column) => keep.Select(r => column[r]).ToArray();
        var rows = new PartialAggregates(Bucket, Take(Rows.CustomerIds), Take(Rows.BucketStarts), Take(Rows.NetSpend), Take(Rows.Orders), Take(Rows.Items), Take(Rows.Returns), validate: false);
        return new PartialShard(rows, Take(Sources), versions);
    }

    /// <summary>The sums over every source: one row per (customer, bucket).</summary>
    public PartialAggregates Merged()
    {
        var n = 0;
        var ids = new string[Count];
        var starts = new DateOnly[Count];
        var netSpend = new double[Count];
        var orders = new int[Count];
        var items = new double[Count];
        var returns = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            var id = Rows.CustomerIds[i];
            if (n > 0 && starts[n - 1] == Rows.BucketStarts[i] && string.Equals(ids[n - 1], id, StringComparison.Ordinal))
            {
                netSpend[n - 1] += Rows.NetSpend[i];
                orders[n - 1] += Rows.Orders[i];
                items[n - 1] += Rows.Items[i];
                returns[n - 1] += Rows.Returns[i];
                continue;
            }

            ids[n] = n > 0 && string.Equals(ids[n - 1], id, StringComparison.Ordinal) ? ids[n - 1] : id;
            starts[n] = Rows.BucketStarts[i];
            netSpend[n] = Rows.NetSpend[i];
            orders[n] = Rows.Orders[i];
            items[n] = Rows.Items[i];
            returns[n] = Rows.Returns[i];
            n++;
        }

        return n == Count
            ? new PartialAggregates(Bucket, ids, starts, netSpend, orders, items, returns, validate: false)
            : new PartialAggregates(Bucket, ids[..n], starts[..n], netSpend[..n], orders[..n], items[..n], returns[..n], validate: false);
    }

    /// <summary>
    /// Splits <paramref name="partials"/> by customer into <paramref name="partitionCount"/> parts; each part keeps the
    /// (customer, bucket) order. Parts without customers are <see langword="null"/>.
    /// </summary>
    /// <param name="partials">Partials of one export.</param>
    /// <param name="partitionOf">The partition of a customer id, <c>0..partitionCount-1</c>.</param>
    /// <param name="partitionCount">Number of parts.</param>
    /// <returns>Parts <c>[partitionCount]</c>.</returns>
    public static PartialAggregates?[] Split(PartialAggregates partials, Func<string, int> partitionOf, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(partitionOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        var partitionOfRow = new int[partials.Count];
        var counts = new int[partitionCount];
        var partition = -1;
        for (var i = 0; i < partials.Count; i++)
        {
            if (i == 0 || !string.Equals(partials.CustomerIds[i], partials.CustomerIds[i - 1], StringComparison.Ordinal))
            {
                partition = partitionOf(partials.CustomerIds[i]);
                if ((uint)partition >= (uint)partitionCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(partitionOf), partition, $"Partition must be in 0..{partitionCount - 1}.");
                }
            }

            partitionOfRow[i] = partition;
            counts[partition]++;
        }

        var parts = new PartialAggregates?[partitionCount];
        var columns = new (string[] Ids, DateOnly[] Starts, double[] Spend, int[] Orders, double[] Items, int[] Returns)[partitionCount];
        for (var p = 0; p < partitionCount; p++)
        {
            var c = counts[p];
            columns[p] = (new string[c], new DateOnly[c], new double[c], new int[c], new double[c], new int[c]);
        }

        var next = new int[partitionCount];
        for (var i = 0; i < partials.Count; i++)
        {
            var p = partitionOfRow[i];
            var at = next[p]++;
            var part = columns[p];
            part.Ids[at] = partials.CustomerIds[i];
            part.Starts[at] = partials.BucketStarts[i];
            part.Spend[at] = partials.NetSpend[i];
            part.Orders[at] = partials.Orders[i];
            part.Items[at] = partials.Items[i];
            part.Returns[at] = partials.Returns[i];
        }

        for (var p = 0; p < partitionCount; p++)
        {
            if (counts[p] > 0)
            {
                var part = columns[p];
                parts[p] = new PartialAggregates(partials.Bucket, part.Ids, part.Starts, part.Spend, part.Orders, part.Items, part.Returns, validate: false);
            }
        }

        return parts;
    }

    /// <summary>Writes the shard as one Parquet file.</summary>
    public Task WriteParquetAsync(Stream destination, CancellationToken cancellationToken = default) =>
        WriteParquetAsync(destination, RowGroupRows, cancellationToken);

    /// <summary>Writes the shard with row groups of <paramref name="rowGroupRows"/> rows.</summary>
    internal async Task WriteParquetAsync(Stream destination, int rowGroupRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        var writer = await ParquetWriter.CreateAsync(Schema, destination, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var writerScope = writer.ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [PartialAggregates.BucketMetadataKey] = BucketNames.Name(Bucket),
            [SourcesMetadataKey] = JsonSerializer.Serialize(_versions, ShardMetadataJsonContext.Default.SortedDictionaryStringString),
        };
        for (var start = 0; start == 0 || start < Count; start += rowGroupRows)
        {
            var rows = Math.Min(rowGroupRows, Count - start);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(CustomerIdField, new ArraySegment<string>(Rows.CustomerIds, start, rows)).ConfigureAwait(false);
            await group.WriteAsync<DateOnly>(BucketStartField, Rows.BucketStarts.AsMemory(start, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(NetSpendField, Rows.NetSpend.AsMemory(start, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(OrdersField, Rows.Orders.AsMemory(start, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(ItemsField, Rows.Items.AsMemory(start, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(ReturnsField, Rows.Returns.AsMemory(start, rows), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(SourceField, new ArraySegment<string>(Sources, start, rows)).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a shard written by <see cref="WriteParquetAsync"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a shard file (no <c>source</c> column or sources metadata) or its rows are out of order.</exception>
    public static async Task<PartialShard> ReadParquetAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var reader = await ParquetReader.CreateAsync(source, new ParquetOptions { UseDateOnlyTypeForDates = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var (versions, bucket) = ReadFileMetadata(reader);
        var total = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            total += reader.RowGroups[g].RowCount;
        }

        var count = checked((int)total);
        var ids = new string[count];
        var starts = new DateOnly[count];
        var netSpend = new double[count];
        var orders = new int[count];
        var items = new double[count];
        var returns = new int[count];
        var sources = new string[count];

        // One string per customer and per source, as in memory before writing.
        var sourceNames = versions.Keys.ToDictionary(k => k, k => k, StringComparer.Ordinal);
        using var input = new ShardRowGroupReader(reader.Schema.GetDataFields());
        var offset = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            await input.ReadAsync(group, sourceNames, cancellationToken).ConfigureAwait(false);
            var rows = input.Count;
            input.Ids.AsSpan(0, rows).CopyTo(ids.AsSpan(offset));
            input.Starts.AsSpan(0, rows).CopyTo(starts.AsSpan(offset));
            input.NetSpend.AsSpan(0, rows).CopyTo(netSpend.AsSpan(offset));
            input.Orders.AsSpan(0, rows).CopyTo(orders.AsSpan(offset));
            input.Items.AsSpan(0, rows).CopyTo(items.AsSpan(offset));
            input.Returns.AsSpan(0, rows).CopyTo(returns.AsSpan(offset));
            input.Sources.AsSpan(0, rows).CopyTo(sources.AsSpan(offset));
            offset += rows;
        }

        return new PartialShard(new PartialAggregates(bucket, ids, starts, netSpend, orders, items, returns, validate: false), sources, versions);
    }

    /// <summary>
    /// The merged sums of a shard file (<see cref="Merged"/>) in consecutive runs of at most
    /// <paramref name="customersPerBatch"/> customers, read one row group at a time: the batches
    /// <c>SliceByCustomers((await ReadParquetAsync(source)).Merged().WhereCustomer(includeCustomer), customersPerBatch)</c>
    /// gives, while memory holds one row group and one batch whatever the size of the shard.
    /// </summary>
    /// <param name="source">A seekable stream over a shard file.</param>
    /// <param name="customersPerBatch">Most customers per batch.</param>
    /// <param name="includeCustomer">Whether a customer is kept; <see langword="null"/> keeps every customer.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="InvalidDataException">The file is not a shard file or its rows are out of order.</exception>
    public static async IAsyncEnumerable<PartialAggregates> ReadMergedInBatchesAsync(
        Stream source,
        int customersPerBatch,
        Func<string, bool>? includeCustomer = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(customersPerBatch, 1);
        var reader = await ParquetReader.CreateAsync(source, new ParquetOptions { UseDateOnlyTypeForDates = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var (versions, bucket) = ReadFileMetadata(reader);
        var sourceNames = versions.Keys.ToDictionary(k => k, k => k, StringComparer.Ordinal);
        using var input = new ShardRowGroupReader(reader.Schema.GetDataFields());
        var batch = new PartialAggregates.PartBuilder();
        var customers = 0;
        string? customer = null;
        var kept = false;

        // The cell being summed over its sources, in row order as Merged sums it.
        var hasCell = false;
        var start = DateOnly.MinValue;
        var (netSpend, orders, items, returns) = (0.0, 0, 0.0, 0);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using (var group = reader.OpenRowGroupReader(g))
            {
                await input.ReadAsync(group, sourceNames, cancellationToken).ConfigureAwait(false);
            }

            for (var i = 0; i < input.Count; i++)
            {
                var id = input.Ids[i];
                var sameCustomer = string.Equals(id, customer, StringComparison.Ordinal);
                if (hasCell && (!sameCustomer || start != input.Starts[i]))
                {
                    batch.Add(customer!, start, netSpend, orders, items, returns);
                    hasCell = false;
                }

                if (!sameCustomer)
                {
                    customer = id;
                    kept = includeCustomer is null || includeCustomer(id);
                    if (kept && customers == customersPerBatch)
                    {
                        yield return batch.Build(bucket);
                        batch = new PartialAggregates.PartBuilder();
                        customers = 0;
                    }

                    customers += kept ? 1 : 0;
                }

                if (!kept)
                {
                    continue;
                }

                if (hasCell)
                {
                    netSpend += input.NetSpend[i];
                    orders += input.Orders[i];
                    items += input.Items[i];
                    returns += input.Returns[i];
                }
                else
                {
                    (start, netSpend, orders, items, returns) = (input.Starts[i], input.NetSpend[i], input.Orders[i], input.Items[i], input.Returns[i]);
                    hasCell = true;
                }
            }
        }

        if (hasCell)
        {
            batch.Add(customer!, start, netSpend, orders, items, returns);
        }

        if (batch.Count > 0)
        {
            yield return batch.Build(bucket);
        }
    }

    /// <summary>The sources with their versions and the number of rows of a shard file, from its footer alone (no row is read).</summary>
    /// <param name="source">A seekable stream over a shard file.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="InvalidDataException">The file is not a shard file.</exception>
    public static async Task<ShardFileSummary> ReadSummaryAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var reader = await ParquetReader.CreateAsync(source, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var (versions, _) = ReadFileMetadata(reader);
        var rows = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            rows += reader.RowGroups[g].RowCount;
        }

        return new ShardFileSummary(versions, rows);
    }

    /// <summary>The bucket and the sources with their versions that a shard file's metadata holds.</summary>
    /// <exception cref="InvalidDataException">The file is not a shard file or names an unknown bucket.</exception>
    internal static (SortedDictionary<string, string> Versions, BucketSize Bucket) ReadFileMetadata(ParquetReader reader)
    {
        if (!reader.CustomMetadata.TryGetValue(SourcesMetadataKey, out var sourcesJson)
            || JsonSerializer.Deserialize(sourcesJson, ShardMetadataJsonContext.Default.DictionaryStringString) is not { } versionMap)
        {
            throw new InvalidDataException($"Parquet file has no {SourcesMetadataKey} metadata: not a shard file.");
        }

        var bucketName = reader.CustomMetadata.TryGetValue(PartialAggregates.BucketMetadataKey, out var name) ? name : "day";
        if (!BucketNames.TryParse(bucketName, out var bucket))
        {
            throw new InvalidDataException($"Parquet metadata {PartialAggregates.BucketMetadataKey} is '{bucketName}'; expected day, week or month.");
        }

        return (new SortedDictionary<string, string>(versionMap, StringComparer.Ordinal), bucket);
    }

    /// <summary>
    /// Consecutive runs of at most <paramref name="customersPerSlice"/> customers of <paramref name="partials"/>, in
    /// order: each a partials object of its own, so sequences can be built one slice at a time.
    /// </summary>
    public static IEnumerable<PartialAggregates> SliceByCustomers(PartialAggregates partials, int customersPerSlice)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentOutOfRangeException.ThrowIfLessThan(customersPerSlice, 1);
        var start = 0;
        var customers = 0;
        for (var i = 0; i <= partials.Count; i++)
        {
            var newCustomer = i == partials.Count || i == 0 || !string.Equals(partials.CustomerIds[i], partials.CustomerIds[i - 1], StringComparison.Ordinal);
            if (newCustomer && (customers == customersPerSlice || i == partials.Count) && i > start)
            {
                yield return new PartialAggregates(
                    partials.Bucket,
                    partials.CustomerIds[start..i],
                    partials.BucketStarts[start..i],
                    partials.NetSpend[start..i],
                    partials.Orders[start..i],
                    partials.Items[start..i],
                    partials.Returns[start..i],
                    validate: false);
                start = i;
                customers = 0;
            }

            if (newCustomer && i < partials.Count)
            {
                customers++;
            }
        }
    }

    /// <summary>Merges the rows of <paramref name="kept"/> (which has none of <paramref name="source"/>) with <paramref name="added"/> in (customer, bucket, source) order.</summary>
    private static PartialShard Interleave(PartialShard kept, string source, PartialAggregates added, SortedDictionary<string, string> versions)
    {
        var a = kept.Rows;
        var capacity = a.Count + added.Count;
        var ids = new string[capacity];
        var starts = new DateOnly[capacity];
        var netSpend = new double[capacity];
        var orders = new int[capacity];
        var items = new double[capacity];
        var returns = new int[capacity];
        var sources = new string[capacity];
        int i = 0, j = 0, n = 0;
        while (i < a.Count || j < added.Count)
        {
            int order;
            if (i == a.Count)
            {
                order = 1;
            }
            else if (j == added.Count)
            {
                order = -1;
            }
            else
            {
                order = string.CompareOrdinal(a.CustomerIds[i], added.CustomerIds[j]);
                order = order != 0 ? order : a.BucketStarts[i].CompareTo(added.BucketStarts[j]);
                order = order != 0 ? order : string.CompareOrdinal(kept.Sources[i], source);
            }

            var (rows, row, rowSource) = order < 0 ? (a, i, kept.Sources[i++]) : (added, j, source);
            if (order >= 0)
            {
                j++;
            }

            ids[n] = n > 0 && string.Equals(ids[n - 1], rows.CustomerIds[row], StringComparison.Ordinal) ? ids[n - 1] : rows.CustomerIds[row];
            starts[n] = rows.BucketStarts[row];
            netSpend[n] = rows.NetSpend[row];
            orders[n] = rows.Orders[row];
            items[n] = rows.Items[row];
            returns[n] = rows.Returns[row];
            sources[n] = rowSource;
            n++;
        }

        var bucket = a.Count > 0 ? a.Bucket : added.Bucket;
        return new PartialShard(new PartialAggregates(bucket, ids, starts, netSpend, orders, items, returns, validate: false), sources, versions);
    }
}

/// <summary>What a shard file's footer says: the sources merged in with their versions, and its rows.</summary>
/// <param name="Versions">The version of each source, ordered by name.</param>
/// <param name="Rows">Rows in the file (one per customer, bucket and source).</param>
public sealed record ShardFileSummary(IReadOnlyDictionary<string, string> Versions, long Rows);
