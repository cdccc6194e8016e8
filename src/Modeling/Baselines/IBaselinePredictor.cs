using Clv.Modeling.Ingest;

namespace Clv.Modeling.Baselines;

/// <summary>A classic CLV baseline: from calibration-period transactions to each customer's spend over a horizon.</summary>
public interface IBaselinePredictor
{
    /// <summary>The model's key in comparison tables (see <c>Clv.Modeling.Evaluation.ModelNames</c>).</summary>
    string ModelName { get; }

    /// <summary>
    /// Fits the baseline on the transactions up to and including the day of <paramref name="calibrationEnd"/>
    /// (later ones are ignored) and predicts spend over the <paramref name="horizon"/> that follows.
    /// </summary>
    /// <returns>One prediction per customer with a purchase in the calibration period, ordered by customer id (ordinal).</returns>
    IReadOnlyList<BaselinePrediction> Predict(IEnumerable<Transaction> calibration, DateTime calibrationEnd, TimeSpan horizon);
}
