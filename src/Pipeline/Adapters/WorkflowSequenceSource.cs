using System.Runtime.CompilerServices;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Model;
using Clv.Modeling.Workflow;
using Clv.Pipeline.Score;

namespace Clv.Pipeline.Adapters;

/// <summary><see cref="ISequenceSource"/> over <see cref="ClvWorkflow"/>: the workflow's partials loading and sequence building.</summary>
internal sealed class WorkflowSequenceSource : ISequenceSource
{
    public async Task<SequenceSet> FromPartialsAsync(IReadOnlyList<PartialSource> partials, Func<string, bool> includeCustomer, DateOnly asOf, ModelMetadata model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(includeCustomer);
        ArgumentNullException.ThrowIfNull(model);
        var merged = await ClvWorkflow.LoadPartialsAsync(new StoredPartials(partials), includeCustomer, cancellationToken).ConfigureAwait(false);
        return ClvWorkflow.Sequences(merged, model, asOf);
    }

    public async IAsyncEnumerable<SequenceSet> FromPartialsInBatchesAsync(
        IReadOnlyList<PartialSource> partials,
        Func<string, bool> includeCustomer,
        int batchSize,
        DateOnly asOf,
        ModelMetadata model,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(includeCustomer);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (partials.Count > 0 && partials.All(p => p.ByCustomerShard))
        {
            // Shard files hold disjoint customers: each streams a row group at a time, so memory holds one batch
            // whatever the size of the shard.
            float[]? features = null;
            foreach (var file in partials)
            {
                await foreach (var slice in StoredPartials.ReadShardInBatchesAsync(file, batchSize, includeCustomer, cancellationToken).ConfigureAwait(false))
                {
                    // The set before is used by now: its features are filled again (every full batch has the same size).
                    var set = ClvWorkflow.Sequences(slice, model, asOf, features);
                    features = set.Features;
                    yield return set;
                }
            }

            yield break;
        }

        // Export partials before any compaction: a customer's rows may be in any of them, so they are merged first.
        var merged = await ClvWorkflow.LoadPartialsAsync(new StoredPartials(partials), includeCustomer, cancellationToken).ConfigureAwait(false);
        foreach (var slice in PartialShard.SliceByCustomers(merged, batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return ClvWorkflow.Sequences(slice, model, asOf);
        }
    }

    public async Task<IReadOnlyDictionary<string, double>> SpendAsync(IReadOnlyList<PartialSource> partials, Func<string, bool> includeCustomer, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(includeCustomer);
        var spend = new Dictionary<string, double>(StringComparer.Ordinal);
        await foreach (var partial in new StoredPartials(partials).ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Stored partials are daily; a coarser file counts a cell only when its whole bucket lies in the window.
            var widthDays = partial.Bucket switch { BucketSize.Day => 1, BucketSize.Week => 7, _ => 31 };
            for (var row = 0; row < partial.Count; row++)
            {
                var start = partial.BucketStarts[row];
                var id = partial.CustomerIds[row];
                if (start >= firstDay && start.AddDays(widthDays - 1) <= lastDay && includeCustomer(id))
                {
                    spend[id] = spend.GetValueOrDefault(id) + partial.NetSpend[row];
                }
            }
        }

        return spend;
    }

    public SequenceSet FromTransactions(string customerId, IReadOnlyList<Transaction> transactions, DateOnly asOf, ModelMetadata model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new SequenceBuilder(model.Bucket, model.SequenceLength).BuildOne(customerId, transactions, asOf);
    }
}
