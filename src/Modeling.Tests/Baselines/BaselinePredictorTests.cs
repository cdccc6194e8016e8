using Clv.Modeling.Baselines;
using Clv.Modeling.Evaluation;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Baselines;

public class BaselinePredictorTests
{
    private const double Tolerance = 1e-9;
    private const double HardieSheetTolerance = 1e-3;

    private static readonly DateTime CalibrationEnd = new(2024, 1, 10);

    // Ten calibration days (1..10 January); customer b's return outweighs their purchase; c buys after the end.
    private static readonly Transaction[] Calibration =
    [
        new("a", new DateTime(2024, 1, 1, 9, 0, 0), 10),
        new("a", new DateTime(2024, 1, 1, 17, 30, 0), 5),
        new("a", new DateTime(2024, 1, 10), 30),
        new("b", new DateTime(2024, 1, 5), 20),
        new("b", new DateTime(2024, 1, 6), -30),
        new("c", new DateTime(2024, 1, 11), 99),
    ];

    [Fact]
    public void Naive_ScalesCalibrationSpendByHorizonOverCalibrationLength()
    {
        var predictions = new NaivePredictor().Predict(Calibration, CalibrationEnd, TimeSpan.FromDays(20));

        // a: 45 over 10 days, horizon 20 days => 90; two purchase days => 4.
        var a = Assert.Single(predictions, p => p.CustomerId == "a");
        Assert.Equal(90, a.PredictedSpend, Tolerance);
        Assert.Equal(4, a.ExpectedTransactions, Tolerance);
    }

    [Fact]
    public void Naive_FloorsANetReturnAtZero()
    {
        var predictions = new NaivePredictor().Predict(Calibration, CalibrationEnd, TimeSpan.FromDays(20));

        Assert.Equal(0, Assert.Single(predictions, p => p.CustomerId == "b").PredictedSpend);
    }

    [Fact]
    public void Naive_IgnoresCustomersWhoFirstBuyAfterTheCalibrationEnd()
    {
        var predictions = new NaivePredictor().Predict(Calibration, CalibrationEnd, TimeSpan.FromDays(20));

        Assert.Equal(["a", "b"], predictions.Select(p => p.CustomerId));
    }

    [Fact]
    public void BgNbdGammaGamma_PredictsExpectedTransactionsTimesExpectedSpend()
    {
        var transactions = new BgNbdModel(0.243, 4.414, 0.793, 2.426);
        var spend = new GammaGammaModel(P: 6, Q: 4, Gamma: 15);
        RfmSummary[] customers = [new("x", Frequency: 2, Recency: 30.43, Age: 38.86, MeanRepeatSpend: 40, CalibrationSpend: 100)];

        var prediction = Assert.Single(BgNbdGammaGammaPredictor.Predict(transactions, spend, customers, horizonUnits: 39));

        // 1.226 expected transactions (Hardie's spreadsheet) x 38 expected spend (6 (15 + 80) / 15).
        Assert.Equal(1.226, prediction.ExpectedTransactions, HardieSheetTolerance);
        Assert.Equal(prediction.ExpectedTransactions * 38, prediction.PredictedSpend, Tolerance);
    }

    [Fact]
    public void BgNbdGammaGamma_OnTheCdnowSample_PredictsEveryCustomerFromTheFittedModels()
    {
        var transactions = CdnowTestData.ReadSampleTransactions(CdnowTestData.RequireFile("CDNOW_sample.txt"));
        var horizon = TimeSpan.FromDays(7 * 39);

        var predictions = new BgNbdGammaGammaPredictor().Predict(transactions, CdnowTestData.CalibrationEnd, horizon);

        var summaries = RfmSummary.Build(transactions, CdnowTestData.CalibrationEnd);
        var expected = BgNbdGammaGammaPredictor.Predict(BgNbdModel.Fit(summaries), GammaGammaModel.Fit(summaries), summaries, horizonUnits: 39);
        Assert.Equal(2357, predictions.Count);
        Assert.Equal(expected, predictions);
    }

    [Fact]
    public void Predictors_UseTheirComparisonKeys()
    {
        Assert.Equal(ModelNames.BgNbd, new BgNbdGammaGammaPredictor().ModelName);
        Assert.Equal(ModelNames.Naive, new NaivePredictor().ModelName);
    }
}
