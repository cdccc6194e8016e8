using Clv.Pipeline.Storage;

namespace Clv.Pipeline.Score;

/// <summary>
/// Where a scoring shard's predictions go when not to the <c>Predictions</c> table: the scale benchmark scores ten
/// million customers through the same job without the table writes, which a local storage emulator cannot take at that
/// count in reasonable time (the writes are measured at one million). The Functions app registers none and writes the table.
/// </summary>
public interface IPredictionSink
{
    /// <summary>Takes one batch of predictions.</summary>
    /// <param name="predictions">The batch's rows, each a finite prediction.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>Rows taken.</returns>
    Task<long> UpsertAsync(IReadOnlyList<PredictionEntity> predictions, CancellationToken cancellationToken);
}
