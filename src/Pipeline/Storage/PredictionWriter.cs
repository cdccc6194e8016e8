using Azure.Data.Tables;

namespace Clv.Pipeline.Storage;

/// <summary>
/// Upserts predictions as entity-group transactions: at most 100 entities, all of one partition, per request.
/// Upserts make a retried or repeated write harmless.
/// </summary>
public static class PredictionWriter
{
    /// <summary>Most entities in one entity-group transaction.</summary>
    public const int MaxBatchSize = 100;

    /// <summary>Writes <paramref name="predictions"/>, several partitions in parallel.</summary>
    /// <param name="table">The <c>Predictions</c> table.</param>
    /// <param name="predictions">Rows to write; each customer at most once.</param>
    /// <param name="maxParallelism">Transactions in flight at once.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>Rows written.</returns>
    /// <exception cref="TableTransactionFailedException">A transaction failed after the client's retries.</exception>
    public static async Task<long> UpsertAsync(TableClient table, IReadOnlyList<PredictionEntity> predictions, int maxParallelism = 8, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(predictions);
        var batches = predictions
            .GroupBy(p => p.PartitionKey, StringComparer.Ordinal)
            .SelectMany(group => group.Chunk(MaxBatchSize))
            .ToList();
        long written = 0;
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = maxParallelism, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                var actions = batch.Select(entity => new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity)).ToList();
                await table.SubmitTransactionAsync(actions, ct).ConfigureAwait(false);
                Interlocked.Add(ref written, batch.Length);
            }).ConfigureAwait(false);
        return written;
    }
}
