using Clv.Modeling.Ingest;
using Parquet;
using Parquet.Schema;

namespace Clv.Modeling.Features;

/// <summary>
/// Additive per-(customer, bucket) sums of one or more exports, one row per cell, sorted by customer id (ordinal) then
/// bucket. Partials of different files merge by summing, so files can be featurized independently and in any order.
/// </summary>
/// <remarks>
/// Stored as Parquet with flat columns <c>customer_id</c> (string), <c>bucket_start</c> (date), <c>net_spend</c> (double),
/// <c>orders</c> (int32), <c>items</c> (double), <c>returns</c> (int32), and the bucket size in the file's key-value
/// metadata (<c>clv.bucket</c>): readable by pandas, DuckDB and Spark as they are.
/// Orders are distinct within one file; an order whose lines are split across two files counts once in each.
/// </remarks>
public sealed class PartialAggregates
{
    /// <summary>Key of the bucket size in the Parquet file's metadata.</summary>
    public const string BucketMetadataKey = "clv.bucket";

    private static readonly DataField<string> CustomerIdField = new("customer_id", nullable: false);
    private static readonly DataField<DateOnly> BucketStartField = new("bucket_start", nullable: false);
    private static readonly DataField<double> NetSpendField = new("net_spend", nullable: false);
    private static readonly DataField<int> OrdersField = new("orders", nullable: false);
    private static readonly DataField<double> ItemsField = new("items", nullable: false);
    private static readonly DataField<int> ReturnsField = new("returns", nullable: false);
    private static readonly ParquetSchema Schema = new(CustomerIdField, BucketStartField, NetSpendField, OrdersField, ItemsField, ReturnsField);

    private int _customerCount = -1;

    /// <summary>Wraps the columns (not copied) after checking that they agree in length and are sorted by (customer, bucket) without duplicates.</summary>
    /// <exception cref="ArgumentException">Lengths differ, a bucket start is not the start of a bucket, or rows are out of order.</exception>
    public PartialAggregates(BucketSize bucket, string[] customerIds, DateOnly[] bucketStarts, double[] netSpend, int[] orders, double[] items, int[] returns)
        : this(bucket, customerIds, bucketStarts, netSpend, orders, items, returns, validate: true)
    {
    }

    internal PartialAggregates(BucketSize bucket, string[] customerIds, DateOnly[] bucketStarts, double[] netSpend, int[] orders, double[] items, int[] returns, bool validate)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        ArgumentNullException.ThrowIfNull(bucketStarts);
        ArgumentNullException.ThrowIfNull(netSpend);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(returns);
        var count = customerIds.Length;
        if (bucketStarts.Length != count || netSpend.Length != count || orders.Length != count || items.Length != count || returns.Length != count)
        {
            throw new ArgumentException(
                $"Partial columns differ in length: customer_id {count}, bucket_start {bucketStarts.Length}, net_spend {netSpend.Length}, orders {orders.Length}, items {items.Length}, returns {returns.Length}.",
                nameof(customerIds));
        }

        if (validate)
        {
            for (var i = 0; i < count; i++)
            {
                if (customerIds[i] is null)
                {
                    throw new ArgumentException($"Row {i} has no customer id.", nameof(customerIds));
                }

                if (BucketMath.Start(BucketMath.Index(bucketStarts[i], bucket), bucket) != bucketStarts[i])
                {
                    throw new ArgumentException($"Row {i}: {bucketStarts[i]:yyyy-MM-dd} is not the first day of a {BucketNames.Name(bucket)}.", nameof(bucketStarts));
                }

                if (i > 0)
                {
                    var byCustomer = string.CompareOrdinal(customerIds[i - 1], customerIds[i]);
                    if (byCustomer > 0 || (byCustomer == 0 && bucketStarts[i - 1] >= bucketStarts[i]))
                    {
                        throw new ArgumentException($"Rows {i - 1} and {i} ('{customerIds[i]}', {bucketStarts[i]:yyyy-MM-dd}) are out of (customer, bucket) order or repeat a cell.", nameof(customerIds));
                    }
                }
            }
        }

