using Clv.Pipeline.Storage;

namespace Clv.Pipeline.Score;

/// <summary>Loaded models by version, so each instance reads and loads a model file once.</summary>
public sealed class ScorerCache(ClvStorage storage, IBatchScorerFactory factory) : IDisposable
{
    private readonly Dictionary<string, Lazy<Task<IBatchScorer>>> _loaded = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ModelStore _models = new(storage);

    /// <summary>The scorer of <paramref name="version"/>, loading it on first use.</summary>
    public Task<IBatchScorer> GetAsync(string version, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(version);
        Lazy<Task<IBatchScorer>> entry;
        lock (_gate)
        {
            if (!_loaded.TryGetValue(version, out entry!))
            {
                entry = new Lazy<Task<IBatchScorer>>(() => LoadAsync(version, cancellationToken));
                _loaded[version] = entry;
            }
        }

        return LoadOrForget(version, entry);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _loaded.Values)
            {
                if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
                {
                    entry.Value.Result.Dispose();
                }
            }

            _loaded.Clear();
        }
    }

    private async Task<IBatchScorer> LoadOrForget(string version, Lazy<Task<IBatchScorer>> entry)
    {
        try
        {
            return await entry.Value.ConfigureAwait(false);
        }
        catch
        {
            // A failed load (storage down, cancelled) is tried again by the next caller.
            lock (_gate)
            {
                if (_loaded.TryGetValue(version, out var current) && ReferenceEquals(current, entry))
                {
                    _loaded.Remove(version);
                }
            }

            throw;
        }
    }

    private async Task<IBatchScorer> LoadAsync(string version, CancellationToken cancellationToken)
    {
        var bytes = await _models.ReadModelAsync(version, cancellationToken).ConfigureAwait(false);
        return factory.Load(bytes);
    }
}
