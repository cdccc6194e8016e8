using Parquet;

namespace Clv.Modeling.Scoring;

/// <summary>
/// Writes a predictions Parquet file (the columns of <see cref="PredictionFiles"/>) one row group per batch, so that
/// memory holds the batch being written, not every customer of the file. Disposing writes the file's footer.
/// </summary>
public sealed class PredictionFileWriter : IAsyncDisposable
{
    private readonly ParquetWriter _writer;
    private readonly string _modelVersion;
    private readonly DateOnly _asOf;

    private PredictionFileWriter(ParquetWriter writer, string modelVersion, DateOnly asOf)
    {
        _writer = writer;
        _modelVersion = modelVersion;
        _asOf = asOf;
    }

    /// <summary>Starts a predictions file of <paramref name="modelVersion"/> as of <paramref name="asOf"/> on <paramref name="destination"/>.</summary>
    public static async Task<PredictionFileWriter> CreateAsync(Stream destination, string modelVersion, DateOnly asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(modelVersion);
        var writer = await ParquetWriter.CreateAsync(PredictionFiles.Schema, destination, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PredictionFileWriter(writer, modelVersion, asOf);
    }

    /// <summary>Writes <paramref name="scores"/> as the file's next row group.</summary>
    public async Task WriteAsync(ClvPredictionBatch scores, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scores);
        await PredictionFiles.WriteRowGroupAsync(_writer, scores, _modelVersion, _asOf, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
