using Clv.Modeling.Baselines;

namespace Clv.Modeling.Tests.Baselines;

/// <summary>
/// The baselines against the published fits on the 2,357-customer CDNOW sample with the standard split
/// (Fader, Hardie and Lee 2005; Fader and Hardie 2013; see ../shared/data/README.md).
/// </summary>
public class CdnowPublishedFitTests
{
    private const double ParameterRelativeTolerance = 0.01;
    private const double LogLikelihoodTolerance = 0.5;
    private const double SummaryRoundingTolerance = 0.006;

    private const double PublishedR = 0.243;
    private const double PublishedAlpha = 4.414;
    private const double PublishedA = 0.793;
    private const double PublishedB = 2.426;
    private const double PublishedBgNbdLogLikelihood = -9582.4;
    private const double PublishedP = 6.25;
    private const double PublishedQ = 3.74;
    private const double PublishedGamma = 15.44;
    private const double PublishedGammaGammaLogLikelihood = -4055.92;

    private static IReadOnlyList<RfmSummary> OwnSummaries() =>
        RfmSummary.Build(
            CdnowTestData.ReadSampleTransactions(CdnowTestData.RequireFile("CDNOW_sample.txt")),
            CdnowTestData.CalibrationEnd);

    [Fact]
    public void OwnSummary_CountsThePublishedRepeatTransactions()
    {
        var summaries = OwnSummaries();

        Assert.Equal(2357, summaries.Count);
        Assert.Equal(2457, summaries.Sum(s => s.Frequency));
        Assert.Equal(946, summaries.Count(s => s.Frequency > 0));
    }

    [Fact]
    public void HoldoutPeriod_HasThePublishedRepeatTransactions()
    {
        var transactions = CdnowTestData.ReadSampleTransactions(CdnowTestData.RequireFile("CDNOW_sample.txt"));
        var calibrationEnd = DateOnly.FromDateTime(CdnowTestData.CalibrationEnd);

        var holdoutDays = CustomerDays.Merge(transactions, DateOnly.FromDateTime(CdnowTestData.HoldoutEnd))
            .Sum(customer => customer.Value.Count(d => d.Day > calibrationEnd));

        Assert.Equal(1882, holdoutDays);
    }

    [Fact]
    public void OwnSummary_MatchesThePublishedSummaryFile()
    {
        var published = CdnowTestData.ReadSummary(CdnowTestData.RequireFile("cdnow_customers_summary.csv"))
            .ToDictionary(s => s.CustomerId, StringComparer.Ordinal);

        var own = OwnSummaries();

        Assert.Equal(published.Count, own.Count);
        Assert.All(own, s =>
        {
            var expected = published[s.CustomerId];
            Assert.Equal(expected.Frequency, s.Frequency);
            Assert.Equal(expected.Recency, s.Recency, SummaryRoundingTolerance);
            Assert.Equal(expected.Age, s.Age, SummaryRoundingTolerance);
        });
    }

    [Fact]
    public void BgNbd_OnThePublishedSummary_ReproducesThePublishedFit()
    {
        var model = BgNbdModel.Fit(CdnowTestData.ReadSummary(CdnowTestData.RequireFile("cdnow_customers_summary.csv")));

        AssertPublishedBgNbd(model);
    }

    [Fact]
    public void BgNbd_OnOwnSummary_ReproducesThePublishedFit()
    {
        var model = BgNbdModel.Fit(OwnSummaries());

        AssertPublishedBgNbd(model);
    }

    [Fact]
    public void GammaGamma_OnOwnSummary_ReproducesThePublishedFit()
    {
        var model = GammaGammaModel.Fit(OwnSummaries());

        AssertRelative(PublishedP, model.P);
        AssertRelative(PublishedQ, model.Q);
        AssertRelative(PublishedGamma, model.Gamma);
        Assert.Equal(PublishedGammaGammaLogLikelihood, model.LogLikelihood, LogLikelihoodTolerance);
    }

    [Fact]
    public void GammaGamma_LogLikelihoodOfThePublishedParameters_IsThePublishedValue()
    {
        var model = new GammaGammaModel(PublishedP, PublishedQ, PublishedGamma);

        Assert.Equal(PublishedGammaGammaLogLikelihood, model.LogLikelihoodOf(OwnSummaries()), LogLikelihoodTolerance);
    }

    private static void AssertPublishedBgNbd(BgNbdModel model)
    {
        AssertRelative(PublishedR, model.R);
        AssertRelative(PublishedAlpha, model.Alpha);
        AssertRelative(PublishedA, model.A);
        AssertRelative(PublishedB, model.B);
        Assert.Equal(PublishedBgNbdLogLikelihood, model.LogLikelihood, LogLikelihoodTolerance);
    }

    private static void AssertRelative(double expected, double actual) =>
        Assert.True(
            Math.Abs(actual - expected) <= ParameterRelativeTolerance * Math.Abs(expected),
            $"expected {expected} within {ParameterRelativeTolerance:P0}, got {actual}");
}
