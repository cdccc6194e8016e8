using Clv.Modeling.Features;

namespace Clv.Modeling.Tests.Features;

internal static class PartialsAssert
{
    /// <summary>Sums may differ in the last bits when added in another order.</summary>
    private const double SpendTolerance = 1e-9;

    /// <summary>Every cell and every sum, to the last bit.</summary>
    public static void Identical(PartialAggregates expected, PartialAggregates actual)
    {
        Equal(expected, actual);
        Assert.Equal(expected.NetSpend, actual.NetSpend);
        Assert.Equal(expected.Items, actual.Items);
    }

    public static void Equal(PartialAggregates expected, PartialAggregates actual)
    {
        Assert.Equal(expected.Bucket, actual.Bucket);
        Assert.Equal(expected.CustomerIds, actual.CustomerIds);
        Assert.Equal(expected.BucketStarts, actual.BucketStarts);
        Assert.Equal(expected.Orders, actual.Orders);
        Assert.Equal(expected.Returns, actual.Returns);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected.NetSpend[i], actual.NetSpend[i], SpendTolerance * Math.Max(1, Math.Abs(expected.NetSpend[i])));
            Assert.Equal(expected.Items[i], actual.Items[i], SpendTolerance * Math.Max(1, Math.Abs(expected.Items[i])));
        }
    }
}
