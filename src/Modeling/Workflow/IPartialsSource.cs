using Clv.Modeling.Features;

namespace Clv.Modeling.Workflow;

/// <summary>
/// Where stored partials come from: a local folder for the <c>clv</c> tool, the <c>features</c> container for the
/// pipeline. The workflow merges what it yields; the source only reads bytes.
/// </summary>
public interface IPartialsSource
{
    /// <summary>
    /// The stored partials one at a time (one per export, or a customer shard file in parts of whole customers that
    /// appear in no other part), in a stable order so that the same files always merge to the same sums.
    /// </summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <exception cref="InvalidDataException">A file is not a partials file; the message names it.</exception>
    IAsyncEnumerable<PartialAggregates> ReadAsync(CancellationToken cancellationToken = default);
}
