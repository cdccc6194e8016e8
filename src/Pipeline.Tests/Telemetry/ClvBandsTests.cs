using Clv.Pipeline.Telemetry;

namespace Clv.Pipeline.Tests.Telemetry;

public class ClvBandsTests
{
    [Theory]
    [InlineData(0.0, "0-10")]
    [InlineData(9.99, "0-10")]
    [InlineData(10.0, "10-25")]
    [InlineData(24.99, "10-25")]
    [InlineData(25.0, "25-50")]
    [InlineData(99.5, "50-100")]
    [InlineData(100.0, "100-250")]
    [InlineData(499.0, "250-500")]
    [InlineData(500.0, "500-1000")]
    [InlineData(2499.99, "1000-2500")]
    [InlineData(2500.0, "2500+")]
    [InlineData(1e9, "2500+")]
    public void Of_PutsAValueInTheBandFromItsLowerBoundUpToItsUpperBound(double clv, string band) =>
        Assert.Equal(band, ClvBands.Of(clv));

    [Fact]
    public void Of_PutsANonNumberInTheLowestBand_NotTheHighest() =>
        Assert.Equal("0-10", ClvBands.Of(double.NaN));
}
