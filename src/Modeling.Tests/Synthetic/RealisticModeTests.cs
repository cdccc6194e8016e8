using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Synthetic;

namespace Clv.Modeling.Tests.Synthetic;

/// <summary>The realistic mode carries the structure BG/NBD cannot capture, and is the default.</summary>
public class RealisticModeTests
{
    private static readonly SyntheticExportOptions Realistic = new() { Customers = 4_000, Seed = 17, DirtyRowRate = 0 };

    private static PartialAggregates Daily(SyntheticExportOptions options)
    {
        using var stream = new MemoryStream();
        SyntheticExportGenerator.Write(stream, options, TestContext.Current.CancellationToken);
        stream.Position = 0;
        return ExportFeaturizer.Featurize(stream, "synthetic.csv", ExportReaderOptions.Default, BucketSize.Day, null, TestContext.Current.CancellationToken).Partials;
    }

    [Fact]
    public void Default_IsTheRealisticMode()
    {
        Assert.Equal(SyntheticMode.Realistic, new SyntheticExportOptions().Mode);
    }

    [Fact]
    public void Realistic_SellsMoreInNovemberAndDecemberThanInMayAndJune_WhileBgNbdDoesNot()
    {
        static double WinterOverSummer(PartialAggregates partials)
        {
            double winter = 0, summer = 0;
            for (var row = 0; row < partials.Count; row++)
            {
                var month = partials.BucketStarts[row].Month;
                winter += month is 11 or 12 ? partials.Orders[row] : 0;
                summer += month is 5 or 6 ? partials.Orders[row] : 0;
            }

            return winter / summer;
        }

        var realistic = WinterOverSummer(Daily(Realistic));
        var bgNbd = WinterOverSummer(Daily(Realistic with { Mode = SyntheticMode.BgNbd }));

        Assert.True(realistic > 1.8, $"realistic winter/summer orders {realistic:F2}");
        Assert.True(bgNbd < 1.3, $"bgnbd winter/summer orders {bgNbd:F2}");
    }

    [Fact]
    public void Realistic_LaterCohortsSpendMorePerOrder()
    {
        var partials = Daily(Realistic);
        var start = Realistic.Start;
        var first = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        for (var row = 0; row < partials.Count; row++)
        {
            first.TryAdd(partials.CustomerIds[row], partials.BucketStarts[row]);
        }

        double earlySpend = 0, earlyOrders = 0, lateSpend = 0, lateOrders = 0;
        for (var row = 0; row < partials.Count; row++)
        {
            var acquiredWeek = (first[partials.CustomerIds[row]].DayNumber - start.DayNumber) / 7;
            if (acquiredWeek < 13)
            {
                earlySpend += partials.NetSpend[row];
                earlyOrders += partials.Orders[row];
            }
            else if (acquiredWeek is >= 39 and < 52)
            {
                lateSpend += partials.NetSpend[row];
                lateOrders += partials.Orders[row];
            }
        }

        var ratio = lateSpend / lateOrders / (earlySpend / earlyOrders);
        Assert.True(ratio > 1.5, $"last over first cohort spend per order {ratio:F2}");
    }

    [Fact]
    public void Realistic_LongSilencesAreRarerThanUnderBgNbd()
    {
        // Churn whose hazard rises with inactivity leaves few customers who come back after half a year of silence.
        static double ComebackShare(PartialAggregates partials)
        {
            var gaps = 0;
            var comebacks = 0;
            for (var row = 1; row < partials.Count; row++)
            {
                if (partials.CustomerIds[row] == partials.CustomerIds[row - 1])
                {
                    gaps++;
                    comebacks += partials.BucketStarts[row].DayNumber - partials.BucketStarts[row - 1].DayNumber > 180 ? 1 : 0;
                }
            }

            return (double)comebacks / gaps;
        }

        var realistic = ComebackShare(Daily(Realistic));
        var bgNbd = ComebackShare(Daily(Realistic with { Mode = SyntheticMode.BgNbd }));

        Assert.True(realistic < bgNbd / 2, $"share of gaps over 180 days: realistic {realistic:P2}, bgnbd {bgNbd:P2}");
    }
}
