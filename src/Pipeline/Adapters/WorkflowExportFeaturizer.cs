using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Featurize;

namespace Clv.Pipeline.Adapters;

/// <summary><see cref="IExportFeaturizer"/> over <see cref="ExportFeaturizer"/> and <see cref="PartialAggregates"/> (Parquet).</summary>
/// <remarks>
/// Partials are written at day resolution, the finest grid: the model's bucket is applied when sequences are built
/// (<c>PartialAggregates.Rebucket</c>), and the baselines see one transaction per customer-day.
/// The reader's own rejected-share limit is lifted: the featurize job applies <c>Clv:Ingest:RejectedShareThreshold</c>
/// itself, after writing the rejected rows, so a failed file still leaves its reasons behind.
/// </remarks>
internal sealed class WorkflowExportFeaturizer(ClvOptions? options = null) : IExportFeaturizer
{
    private readonly ExportReaderOptions _reader = new()
    {
        MaxRejectedShare = 1.0,
        MaxAmount = options?.Ingest.MaxAmount ?? ExportReaderOptions.DefaultMaxAmount,
        MaxDecompressedBytes = options?.Ingest.MaxDecompressedBytes ?? ExportReaderOptions.DefaultMaxDecompressedBytes,
        MaxCompressionRatio = options?.Ingest.MaxCompressionRatio ?? ExportReaderOptions.DefaultMaxCompressionRatio,
        OptionNames = ExportOptionNames.MappingFile,
        CustomerIdHasher = options?.Ingest.CreateHasher(),
        Currency = string.IsNullOrEmpty(options?.Ingest.Currency) ? null : options.Ingest.Currency.ToUpperInvariant(),
    };

    public Task<FeaturizeCounts> FeaturizeAsync(Stream export, string exportName, Stream partial, Stream rejected, CancellationToken cancellationToken = default) =>
        FeaturizeAsync(export, exportName, null, partial, rejected, cancellationToken);

    public async Task<FeaturizeCounts> FeaturizeAsync(Stream export, string exportName, ExportMapping? mapping, Stream partial, Stream rejected, CancellationToken cancellationToken = default)
    {
        var reader = mapping is null ? _reader : mapping.ApplyTo(_reader);
        IngestSummary summary;
        using (var sink = new CsvRejectedRowWriter(rejected, leaveOpen: true))
        {
            try
            {
                // Straight into the partials file under a fixed memory budget, whatever the export's size.
                summary = await ExportFeaturizer.FeaturizeToParquetAsync(export, exportName, reader, BucketSize.Day, sink, partial, cancellationToken).ConfigureAwait(false);
            }
            catch (ExportFormatException ex)
            {
                throw new InvalidDataException(ex.Message, ex);
            }
        }

        return new FeaturizeCounts(summary.Accepted, summary.Rejected, summary.Customers, summary.Skipped) { Profile = summary.Profile, Excluded = summary.Excluded };
    }
}
