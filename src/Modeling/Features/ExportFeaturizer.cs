using System.Diagnostics;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Features;

/// <summary>
/// Reads an export and aggregates it into (customer, bucket) partials in one streaming pass: memory is bounded by
/// the number of cells, not by the size of the file. Called by the pipeline on each dropped blob and by <c>clv featurize</c>.
/// </summary>
public static class ExportFeaturizer
{
    /// <summary>Featurizes one export.</summary>
    /// <param name="export">The export's bytes, plain or gzip (read once, front to back; need not seek).</param>
    /// <param name="sourceName">The file or blob name, used in messages and the summary.</param>
    /// <param name="options">How to read the export.</param>
    /// <param name="bucket">Width of one time step.</param>
    /// <param name="rejected">Receives every rejected row (the pipeline writes them to <c>rejected/{name}.csv</c>); may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels a long read.</param>
    /// <exception cref="ExportFormatException">The file as a whole cannot be used; the message names what was found and expected.</exception>
    public static FeaturizeResult Featurize(
        Stream export,
        string sourceName,
        ExportReaderOptions options,
        BucketSize bucket,
        IRejectedRowSink? rejected,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var accumulator = new PartialAccumulator(bucket);
        ParseCounts counts;
        using (var pipeline = new RowPipeline(accumulator))
        {
            var consumer = new Consumer(pipeline);
            counts = ExportReader.Parse(export, sourceName, options, rejected, ref consumer, cancellationToken);
            pipeline.Complete();
        }

        var partials = accumulator.ToPartials();
        var summary = new IngestSummary(
            sourceName,
            counts.Rows,
            counts.Accepted,
            counts.Rejected,
            accumulator.CustomerCount,
            accumulator.TotalSpend,
            counts.Bytes,
            clock.Elapsed);
        return new FeaturizeResult(partials, summary);
    }

    private readonly struct Consumer(RowPipeline pipeline) : IRowConsumer
    {
        public void Accept(in ParsedRow row) => pipeline.Add(row);
    }
}
