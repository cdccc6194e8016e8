using Clv.Modeling.Evaluation;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Baselines;

/// <summary>
/// The BG/NBD + Gamma-Gamma baseline: predicted spend = BG/NBD expected transactions over the horizon
/// x Gamma-Gamma expected spend per transaction, both fitted by maximum likelihood on the calibration period.
/// Each prediction also carries the BG/NBD probability of any purchase in the horizon.
/// </summary>
public sealed class BgNbdGammaGammaPredictor(BaselineOptions? options = null) : IBaselinePredictor
{
    private readonly BaselineOptions _options = options ?? BaselineOptions.Default;

    /// <inheritdoc/>
    public string ModelName => ModelNames.BgNbd;

    /// <inheritdoc/>
    public IReadOnlyList<BaselinePrediction> Predict(IEnumerable<Transaction> calibration, DateTime calibrationEnd, TimeSpan horizon)
    {
        var customers = RfmSummary.Build(calibration, calibrationEnd, _options);
        if (customers.Count == 0)
        {
            return [];
        }

        var transactions = BgNbdModel.Fit(customers);
        var spend = GammaGammaModel.Fit(customers);
        return Predict(transactions, spend, customers, horizon.TotalDays / _options.TimeUnit.TotalDays);
    }

    /// <summary>Predictions of already fitted models for <paramref name="customers"/>, over <paramref name="horizonUnits"/> time units.</summary>
    public static IReadOnlyList<BaselinePrediction> Predict(BgNbdModel transactions, GammaGammaModel spend, IEnumerable<RfmSummary> customers, double horizonUnits)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(customers);
        return customers
            .Select(c =>
            {
                var expectedTransactions = transactions.ExpectedTransactions(c.Frequency, c.Recency, c.Age, horizonUnits);
                var predictedSpend = expectedTransactions * spend.ExpectedSpend(c.Frequency, c.MeanRepeatSpend);
                var purchaseProbability = transactions.ProbabilityOfPurchase(c.Frequency, c.Recency, c.Age, horizonUnits);
                return new BaselinePrediction(c.CustomerId, expectedTransactions, Math.Max(0, predictedSpend), purchaseProbability);
            })
            .ToArray();
    }
}
