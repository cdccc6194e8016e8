using Azure.Storage.Blobs;
using Clv.Modeling.Scoring;

namespace Clv.Pipeline.Storage;

/// <summary>
/// One shard's prediction snapshot being written (<see cref="PredictionSnapshots.CreateAsync"/>): a local temporary
/// file, one row group per batch, uploaded by <see cref="CommitAsync"/>. Disposing deletes the file; a snapshot not
/// committed is not uploaded.
/// </summary>
public sealed class PredictionSnapshotWriter : IAsyncDisposable
{
    private readonly BlobClient _blob;
    private readonly string _path;
    private readonly FileStream _file;
    private PredictionFileWriter? _writer;

    internal PredictionSnapshotWriter(BlobClient blob, string path, FileStream file, PredictionFileWriter writer)
    {
        _blob = blob;
        _path = path;
        _file = file;
        _writer = writer;
    }

    /// <summary>Writes the next batch of the shard's predictions.</summary>
    public Task AddAsync(ClvPredictionBatch scores, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_writer is null, this);
        return _writer.WriteAsync(scores, cancellationToken);
    }

    /// <summary>Finishes the file and uploads it, replacing the shard's blob.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_writer is null, this);
        await _writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        _file.Position = 0;
        await _blob.UploadAsync(_file, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }
        }
        finally
        {
            await _file.DisposeAsync().ConfigureAwait(false);
            try
            {
                File.Delete(_path);
            }
            catch (IOException)
            {
                // A leftover temporary file is harmless; the next snapshot uses a new name.
            }
        }
    }
}
