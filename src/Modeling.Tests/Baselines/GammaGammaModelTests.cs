using Clv.Modeling.Baselines;

namespace Clv.Modeling.Tests.Baselines;

public class GammaGammaModelTests
{
    private const double Tolerance = 1e-12;

    private static readonly GammaGammaModel Model = new(P: 6, Q: 4, Gamma: 15);

    [Fact]
    public void ExpectedSpend_ShrinksTheCustomersMeanTowardThePopulationMean()
    {
        // p (gamma + x m) / (p x + q - 1) = 6 (15 + 2 * 40) / (12 + 3) = 38.
        Assert.Equal(38.0, Model.ExpectedSpend(frequency: 2, meanRepeatSpend: 40), Tolerance);
    }

    [Fact]
    public void ExpectedSpend_WithoutRepeats_IsThePopulationMean()
    {
        // p gamma / (q - 1) = 6 * 15 / 3.
        Assert.Equal(30.0, Model.ExpectedSpend(frequency: 0, meanRepeatSpend: 123), Tolerance);
    }

    [Fact]
    public void ExpectedSpend_WithAnInfiniteMean_ThrowsNamingTheParameters()
    {
        var heavyTailed = new GammaGammaModel(P: 2, Q: 0.5, Gamma: 10);

        var error = Assert.Throws<InvalidOperationException>(() => heavyTailed.ExpectedSpend(0, 0));

        Assert.Contains("q=0.5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_WithoutRepeatCustomers_Throws()
    {
        RfmSummary[] customers = [new("a", 0, 0, 5, 0, 20)];

        Assert.Throws<ArgumentException>(() => GammaGammaModel.Fit(customers));
    }
}
