namespace Clv.Modeling.Baselines;

/// <summary>A baseline's prediction for one customer over the horizon.</summary>
/// <param name="CustomerId">The customer's id.</param>
/// <param name="ExpectedTransactions">Expected purchase days in the horizon.</param>
/// <param name="PredictedSpend">Predicted spend over the horizon, never negative.</param>
/// <param name="PurchaseProbability">Probability of any purchase in the horizon, for a model that has one.</param>
public sealed record BaselinePrediction(string CustomerId, double ExpectedTransactions, double PredictedSpend, double? PurchaseProbability = null);
