using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Pipeline.Featurize;

namespace Clv.Pipeline.Modeling;

/// <summary><see cref="IExportFeaturizer"/> over <see cref="ExportFeaturizer"/> and <see cref="PartialAggregates"/> (Parquet).</summary>
/// <remarks>
/// Partials are written at day resolution, the finest grid: the model's bucket is applied when sequences are built
/// (<c>PartialAggregates.Rebucket</c>), and the baselines see one transaction per customer-day.
/// The reader's own rejected-share limit is lifted: the featurize job applies <c>Clv:Ingest:RejectedShareThreshold</c>
/// itself, after writing the rejected rows, so a failed file still leaves its reasons behind.
/// </remarks>
internal sealed class ModelingExportFeaturizer : IExportFeaturizer
{
    private readonly ExportReaderOptions _reader;

    /// <summary>Creates the featurizer with the ingest limits of <paramref name="options"/> (defaults when <see langword="null"/>).</summary>
    public ModelingExportFeaturizer(Configuration.ClvOptions? options = null)
    {
        var ingest = options?.Ingest ?? new Configuration.IngestOptions();
        _reader = new ExportReaderOptions
        {
            MaxRejectedShare = 1.0,
            MaxAmount = ingest.MaxAmount,
            MaxDecompressedBytes = ingest.MaxDecompressedBytes,
            MaxCompressionRatio = ingest.MaxCompressionRatio,
        };
    }

    public async Task<FeaturizeCounts> FeaturizeAsync(Stream export, string exportName, Stream partial, Stream rejected, CancellationToken cancellationToken = default)
    {
        FeaturizeResult result;
        using (var sink = new CsvRejectedRowWriter(rejected, leaveOpen: true))
        {
            try
            {
                // The reader is synchronous and streams; run it off the caller's thread.
                result = await Task.Run(() => ExportFeaturizer.Featurize(export, exportName, _reader, BucketSize.Day, sink, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (ExportFormatException ex)
            {
                throw new InvalidDataException(ex.Message, ex);
            }
        }

        await result.Partials.WriteParquetAsync(partial, cancellationToken).ConfigureAwait(false);
        return new FeaturizeCounts(result.Summary.Accepted, result.Summary.Rejected, result.Summary.Customers, result.Summary.Skipped);
    }
}
