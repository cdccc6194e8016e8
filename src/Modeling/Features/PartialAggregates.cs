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
public sealed partial class PartialAggregates
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

    /// <summary>Rows per row group of a partials file.</summary>
    /// <remarks>
    /// Parquet.Net decodes a column chunk whole into arrays it rents from the shared array pool (bytes, levels and
    /// string slices as long as the row group), and that pool keeps returned arrays per core and per thread. With row
    /// groups of 1,048,576 rows those rentals were 4-16 MB each, spread over whichever threads read a partial: compaction
    /// held 0.35-0.6 GB between messages after a full collection and peaked at 1.3 GB at a million customers, 1.6 GB at
    /// three. Row groups of 32,768 rows, like the shard files', keep the rentals under a megabyte; readers take any
    /// row group size.
    /// </remarks>
    internal const int RowGroupRows = 1 << 15;

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

        if (validate && CellOrderProblem(bucket, customerIds, bucketStarts) is { } problem)
        {
            throw new ArgumentException(problem.Message, problem.Parameter);
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

        // Every input is in (customer, bucket) order without repeats: merge them pairwise, like the passes of a merge sort.
        while (list.Count > 1)
        {
            var next = new List<PartialAggregates>((list.Count + 1) / 2);
            for (var i = 0; i + 1 < list.Count; i += 2)
            {
                next.Add(MergeOrdered(list[i], list[i + 1]));
            }

            if (list.Count % 2 == 1)
            {
                next.Add(list[^1]);
            }

            list = next;
        }

        return list[0];
    }

    /// <summary>One linear pass over two partials in cell order, summing the cells they share.</summary>
    private static PartialAggregates MergeOrdered(PartialAggregates a, PartialAggregates b)
    {
        var capacity = a.Count + b.Count;
        var ids = new string[capacity];
        var starts = new DateOnly[capacity];
        var netSpend = new double[capacity];
        var orders = new int[capacity];
        var items = new double[capacity];
        var returns = new int[capacity];
        int i = 0, j = 0, n = 0;
        while (i < a.Count || j < b.Count)
        {
            int order;
            if (i == a.Count)
            {
                order = 1;
            }
            else if (j == b.Count)
            {
                order = -1;
            }
            else
            {
                order = ReferenceEquals(a.CustomerIds[i], b.CustomerIds[j]) ? 0 : string.CompareOrdinal(a.CustomerIds[i], b.CustomerIds[j]);
                order = order != 0 ? order : a.BucketStarts[i].CompareTo(b.BucketStarts[j]);
            }

            var (source, row) = order <= 0 ? (a, i++) : (b, j++);

            // One string per customer in the result, whichever input it came from.
            ids[n] = n > 0 && string.Equals(ids[n - 1], source.CustomerIds[row], StringComparison.Ordinal) ? ids[n - 1] : source.CustomerIds[row];
            starts[n] = source.BucketStarts[row];
            netSpend[n] = source.NetSpend[row];
            orders[n] = source.Orders[row];
            items[n] = source.Items[row];
            returns[n] = source.Returns[row];
            if (order == 0)
            {
                netSpend[n] += b.NetSpend[j];
                orders[n] += b.Orders[j];
                items[n] += b.Items[j];
                returns[n] += b.Returns[j];
                j++;
            }

            n++;
        }

        return new PartialAggregates(a.Bucket, ids[..n], starts[..n], netSpend[..n], orders[..n], items[..n], returns[..n], validate: false);
    }

    /// <summary>
    /// The rows of the customers <paramref name="include"/> accepts, asked once per customer; rows stay in their order.
    /// Returns this instance when every customer is kept.
    /// </summary>
    public PartialAggregates WhereCustomer(Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        var rows = new List<int>();
        string? lastId = null;
        var lastKept = false;
        for (var i = 0; i < Count; i++)
        {
            var id = CustomerIds[i];
            if (!ReferenceEquals(id, lastId) && id != lastId)
            {
                lastId = id;
                lastKept = include(id);
            }

            if (lastKept)
            {
                rows.Add(i);
            }
        }

        if (rows.Count == Count)
        {
            return this;
        }

        T[] Take<T>(T[] column) => rows.Select(r => column[r]).ToArray();
        return new PartialAggregates(Bucket, Take(CustomerIds), Take(BucketStarts), Take(NetSpend), Take(Orders), Take(Items), Take(Returns), validate: false);
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
    public Task WriteParquetAsync(Stream destination, CancellationToken cancellationToken = default) =>
        WriteParquetAsync(destination, RowGroupRows, cancellationToken);

    /// <summary>Writes the partials with row groups of <paramref name="rowGroupRows"/> rows (none when there are no rows).</summary>
    internal async Task WriteParquetAsync(Stream destination, int rowGroupRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupRows, 1);
        var writer = await CreateFileWriterAsync(destination, Bucket, cancellationToken).ConfigureAwait(false);
        for (var start = 0; start < Count; start += rowGroupRows)
        {
            var rows = Math.Min(rowGroupRows, Count - start);
            using var group = EncodeRowGroup(
                CustomerIds.AsSpan(start, rows),
                BucketStarts.AsSpan(start, rows),
                NetSpend.AsSpan(start, rows),
                Orders.AsSpan(start, rows),
                Items.AsSpan(start, rows),
                Returns.AsSpan(start, rows));
            await writer.WriteRowGroupAsync(group, cancellationToken).ConfigureAwait(false);
        }

        await writer.FinishAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads partials written by <see cref="WriteParquetAsync"/> (or any file with the same columns; rows are re-sorted and equal cells summed).</summary>
    /// <exception cref="InvalidDataException">A column is missing or the bucket metadata is unknown.</exception>
    public static async Task<PartialAggregates> ReadParquetAsync(Stream source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var reader = await ParquetReader.CreateAsync(source, new ParquetOptions { UseDateOnlyTypeForDates = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var bucketName = reader.CustomMetadata.TryGetValue(BucketMetadataKey, out var name) ? name : "week";
        if (!BucketNames.TryParse(bucketName, out var bucket))
        {
            throw new InvalidDataException($"Parquet metadata {BucketMetadataKey} is '{bucketName}'; expected day, week or month.");
        }

        var total = 0L;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            total += reader.RowGroups[g].RowCount;
        }

        var count = checked((int)total);
        var ids = new string?[count];
        var starts = new DateOnly[count];
        var netSpend = new double[count];
        var orders = new int[count];
        var items = new double[count];
        var returns = new int[count];
        var offset = 0;
        DataField[]? fields = null;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            fields ??= FileFields(reader.Schema);
            await group.ReadAsync(fields[0], ids.AsMemory(offset, rows), null, cancellationToken).ConfigureAwait(false);
            await ReadValuesAsync(group, fields[1], starts.AsMemory(offset, rows), cancellationToken).ConfigureAwait(false);
            await ReadValuesAsync(group, fields[2], netSpend.AsMemory(offset, rows), cancellationToken).ConfigureAwait(false);
            await ReadValuesAsync(group, fields[3], orders.AsMemory(offset, rows), cancellationToken).ConfigureAwait(false);
            await ReadValuesAsync(group, fields[4], items.AsMemory(offset, rows), cancellationToken).ConfigureAwait(false);
            await ReadValuesAsync(group, fields[5], returns.AsMemory(offset, rows), cancellationToken).ConfigureAwait(false);
            offset += rows;
        }

        if (Array.IndexOf(ids, null) is var missing and >= 0)
        {
            throw new InvalidDataException($"Parquet partials have a row without customer_id (row {missing}).");
        }

        // Partials this library wrote are already in (customer, bucket) order; files from elsewhere are sorted and summed.
        return CellOrderProblem(bucket, ids!, starts) is null
            ? new PartialAggregates(bucket, ids!, starts, netSpend, orders, items, returns, validate: false)
            : Combine(bucket, ids!, starts, netSpend, orders, items, returns);
    }

    /// <summary>One cell of a partials file as <see cref="ReadCellsInOrderAsync"/> streams it.</summary>
    /// <param name="customerId">The customer; one string instance for all of a customer's consecutive cells.</param>
    /// <param name="bucketStart">First day of the cell's bucket.</param>
    /// <param name="netSpend">Net spend.</param>
    /// <param name="orders">Orders.</param>
    /// <param name="items">Items.</param>
    /// <param name="returns">Returns.</param>
    internal delegate void CellHandler(string customerId, DateOnly bucketStart, double netSpend, int orders, double items, int returns);

    /// <summary>
    /// Streams the cells of a partials file one row group at a time to <paramref name="cell"/>, as long as they are in
    /// (customer, bucket) order: the file's bucket size, and whether every cell was in order. A file this library wrote
    /// always is; at the first cell out of order (a file from elsewhere) reading stops, and the caller reads the file
    /// whole with <see cref="ReadParquetAsync"/>, which sorts it and sums repeated cells.
    /// </summary>
    /// <exception cref="InvalidDataException">A column is missing, a row has no customer id or the bucket metadata is unknown.</exception>
    internal static async Task<(BucketSize Bucket, bool InOrder)> ReadCellsInOrderAsync(Stream source, CellHandler cell, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(cell);
        var reader = await ParquetReader.CreateAsync(source, new ParquetOptions { UseDateOnlyTypeForDates = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var bucketName = reader.CustomMetadata.TryGetValue(BucketMetadataKey, out var name) ? name : "week";
        if (!BucketNames.TryParse(bucketName, out var bucket))
        {
            throw new InvalidDataException($"Parquet metadata {BucketMetadataKey} is '{bucketName}'; expected day, week or month.");
        }

        var fields = FileFields(reader.Schema);

        // One set of column buffers for every row group, sized to the largest.
        var groupRows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            groupRows = Math.Max(groupRows, checked((int)reader.RowGroups[g].RowCount));
        }

        var ids = new string?[groupRows];
        var starts = new DateOnly[groupRows];
        var netSpend = new double[groupRows];
        var orders = new int[groupRows];
        var items = new double[groupRows];
        var returns = new int[groupRows];
        string? lastId = null;
        var lastStart = DateOnly.MinValue;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            await group.ReadAsync(fields[0], ids.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
            await ReadValuesAsync(group, fields[1], starts.AsMemory(0, rows), cancellationToken).ConfigureAwait(false);
            await ReadValuesAsync(group, fields[2], netSpend.AsMemory(0, rows), cancellationToken).ConfigureAwait(false);
            await ReadValuesAsync(group, fields[3], orders.AsMemory(0, rows), cancellationToken).ConfigureAwait(false);
            await ReadValuesAsync(group, fields[4], items.AsMemory(0, rows), cancellationToken).ConfigureAwait(false);
            await ReadValuesAsync(group, fields[5], returns.AsMemory(0, rows), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < rows; i++)
            {
                var id = ids[i] ?? throw new InvalidDataException("Parquet partials have a row without customer_id.");
                var order = lastId is null ? -1 : string.CompareOrdinal(lastId, id);
                if (order > 0 || (order == 0 && lastStart >= starts[i]) || BucketMath.Start(BucketMath.Index(starts[i], bucket), bucket) != starts[i])
                {
                    return (bucket, false);
                }

                // One string per customer, as ReadParquetAsync's callers keep them.
                lastId = order == 0 ? lastId : id;
                lastStart = starts[i];
                cell(lastId!, starts[i], netSpend[i], orders[i], items[i], returns[i]);
            }
        }

        return (bucket, true);
    }

    /// <summary>Rows in (customer, bucket) order as they are read, in growing columns.</summary>
    /// <param name="capacity">Rows expected; the columns grow past it when more are added.</param>
    internal sealed class PartBuilder(int capacity = 64)
    {
        private string[] _ids = new string[Math.Max(capacity, 1)];
        private DateOnly[] _starts = new DateOnly[Math.Max(capacity, 1)];
        private double[] _netSpend = new double[Math.Max(capacity, 1)];
        private int[] _orders = new int[Math.Max(capacity, 1)];
        private double[] _items = new double[Math.Max(capacity, 1)];
        private int[] _returns = new int[Math.Max(capacity, 1)];
        private int _count;

        /// <summary>Rows added.</summary>
        public int Count => _count;

        public void Add(string id, DateOnly start, double netSpend, int orders, double items, int returns)
        {
            if (_count == _ids.Length)
            {
                var length = _count * 2;
                Array.Resize(ref _ids, length);
                Array.Resize(ref _starts, length);
                Array.Resize(ref _netSpend, length);
                Array.Resize(ref _orders, length);
                Array.Resize(ref _items, length);
                Array.Resize(ref _returns, length);
            }

            _ids[_count] = id;
            _starts[_count] = start;
            _netSpend[_count] = netSpend;
            _orders[_count] = orders;
            _items[_count] = items;
            _returns[_count] = returns;
            _count++;
        }

        /// <summary>The rows as partials; the columns are handed over, not copied, when they are exactly full.</summary>
        public PartialAggregates Build(BucketSize bucket) => _count == _ids.Length
            ? new(bucket, _ids, _starts, _netSpend, _orders, _items, _returns, validate: false)
            : new(bucket, _ids[.._count], _starts[.._count], _netSpend[.._count], _orders[.._count], _items[.._count], _returns[.._count], validate: false);
    }

    /// <summary>
    /// The first row that breaks cell order: a missing id, a start that is not the first day of its bucket, or rows out
    /// of (customer, bucket) order or repeating a cell; <see langword="null"/> when the rows are in cell order.
    /// </summary>
    private static (string Message, string Parameter)? CellOrderProblem(BucketSize bucket, string[] customerIds, DateOnly[] bucketStarts)
    {
        for (var i = 0; i < customerIds.Length; i++)
        {
            if (customerIds[i] is null)
            {
                return ($"Row {i} has no customer id.", nameof(customerIds));
            }

            if (BucketMath.Start(BucketMath.Index(bucketStarts[i], bucket), bucket) != bucketStarts[i])
            {
                return ($"Row {i}: {bucketStarts[i]:yyyy-MM-dd} is not the first day of a {BucketNames.Name(bucket)}.", nameof(bucketStarts));
            }

            if (i > 0)
            {
                var byCustomer = ReferenceEquals(customerIds[i - 1], customerIds[i]) ? 0 : string.CompareOrdinal(customerIds[i - 1], customerIds[i]);
                if (byCustomer > 0 || (byCustomer == 0 && bucketStarts[i - 1] >= bucketStarts[i]))
                {
                    return ($"Rows {i - 1} and {i} ('{customerIds[i]}', {bucketStarts[i]:yyyy-MM-dd}) are out of (customer, bucket) order or repeat a cell.", nameof(customerIds));
                }
            }
        }

        return null;
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

    /// <summary>The file's own fields for the six columns, in schema order (its nullability decides how values are read).</summary>
    /// <exception cref="InvalidDataException">A column is missing or has another type.</exception>
    private static DataField[] FileFields(ParquetSchema fileSchema)
    {
        var expected = Schema.GetDataFields();
        var found = fileSchema.GetDataFields();
        var fields = new DataField[expected.Length];
        for (var i = 0; i < expected.Length; i++)
        {
            var field = Array.Find(found, f => f.Name == expected[i].Name)
                ?? throw new InvalidDataException($"Parquet partials have no column '{expected[i].Name}'; expected {string.Join(", ", expected.Select(f => f.Name))}.");
            if (field.ClrType != expected[i].ClrType || field.IsArray)
            {
                throw new InvalidDataException($"Parquet partials column '{field.Name}' holds {field.ClrType.Name}{(field.IsArray ? " lists" : string.Empty)}; expected {expected[i].ClrType.Name}.");
            }

            fields[i] = field;
        }

        return fields;
    }

    /// <summary>Reads a value column, nullable or not; a null is an error naming the column.</summary>
    private static async Task ReadValuesAsync<T>(Parquet.ParquetRowGroupReader group, DataField field, Memory<T> destination, CancellationToken cancellationToken)
        where T : struct
    {
        if (!field.IsNullable)
        {
            await group.ReadAsync(field, destination, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var values = new T?[destination.Length];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        var span = destination.Span;
        for (var i = 0; i < values.Length; i++)
        {
            span[i] = values[i] ?? throw new InvalidDataException($"Parquet partials have a row without {field.Name}.");
        }
    }
}
