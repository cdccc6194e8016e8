using Clv.Pipeline.Configuration;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Lookup;

/// <summary>
/// The champion model for live scoring: <c>models/current.json</c> read at most once per refresh interval, the
/// model file loaded once per version.
/// </summary>
public sealed class ChampionProvider(ClvStorage storage, ScorerCache scorers, ClvOptions options, ILogger<ChampionProvider> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ModelStore _models = new(storage);
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Champion? _current;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    /// <summary>The champion, or <see langword="null"/> when none was promoted yet.</summary>
    public async Task<Champion?> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_time.GetUtcNow() - _checkedAt < options.Http.ModelRefreshInterval && _current is not null)
        {
            return _current;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_time.GetUtcNow() - _checkedAt < options.Http.ModelRefreshInterval && _current is not null)
            {
                return _current;
            }

            var pointer = await _models.ReadCurrentAsync(cancellationToken).ConfigureAwait(false);
            if (pointer is not null && pointer.Version != _current?.Pointer.Version)
            {
                var scorer = await scorers.GetAsync(pointer.Version, cancellationToken).ConfigureAwait(false);
                _current = new Champion(pointer, scorer);
                PipelineLog.ModelLoaded(logger, pointer.Version);
            }

            _checkedAt = _time.GetUtcNow();
            return _current;
        }
        finally
        {
            _refresh.Release();
        }
    }
}

/// <summary>The loaded champion.</summary>
/// <param name="Pointer">Its <c>current.json</c>.</param>
/// <param name="Scorer">The loaded model.</param>
public sealed record Champion(ChampionPointer Pointer, IBatchScorer Scorer);
