using System.Runtime.CompilerServices;
using Clv.Modeling.Features;
using Clv.Modeling.Workflow;
using Clv.Pipeline.Score;

namespace Clv.Pipeline.Adapters;

/// <summary><see cref="IPartialsSource"/> over the Parquet files of container <c>features</c>, read in the order listed.</summary>
/// <param name="files">The partials files, e.g. from <c>PartialStore.ListAsync</c>.</param>
internal sealed class StoredPartials(IReadOnlyList<PartialSource> files) : IPartialsSource
{
    public async IAsyncEnumerable<PartialAggregates> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var file in files)
        {
            var stream = await file.Open(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                PartialAggregates partial;
                try
                {
                    partial = await PartialAggregates.ReadParquetAsync(stream, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidDataException or NotSupportedException)
                {
                    throw new InvalidDataException($"{file.Name} is not a partials file: {ex.Message}", ex);
                }

                yield return partial;
            }
        }
    }
}
