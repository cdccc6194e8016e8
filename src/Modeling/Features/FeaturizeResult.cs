namespace Clv.Modeling.Features;

/// <summary>The outcome of featurizing one export.</summary>
/// <param name="Partials">Per-(customer, bucket) sums of the accepted rows.</param>
/// <param name="Summary">Row counts, customers, total spend and timings.</param>
public sealed record FeaturizeResult(PartialAggregates Partials, IngestSummary Summary);