        Bucket = bucket;
        CustomerIds = customerIds;
        BucketStarts = bucketStarts;
        NetSpend = netSpend;
        Orders = orders;
        Items = items;
        Returns = returns;
    }

    /// <summary>Width of one bucket.</summary>
    public BucketSize Bucket { get; }

    /// <summary>Number of (customer, bucket) rows.</summary>
    public int Count => CustomerIds.Length;

    /// <summary>Customer id per row, <c>[Count]</c>.</summary>
    public string[] CustomerIds { get; }

    /// <summary>First day of the row's bucket, <c>[Count]</c>.</summary>
    public DateOnly[] BucketStarts { get; }

    /// <summary>Net spend (purchases minus returns), <c>[Count]</c>.</summary>
    public double[] NetSpend { get; }

    /// <summary>Distinct orders (or purchase days when the export has no order ids), <c>[Count]</c>.</summary>
    public int[] Orders { get; }

    /// <summary>Items bought minus items returned, <c>[Count]</c>.</summary>
    public double[] Items { get; }

    /// <summary>Return or cancellation lines (negative amounts), <c>[Count]</c>.</summary>
    public int[] Returns { get; }

    /// <summary>Number of distinct customers.</summary>
    public int CustomerCount
    {
        get
        {
            if (_customerCount < 0)
            {
                var distinct = 0;
                for (var i = 0; i < CustomerIds.Length; i++)
                {
                    distinct += i == 0 || !string.Equals(CustomerIds[i], CustomerIds[i - 1], StringComparison.Ordinal) ? 1 : 0;
                }

                _customerCount = distinct;
            }

            return _customerCount;
        }
    }

    /// <summary>No rows.</summary>
    public static PartialAggregates Empty(BucketSize bucket) => new(bucket, [], [], [], [], [], [], validate: false);

    /// <summary>Aggregates transactions (e.g. a live scoring request) with the same rules as featurizing an export.</summary>
    public static PartialAggregates FromTransactions(IEnumerable<Transaction> transactions, BucketSize bucket)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var accumulator = new PartialAccumulator(bucket);
        foreach (var transaction in transactions)
        {
            ArgumentNullException.ThrowIfNull(transaction.CustomerId, nameof(transactions));
            accumulator.Add(transaction);
        }

        return accumulator.ToPartials();
    }

    /// <summary>Sums partials cell by cell: the partials of the concatenated exports (in any order).</summary>
    /// <exception cref="ArgumentException">The partials use different bucket sizes, or there are none.</exception>
    public static PartialAggregates Merge(IEnumerable<PartialAggregates> partials)
    {
        ArgumentNullException.ThrowIfNull(partials);
        var list = partials.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("Nothing to merge.", nameof(partials));
        }

        var bucket = list[0].Bucket;
        foreach (var part in list)
        {
            if (part.Bucket != bucket)
            {
                throw new ArgumentException($"Cannot merge {BucketNames.Name(part.Bucket)} partials with {BucketNames.Name(bucket)} partials.", nameof(partials));
            }
        }

        if (list.Count == 1)
        {
            return list[0];
        }

        var ids = list.SelectMany(p => p.CustomerIds).ToArray();
        var starts = list.SelectMany(p => p.BucketStarts).ToArray();
        var netSpend = list.SelectMany(p => p.NetSpend).ToArray();
        var orders = list.SelectMany(p => p.Orders).ToArray();
        var items = list.SelectMany(p => p.Items).ToArray();
        var returns = list.SelectMany(p => p.Returns).ToArray();
        return Combine(bucket, ids, starts, netSpend, orders, items, returns);
    }

    /// <summary>
    /// The same sums in coarser buckets: day partials to weeks or months. Featurizing at day resolution keeps the
    /// bucket a training-time choice and lets the baselines see same-day-merged transactions.
    /// </summary>
    /// <exception cref="ArgumentException">These partials are not day partials and <paramref name="bucket"/> differs.</exception>
    public PartialAggregates Rebucket(BucketSize bucket)
    {
        if (bucket == Bucket)
        {
            return this;
        }

        if (Bucket != BucketSize.Day)
        {
            throw new ArgumentException(
                $"Only day partials can be re-bucketed; these are in {BucketNames.Name(Bucket)}s and {BucketNames.Name(bucket)}s were asked for.",
                nameof(bucket));
        }

        var starts = new DateOnly[Count];
        for (var i = 0; i < starts.Length; i++)
        {
            starts[i] = BucketMath.Start(BucketMath.Index(BucketStarts[i], bucket), bucket);
        }

        return Combine(bucket, CustomerIds, starts, NetSpend, Orders, Items, Returns);
    }

    /// <summary>Writes the partials as one Parquet file.</summary>
    public async Task WriteParquetAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var writer = await ParquetWriter.CreateAsync(Schema, destination, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var writerScope = writer.ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string>(StringComparer.Ordinal) { [BucketMetadataKey] = BucketNames.Name(Bucket) };
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(CustomerIdField, CustomerIds).ConfigureAwait(false);
        await group.WriteAsync<DateOnly>(BucketStartField, BucketStarts, cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(NetSpendField, NetSpend, cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<int>(OrdersField, Orders, cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<double>(ItemsField, Items, cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<int>(ReturnsField, Returns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads partials written by <see cref="WriteParquetAsync"/> (or any file with the same columns; rows are re-sorted and equal cells summed).</summary>
    /// <exception cref="InvalidDataException">A column is missing or the bucket metadata is unknown.</exception>
    public static async Task<PartialAggregates> ReadParquetAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var reader = await ParquetReader.CreateAsync(source, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var bucketName = reader.CustomMetadata.TryGetValue(BucketMetadataKey, out var name) ? name : "week";
        if (!BucketNames.TryParse(bucketName, out var bucket))
        {
            throw new InvalidDataException($"Parquet metadata {BucketMetadataKey} is '{bucketName}'; expected day, week or month.");
        }

        var ids = new List<string>();
        var starts = new List<DateOnly>();
        var netSpend = new List<double>();
        var orders = new List<int>();
        var items = new List<double>();
        var returns = new List<int>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            foreach (var field in Schema.GetDataFields())
            {
                if (!group.ColumnExists(field))
                {
                    throw new InvalidDataException($"Parquet partials have no column '{field.Name}'; expected {string.Join(", ", Schema.GetDataFields().Select(f => f.Name))}.");
                }
            }

            var idColumn = new string?[rows];
            await group.ReadAsync(CustomerIdField, idColumn.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            foreach (var id in idColumn)
            {
                ids.Add(id ?? throw new InvalidDataException("Parquet partials have a row without customer_id."));
            }

            starts.AddRange(await ReadColumnAsync(group, BucketStartField, rows, cancellationToken).ConfigureAwait(false));
            netSpend.AddRange(await ReadColumnAsync(group, NetSpendField, rows, cancellationToken).ConfigureAwait(false));
            orders.AddRange(await ReadColumnAsync(group, OrdersField, rows, cancellationToken).ConfigureAwait(false));
            items.AddRange(await ReadColumnAsync(group, ItemsField, rows, cancellationToken).ConfigureAwait(false));
            returns.AddRange(await ReadColumnAsync(group, ReturnsField, rows, cancellationToken).ConfigureAwait(false));
        }

        return Combine(bucket, [.. ids], [.. starts], [.. netSpend], [.. orders], [.. items], [.. returns]);
    }

    /// <summary>Sorts rows by (customer, bucket) and sums rows of the same cell.</summary>
    private static PartialAggregates Combine(BucketSize bucket, string[] ids, DateOnly[] starts, double[] netSpend, int[] orders, double[] items, int[] returns)
    {
        var customerIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var customers = new List<string>();
        var customerOf = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            if (!customerIndex.TryGetValue(ids[i], out var index))
            {
                index = customers.Count;
                customers.Add(ids[i]);
                customerIndex.Add(ids[i], index);
            }

            customerOf[i] = index;
        }

        var rank = RankCustomers(customers);
        var keys = new long[ids.Length];
        var order = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            keys[i] = ((long)rank[customerOf[i]] << 32) | (uint)BucketMath.Index(starts[i], bucket);
            order[i] = i;
        }

        Array.Sort(keys, order);
        var outIds = new List<string>(ids.Length);
        var outStarts = new List<DateOnly>(ids.Length);
        var outSpend = new List<double>(ids.Length);
        var outOrders = new List<int>(ids.Length);
        var outItems = new List<double>(ids.Length);
        var outReturns = new List<int>(ids.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            var row = order[i];
            if (i > 0 && keys[i] == keys[i - 1])
            {
                var last = outIds.Count - 1;
                outSpend[last] += netSpend[row];
                outOrders[last] += orders[row];
                outItems[last] += items[row];
                outReturns[last] += returns[row];
                continue;
            }

            outIds.Add(customers[customerOf[row]]);
            outStarts.Add(BucketMath.Start(BucketMath.Index(starts[row], bucket), bucket));
            outSpend.Add(netSpend[row]);
            outOrders.Add(orders[row]);
            outItems.Add(items[row]);
            outReturns.Add(returns[row]);
        }

        return new PartialAggregates(bucket, [.. outIds], [.. outStarts], [.. outSpend], [.. outOrders], [.. outItems], [.. outReturns], validate: false);
    }

    /// <summary>Rank of each customer index in ordinal order of the ids.</summary>
    private static int[] RankCustomers(List<string> customers)
    {
        var sorted = new int[customers.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = i;
        }

        Array.Sort(sorted, (a, b) => string.CompareOrdinal(customers[a], customers[b]));
        var rank = new int[customers.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            rank[sorted[i]] = i;
        }

        return rank;
    }

    private static async Task<T[]> ReadColumnAsync<T>(Parquet.ParquetRowGroupReader group, DataField<T> field, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T[rows];
        await group.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return values;
    }
}
