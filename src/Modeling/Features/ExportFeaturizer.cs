using System.Runtime.CompilerServices;
using System.Diagnostics;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Features;

/// <summary>
/// Reads an export and aggregates it into (customer, bucket) partials in one streaming pass: memory is bounded by
/// the number of cells, not by the size of the file. Called by the pipeline on each dropped blob and by <c>clv featurize</c>.
/// </summary>
/// <remarks>
/// The export is cut into chunks of whole records that all threads parse; each thread also aggregates one shard of the
/// customers (by id hash), taking its rows from every chunk in file order. Every cell therefore sums its rows in file
/// order, so the partials are bit-identical whatever the number of threads.
/// </remarks>
public static class ExportFeaturizer
{
    /// <summary>Featurizes one export.</summary>
    /// <param name="export">The export's bytes, plain or gzip (read once, front to back; need not seek).</param>
    /// <param name="sourceName">The file or blob name, used in messages and the summary.</param>
    /// <param name="options">How to read the export.</param>
    /// <param name="bucket">Width of one time step.</param>
    /// <param name="rejected">Receives every rejected row, in file order (the pipeline writes them to <c>rejected/{name}.csv</c>); may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels a long read.</param>
    /// <exception cref="ExportFormatException">The file as a whole cannot be used; the message names what was found and expected.</exception>
    public static FeaturizeResult Featurize(
        Stream export,
        string sourceName,
        ExportReaderOptions options,
        BucketSize bucket,
        IRejectedRowSink? rejected,
        CancellationToken cancellationToken = default) =>
        Featurize(export, sourceName, options, bucket, rejected, Math.Min(Environment.ProcessorCount, MaxThreads), ExportChunkReader.DefaultChunkBytes, cancellationToken);

    /// <summary>More threads than this gain nothing: reading the stream is serial.</summary>
    internal const int MaxThreads = 8;

    /// <summary>
    /// Bytes of aggregation tables one export may hold before it spills to local files: 256 MiB, split between the
    /// threads. A (customer, day) cell takes 44 bytes and a customer about 100 (record, id, hash slots); assembling the
    /// partials file takes about as much again (columns, id strings, sort keys). So an export of up to about 2.5 million
    /// cells (a 2.5-million-line export of about 230,000 customers) stays in memory, and any larger one holds this much
    /// (plus one row group while the runs are merged), whatever its size. A smaller budget does not lower
    /// the stage's peak: at 64 MiB every 2.5-million-line export spilled, and featurizing a million and three million
    /// customers took about a third longer at the same or a higher peak, so the aggregation tables are not what sets it.
    /// </summary>
    internal const long DefaultBudgetBytes = 256L << 20;

    /// <summary>
    /// Featurizes one export straight into a partials file, holding at most a fixed budget of aggregation state whatever
    /// the export's size: past it the state goes to local run files that are merged as the file is written. The file is
    /// byte for byte the one <see cref="Featurize(Stream, string, ExportReaderOptions, BucketSize, IRejectedRowSink?, CancellationToken)"/>
    /// then <see cref="PartialAggregates.WriteParquetAsync(Stream, CancellationToken)"/> write.
    /// </summary>
    /// <param name="export">The export's bytes, plain or gzip (read once, front to back; need not seek).</param>
    /// <param name="sourceName">The file or blob name, used in messages and the summary.</param>
    /// <param name="options">How to read the export.</param>
    /// <param name="bucket">Width of one time step.</param>
    /// <param name="rejected">Receives every rejected row, in file order; may be <see langword="null"/>.</param>
    /// <param name="partial">Receives the partials file.</param>
    /// <param name="cancellationToken">Cancels a long read.</param>
    /// <returns>What the export held.</returns>
    /// <exception cref="ExportFormatException">The file as a whole cannot be used; the message names what was found and expected.</exception>
    public static Task<IngestSummary> FeaturizeToParquetAsync(
        Stream export,
        string sourceName,
        ExportReaderOptions options,
        BucketSize bucket,
        IRejectedRowSink? rejected,
        Stream partial,
        CancellationToken cancellationToken = default) =>
        FeaturizeToParquetAsync(export, sourceName, options, bucket, rejected, partial, Math.Min(Environment.ProcessorCount, MaxThreads), ExportChunkReader.DefaultChunkBytes, DefaultBudgetBytes, cancellationToken);

