using System.Text;

namespace Clv.Modeling.Features;

/// <summary>
/// A partials file split by customer partition into local files, one per partition, read back a partition at a time:
/// compaction merges an export's rows into each shard it touches while holding only the parts of the shards in flight,
/// whatever the size of the export or the number of customers it spans.
/// </summary>
/// <remarks>
/// Compaction held the parts of a range of shards instead (262,144 rows of the partial at a time) and parsed the
/// partial again for every range; the scale benchmark's compaction stage peaked at 213 MiB at one million customers
/// and 282 MiB at ten million that way, and at 172 and 205 MiB with this split (<c>bench/run.sh scale</c>, README
/// Sizing). Here the partial is read once, one row group at a time. The files are this class's own: rows of a
/// partition in the partial's (customer, bucket) order, written with <see cref="BinaryWriter"/> and read only by
/// <see cref="Read"/>; a Parquet writer per partition would hold a row group for each of them.
/// </remarks>
public sealed class PartialSpill : IDisposable
{
    private const int FileBufferBytes = 4096;

    private readonly string _directory;
    private readonly long[] _rows;
    private BinaryWriter?[]? _writers;
    private bool _disposed;

    private PartialSpill(string directory, int partitionCount)
    {
        _directory = directory;
        _rows = new long[partitionCount];
        _writers = new BinaryWriter?[partitionCount];
    }

    /// <summary>The bucket size of the partials.</summary>
    public BucketSize Bucket { get; private set; }

    /// <summary>Rows of the whole partial (after summing repeated cells of a file from elsewhere).</summary>
    public long Rows => _rows.Sum();

    /// <summary>Whether the partial has rows in <paramref name="partition"/>.</summary>
    public bool Has(int partition) => _rows[partition] > 0;

    /// <summary>
    /// Splits the partials file <paramref name="source"/> into <paramref name="partitionCount"/> parts by
    /// <paramref name="partitionOf"/>, in files under <paramref name="directory"/> (created; deleted on dispose).
    /// </summary>
    /// <param name="source">A seekable stream over a partials file.</param>
    /// <param name="partitionOf">The partition of a customer id, <c>0..partitionCount-1</c>.</param>
    /// <param name="partitionCount">Number of parts.</param>
    /// <param name="directory">A folder of its own for the part files.</param>
    /// <param name="cancellationToken">Stops the split.</param>
    /// <exception cref="InvalidDataException">A column is missing or the bucket metadata is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="partitionOf"/> gave a partition out of range.</exception>
    public static async Task<PartialSpill> CreateAsync(Stream source, Func<string, int> partitionOf, int partitionCount, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(partitionOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var spill = new PartialSpill(directory, partitionCount);
        try
        {
            var start = source.Position;
            string? lastId = null;
            var partition = -1;

            // Ids come one string per customer, so the partition is worked out once per customer.
            void Add(string id, DateOnly bucketStart, double netSpend, int orders, double items, int returns)
            {
                if (!ReferenceEquals(id, lastId))
                {
                    lastId = id;
                    partition = PartitionOf(partitionOf, id, partitionCount);
                }

                spill.Write(partition, id, bucketStart, netSpend, orders, items, returns);
            }

            var (bucket, inOrder) = await PartialAggregates.ReadCellsInOrderAsync(source, Add, cancellationToken).ConfigureAwait(false);
            if (!inOrder)
            {
                // Not a file this library wrote: read it whole, which sorts it and sums repeated cells, and split that.
                spill.Clear();
                source.Position = start;
                var whole = await PartialAggregates.ReadParquetAsync(source, cancellationToken).ConfigureAwait(false);
                bucket = whole.Bucket;
                for (var i = 0; i < whole.Count; i++)
                {
                    Add(whole.CustomerIds[i], whole.BucketStarts[i], whole.NetSpend[i], whole.Orders[i], whole.Items[i], whole.Returns[i]);
                }
            }

            spill.Bucket = bucket;
            spill.CloseWriters();
            return spill;
        }
        catch
        {
            spill.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Splits the partials file at <paramref name="path"/> as <see cref="CreateAsync(Stream, Func{string, int}, int, string, CancellationToken)"/>
    /// does, reading it through a buffered stream of its own.
    /// </summary>
    /// <param name="path">A partials file.</param>
    /// <param name="partitionOf">The partition of a customer id, <c>0..partitionCount-1</c>.</param>
    /// <param name="partitionCount">Number of parts.</param>
    /// <param name="directory">A folder of its own for the part files.</param>
    /// <param name="cancellationToken">Stops the split.</param>
    public static async Task<PartialSpill> CreateAsync(string path, Func<string, int> partitionOf, int partitionCount, string directory, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return await CreateAsync(stream, partitionOf, partitionCount, directory, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The partial's rows in <paramref name="partition"/>, in (customer, bucket) order; <see langword="null"/> when it has none.</summary>
    /// <remarks>The same rows, in the same order, as <c>PartialShard.Split(partials, partitionOf, partitionCount)[partition]</c>.</remarks>
    public PartialAggregates? Read(int partition)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rows = _rows[partition];
        if (rows == 0)
        {
            return null;
        }

        using var reader = new BinaryReader(new FileStream(PathOf(partition), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), Encoding.UTF8);
        var part = new PartialAggregates.PartBuilder(checked((int)rows));
        string? lastId = null;
        for (var i = 0L; i < rows; i++)
        {
            var id = reader.ReadString();
            if (lastId is null || !string.Equals(id, lastId, StringComparison.Ordinal))
            {
                // One string per customer, as the partial's readers keep them.
                lastId = id;
            }

            part.Add(lastId, DateOnly.FromDayNumber(reader.ReadInt32()), reader.ReadDouble(), reader.ReadInt32(), reader.ReadDouble(), reader.ReadInt32());
        }

        return part.Build(Bucket);
    }

    /// <summary>Deletes the part files.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        CloseWriters();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; the next split uses a new one.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    private static int PartitionOf(Func<string, int> partitionOf, string id, int partitionCount)
    {
        var partition = partitionOf(id);
        return (uint)partition < (uint)partitionCount
            ? partition
            : throw new ArgumentOutOfRangeException(nameof(partitionOf), partition, $"Partition must be in 0..{partitionCount - 1}.");
    }

    private string PathOf(int partition) => Path.Combine(_directory, partition.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".rows");

    private void Write(int partition, string id, DateOnly bucketStart, double netSpend, int orders, double items, int returns)
    {
        var writer = _writers![partition] ??= new BinaryWriter(new FileStream(PathOf(partition), FileMode.Create, FileAccess.Write, FileShare.None, FileBufferBytes), Encoding.UTF8);
        writer.Write(id);
        writer.Write(bucketStart.DayNumber);
        writer.Write(netSpend);
        writer.Write(orders);
        writer.Write(items);
        writer.Write(returns);
        _rows[partition]++;
    }

    /// <summary>Empties every part (the in-order read stopped part way).</summary>
    private void Clear()
    {
        CloseWriters();
        _writers = new BinaryWriter?[_rows.Length];
        Array.Clear(_rows);
    }

    private void CloseWriters()
    {
        if (_writers is null)
        {
            return;
        }

        foreach (var writer in _writers)
        {
            writer?.Dispose();
        }

        _writers = null;
    }
}
