using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Model;

namespace Clv.Pipeline.Score;

/// <summary>One partial-aggregates file of container <c>features</c>, opened on demand.</summary>
/// <param name="Name">Blob name, e.g. <c>orders-2026-11.parquet</c>.</param>
/// <param name="Open">Opens the Parquet bytes for reading.</param>
public sealed record PartialSource(string Name, Func<CancellationToken, Task<Stream>> Open)
{
    /// <summary>Whether this is a shard file (<c>shards/{partition}.parquet</c>): its customers appear in no other source.</summary>
    public bool ByCustomerShard { get; init; }
}

/// <summary>
/// Builds model inputs from stored partials or posted transactions: the port implemented over
/// <c>Clv.Modeling.Features</c> (partial merge and sequence building). The same code builds features for
/// training, batch scoring and live scoring.
/// </summary>
public interface ISequenceSource
{
    /// <summary>Merges <paramref name="partials"/>, keeps the customers <paramref name="includeCustomer"/> accepts, and builds their sequences.</summary>
    /// <param name="partials">Every partial to merge.</param>
    /// <param name="includeCustomer">Whether a customer id belongs to this batch (e.g. to one shard).</param>
    /// <param name="asOf">Last day of data; the as-of bucket is the last step.</param>
    /// <param name="model">The model the sequences are for (bucket, <c>T</c>, feature names).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>Sequences <c>[N, T, F]</c> of the kept customers.</returns>
    Task<SequenceSet> FromPartialsAsync(IReadOnlyList<PartialSource> partials, Func<string, bool> includeCustomer, DateOnly asOf, ModelMetadata model, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same sequences as <see cref="FromPartialsAsync"/>, built and returned <paramref name="batchSize"/> customers at
    /// a time. Shard files stream a row group at a time, so memory holds one batch whatever the size of the shard; export
    /// partials (before any compaction) are merged first. A set is valid until the next one is asked for: its arrays may
    /// be filled again for the next.
    /// </summary>
    /// <param name="partials">Every partial to merge (for a scoring shard: its shard files).</param>
    /// <param name="includeCustomer">Whether a customer id belongs to this batch (e.g. to one shard).</param>
    /// <param name="batchSize">Most customers per returned set.</param>
    /// <param name="asOf">Last day of data; the as-of bucket is the last step.</param>
    /// <param name="model">The model the sequences are for (bucket, <c>T</c>, feature names).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    async IAsyncEnumerable<SequenceSet> FromPartialsInBatchesAsync(
        IReadOnlyList<PartialSource> partials,
        Func<string, bool> includeCustomer,
        int batchSize,
        DateOnly asOf,
        ModelMetadata model,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return await FromPartialsAsync(partials, includeCustomer, asOf, model, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Net spend per customer over the days <paramref name="firstDay"/> to <paramref name="lastDay"/>, both included, of
    /// the customers <paramref name="includeCustomer"/> accepts; customers without any are absent. Memory holds one
    /// partial and the accepted customers' totals.
    /// </summary>
    /// <param name="partials">Every partial to merge.</param>
    /// <param name="includeCustomer">Whether a customer is wanted (e.g. one of a sample).</param>
    /// <param name="firstDay">First day counted.</param>
    /// <param name="lastDay">Last day counted.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    Task<IReadOnlyDictionary<string, double>> SpendAsync(IReadOnlyList<PartialSource> partials, Func<string, bool> includeCustomer, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default);

    /// <summary>The sequence of one customer from posted transactions.</summary>
    /// <returns>Sequences <c>[1, T, F]</c>.</returns>
    SequenceSet FromTransactions(string customerId, IReadOnlyList<Transaction> transactions, DateOnly asOf, ModelMetadata model);
}

/// <summary>A loaded model that scores sequences: the port implemented over <c>Clv.Modeling.Scoring.ClvScorer</c> (ONNX Runtime).</summary>
public interface IBatchScorer : IDisposable
{
    /// <summary>What the model was trained on; read from the model file.</summary>
    ModelMetadata Metadata { get; }

    /// <summary>Scores every sequence of <paramref name="sequences"/>.</summary>
    /// <param name="sequences">Inputs <c>[N, T, F]</c>.</param>
    /// <param name="clv">Destination expected spend <c>[N]</c>.</param>
    /// <param name="pPurchase">Destination probability of any purchase <c>[N]</c>.</param>
    /// <param name="clvP10">Destination 10th percentile of spend over the horizon <c>[N]</c>.</param>
    /// <param name="clvP50">Destination median spend over the horizon <c>[N]</c>.</param>
    /// <param name="clvP90">Destination 90th percentile of spend over the horizon <c>[N]</c>.</param>
    void Score(SequenceSet sequences, Span<float> clv, Span<float> pPurchase, Span<float> clvP10, Span<float> clvP50, Span<float> clvP90);
}

/// <summary>Loads a model file into an <see cref="IBatchScorer"/>.</summary>
public interface IBatchScorerFactory
{
    /// <summary>Loads the ONNX model in <paramref name="onnx"/> with the configured scorer settings (execution provider, batch size).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a CLV model.</exception>
    IBatchScorer Load(byte[] onnx);
}