    /// <summary>
    /// The same with a memory budget of the caller's: past <paramref name="budgetBytes"/> of aggregation tables the
    /// export spills to local files. A machine that featurizes one export at a time can give it more than the default.
    /// </summary>
    /// <exception cref="ExportFormatException">The file as a whole cannot be used; the message names what was found and expected.</exception>
    public static Task<IngestSummary> FeaturizeToParquetAsync(
        Stream export,
        string sourceName,
        ExportReaderOptions options,
        BucketSize bucket,
        IRejectedRowSink? rejected,
        Stream partial,
        long budgetBytes,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetBytes, 1);
        return FeaturizeToParquetAsync(export, sourceName, options, bucket, rejected, partial, Math.Min(Environment.ProcessorCount, MaxThreads), ExportChunkReader.DefaultChunkBytes, budgetBytes, cancellationToken);
    }

    /// <summary>The same with a given number of threads, chunk size and memory budget (tests force spills with tiny budgets).</summary>
    internal static async Task<IngestSummary> FeaturizeToParquetAsync(
        Stream export,
        string sourceName,
        ExportReaderOptions options,
        BucketSize bucket,
        IRejectedRowSink? rejected,
        Stream partial,
        int threads,
        int chunkBytes,
        long budgetBytes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partial);
        using var folder = new SpillFolder();

        // The reader is synchronous and streams; run it off the caller's thread.
        var aggregation = await Task.Run(() => Aggregate(export, sourceName, options, bucket, rejected, threads, chunkBytes, budgetBytes, folder, cancellationToken, null), cancellationToken).ConfigureAwait(false);
        if (!aggregation.Shards.Any(s => s.Spilled))
        {
            var customers = aggregation.Shards.Sum(s => s.Cells!.CustomerCount);
            await PartialsAssembler.WriteParquetAsync(aggregation.Shards.Select(s => s.Cells!).ToArray(), partial, cancellationToken).ConfigureAwait(false);
            return aggregation.Summary(customers);
        }

        Parallel.ForEach(aggregation.Shards, shard => shard.SpillRest());
        var runs = aggregation.Shards.SelectMany(s => s.Runs).ToList();
        var merged = await CellRunMerger.WriteParquetAsync(runs, bucket, partial, cancellationToken).ConfigureAwait(false);
        return aggregation.Summary(merged);
    }

    /// <summary>
    /// Featurizes with a given number of threads, chunk size and record-splitting vector width (tests use small chunks to
    /// cut files many ways, and run every width the machine has).
    /// </summary>
    internal static FeaturizeResult Featurize(
        Stream export,
        string sourceName,
        ExportReaderOptions options,
        BucketSize bucket,
        IRejectedRowSink? rejected,
        int threads,
        int chunkBytes,
        CancellationToken cancellationToken,
        int? vectorBits = null)
    {
        using var folder = new SpillFolder();
        var aggregation = Aggregate(export, sourceName, options, bucket, rejected, threads, chunkBytes, long.MaxValue, folder, cancellationToken, vectorBits);
        var customers = aggregation.Shards.Sum(s => s.Cells!.CustomerCount);
        var partials = PartialsAssembler.Assemble(aggregation.Shards.Select(s => s.Cells!).ToArray());
        return new FeaturizeResult(partials, aggregation.Summary(customers));
    }

    /// <summary>Reads the export and aggregates it on <paramref name="threads"/> threads, each spilling past its share of <paramref name="budgetBytes"/>.</summary>
    private static Aggregation Aggregate(
        Stream export,
        string sourceName,
        ExportReaderOptions options,
        BucketSize bucket,
        IRejectedRowSink? rejected,
        int threads,
        int chunkBytes,
        long budgetBytes,
        SpillFolder folder,
        CancellationToken cancellationToken,
        int? vectorBits)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ExportReader.ValidateOptions(sourceName, options);
        var clock = Stopwatch.StartNew();
        using var text = ExportReader.OpenText(export, sourceName, options);
        using var parser = new ExportParser(text, sourceName, options, rejected);
        var layout = parser.Open();
        var shards = new SpillingAccumulator[threads];
        for (var s = 0; s < threads; s++)
        {
            shards[s] = new SpillingAccumulator(bucket, budgetBytes == long.MaxValue ? long.MaxValue : budgetBytes / threads, folder);
        }

        var totals = new ChunkTotals(rejected);
        if (layout is not null)
        {
            var reader = parser.Chunks(chunkBytes);
            var run = new ShardedRun(layout, reader, shards, totals, vectorBits ?? ParserVectorWidth.Default, cancellationToken);
            run.Execute();
            totals.Counts = totals.Counts with { TextBytes = parser.BytesRead };
            totals.Rejected.ThrowIfOverThreshold(sourceName, totals.Counts, options.MaxRejectedShare, (options.OptionNames ?? ExportOptionNames.Properties).MaxRejectedShare, layout.Columns);
        }
        else
        {
            totals.Counts = new ParseCounts(0, 0, 0, 0, parser.BytesRead);
        }

        return new Aggregation(sourceName, shards, totals, layout, clock);
    }

    /// <summary>The threads' aggregation of one export and the figures of its reading.</summary>
    private sealed record Aggregation(string SourceName, SpillingAccumulator[] Shards, ChunkTotals Totals, ExportLayout? Layout, Stopwatch Clock)
    {
        public IngestSummary Summary(int customers) =>
            new(SourceName, Totals.Counts.Rows, Totals.Counts.Accepted, Totals.Counts.Rejected, Totals.Counts.Skipped, customers, Totals.Spend, Totals.Counts.TextBytes, Clock.Elapsed)
            {
                Profile = Layout?.Columns.ProfileName ?? ExportProfiles.Generic,
                Excluded = Totals.Counts.Excluded,
                Currency = Layout?.Columns.Rules?.Currency,
                HashedIds = Layout?.Columns.Rules?.Hasher is not null,
            };
    }

    /// <summary>Figures summed over chunks in file order (so the total spend does not depend on the number of threads).</summary>
    private sealed class ChunkTotals(IRejectedRowSink? rejected)
    {
        public RejectedRowTally Rejected { get; } = new(rejected);

        public ParseCounts Counts { get; set; }

        public double Spend { get; set; }
    }

    /// <summary>One chunk, parsed: its rows split by shard, its rejected rows and figures.</summary>
    private sealed class ParsedChunk(RowBlock[] blocks, RejectedRowList rejected, ParseCounts counts, double spend)
    {
        public RowBlock[] Blocks { get; } = blocks;

        public RejectedRowList Rejected { get; } = rejected;

        public ParseCounts Counts { get; } = counts;

        public double Spend { get; } = spend;

        /// <summary>Shards that have not yet aggregated their block.</summary>
        public int Pending { get; set; } = blocks.Length;
    }

    /// <summary>Sends each parsed row to its shard's block and sums the chunk's spend.</summary>
    private struct ShardRouter(RowBlock[] blocks, BucketSize bucket) : IRowConsumer
    {
        public double Spend { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Accept(in ParsedRow row)
        {
            var key = CustomerKey.Create(row.CustomerId);
            var block = blocks.Length == 1 ? blocks[0] : blocks[key.ShardIndex(blocks.Length)];
            block.Add(key, row.CustomerId, BucketMath.Index(row.DayNumber, bucket), row.Amount, row.Quantity, PartialAccumulator.OrderKey(row.OrderId, row.DayNumber));
            Spend += row.Amount;
        }
    }

    /// <summary>
    /// The threads of one featurize run. Each thread loops: aggregate its shard's blocks of every chunk parsed so far, in
    /// chunk order; then take the next chunk from the reader and parse it. Chunks in flight are bounded, so memory is.
    /// Rejected rows and figures are handed on in chunk order as chunks finish parsing.
    /// </summary>
    private sealed class ShardedRun(ExportLayout layout, ExportChunkReader reader, SpillingAccumulator[] shards, ChunkTotals totals, int vectorBits, CancellationToken cancellationToken)
    {
        private readonly object _gate = new();
        private readonly Dictionary<int, ParsedChunk> _parsed = [];
        private readonly Stack<RowBlock> _freeBlocks = new();
        private readonly int[] _nextToAggregate = new int[shards.Length];
        private readonly int _maxInFlight = (2 * shards.Length) + 2;
        private int _chunksTaken;
        private int _nextToReport;
        private bool _readerDone;
        private Exception? _failure;

        public void Execute()
        {
            var helpers = new Task[shards.Length - 1];
            for (var s = 1; s < shards.Length; s++)
            {
                var shard = s;
                helpers[s - 1] = Task.Factory.StartNew(() => Work(shard), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            Work(0);
            Task.WaitAll(helpers);
            if (_failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
            }
        }

        private void Work(int shard)
        {
            try
            {
                var records = new RecordParser(layout, vectorBits);
                while (true)
                {
                    while (TryTakeBlock(shard, out var sequence, out var block))
                    {
                        shards[shard].Add(block);
                        Release(shard, sequence, block);
                    }

                    ExportChunk? chunk;
                    lock (_gate)
                    {
                        if (_failure is not null || (_readerDone && _nextToAggregate[shard] == _chunksTaken))
                        {
                            return;
                        }

                        if (_parsed.ContainsKey(_nextToAggregate[shard]))
                        {
                            continue;
                        }

                        if (_readerDone || _chunksTaken - _nextToAggregate.Min() >= _maxInFlight)
                        {
                            Monitor.Wait(_gate);
                            continue;
                        }

                        cancellationToken.ThrowIfCancellationRequested();
                        chunk = reader.Next();
                        if (chunk is null)
                        {
                            _readerDone = true;
                            Monitor.PulseAll(_gate);
                            continue;
                        }

                        _chunksTaken++;
                    }

                    using (chunk)
                    {
                        Publish(chunk.Sequence, Parse(records, chunk));
                    }
                }
            }
            catch (Exception failure)
            {
                lock (_gate)
                {
                    _failure ??= failure;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        private ParsedChunk Parse(RecordParser records, ExportChunk chunk)
        {
            var blocks = new RowBlock[shards.Length];
            lock (_gate)
            {
                for (var s = 0; s < blocks.Length; s++)
                {
                    blocks[s] = _freeBlocks.Count > 0 ? _freeBlocks.Pop() : new RowBlock();
                }
            }

            var router = new ShardRouter(blocks, shards[0].Bucket);
            var rejected = new RejectedRowList();
            var counts = records.ParseChunk(chunk.Data, chunk.FirstLine, ref router, rejected);
            return new ParsedChunk(blocks, rejected, counts, router.Spend);
        }

        private void Publish(int sequence, ParsedChunk chunk)
        {
            lock (_gate)
            {
                _parsed.Add(sequence, chunk);
                while (_nextToReport < _chunksTaken && _parsed.TryGetValue(_nextToReport, out var next))
                {
                    totals.Counts += next.Counts;
                    totals.Spend += next.Spend;
                    totals.Rejected.AddRange(next.Rejected);
                    _nextToReport++;
                }

                Monitor.PulseAll(_gate);
            }
        }

        private bool TryTakeBlock(int shard, out int sequence, out RowBlock block)
        {
            lock (_gate)
            {
                sequence = _nextToAggregate[shard];
                if (_failure is null && _parsed.TryGetValue(sequence, out var chunk))
                {
                    block = chunk.Blocks[shard];
                    return true;
                }

                block = null!;
                return false;
            }
        }

        private void Release(int shard, int sequence, RowBlock block)
        {
            block.Clear();
            lock (_gate)
            {
                var chunk = _parsed[sequence];
                _nextToAggregate[shard]++;

                // A shard takes a chunk only after every earlier one is parsed, so this chunk has been reported.
                if (--chunk.Pending == 0)
                {
                    _parsed.Remove(sequence);
                }

                _freeBlocks.Push(block);
                Monitor.PulseAll(_gate);
            }
        }
    }
}
