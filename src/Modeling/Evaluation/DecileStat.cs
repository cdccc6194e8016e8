namespace Clv.Modeling.Evaluation;

/// <summary>Customers of one prediction decile and their mean actual and predicted values.</summary>
/// <param name="Index">0-based decile, 0 holding the lowest predictions.</param>
/// <param name="CustomerCount">Customers in the decile.</param>
/// <param name="ActualMean">Mean actual spend of those customers.</param>
/// <param name="PredictedMean">Mean predicted spend of those customers.</param>
public sealed record DecileStat(int Index, int CustomerCount, double ActualMean, double PredictedMean);
