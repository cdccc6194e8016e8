using Clv.Modeling.Features;
using Clv.Modeling.Model;

namespace Clv.Modeling.Tests.Lstm;

/// <summary>
/// Generated customers whose future spend is driven by their recent behaviour: each buys at a personal
/// rate with a personal basket size until a hidden churn step, so recency matters beyond the average rate.
/// </summary>
internal static class PlantedSignalData
{
    public const int Steps = 12;
    public const int Horizon = 4;
    public static readonly string[] FeatureNames = ["log_spend", "orders"];

    public static TrainingExamples Generate(int count, int seed)
    {
        var random = new Random(seed);
        var featureCount = FeatureNames.Length;
        var features = new float[count * Steps * featureCount];
        var lengths = new int[count];
        var labels = new float[count];
        var ids = new string[count];
        for (var n = 0; n < count; n++)
        {
            ids[n] = $"c{n}";
            var length = random.Next(1, Steps + 1);
            lengths[n] = length;
            var rate = 0.15 + (0.8 * random.NextDouble());
            var basket = Math.Exp(2 + random.NextDouble());

            // Churn step counted from the customer's first step; beyond the window means still active.
            var churn = random.NextDouble() < 0.5 ? random.Next(0, length + Horizon) : int.MaxValue;
            for (var t = 0; t < length; t++)
            {
                var (orders, spend) = Buy(random, t < churn, rate, basket);
                var offset = ((n * Steps) + t) * featureCount;
                features[offset] = (float)Math.Log(1 + spend);
                features[offset + 1] = orders;
            }

            var future = 0.0;
            for (var t = length; t < length + Horizon; t++)
            {
                future += Buy(random, t < churn, rate, basket).Spend;
            }

            labels[n] = (float)future;
        }

        return new TrainingExamples(new SequenceSet(ids, features, lengths, Steps, FeatureNames), labels);
    }

    public static ModelMetadata Metadata() => new("test", FeatureNames, BucketSize.Week, Steps, Horizon, new DateOnly(2026, 1, 1));

    /// <summary>Naive baseline: the customer's mean spend per step over its history, times the horizon.</summary>
    public static float[] NaiveBaseline(SequenceSet inputs)
    {
        var result = new float[inputs.Count];
        for (var n = 0; n < inputs.Count; n++)
        {
            var sequence = inputs.Customer(n);
            var spend = 0.0;
            for (var t = 0; t < inputs.Lengths[n]; t++)
            {
                spend += Math.Exp(sequence[t * inputs.FeatureCount]) - 1;
            }

            result[n] = (float)(spend / inputs.Lengths[n] * Horizon);
        }

        return result;
    }

    private static (int Orders, double Spend) Buy(Random random, bool alive, double rate, double basket)
    {
        if (!alive || random.NextDouble() >= rate)
        {
            return (0, 0);
        }

        var orders = 1 + (random.NextDouble() < 0.3 ? 1 : 0);
        var spend = 0.0;
        for (var i = 0; i < orders; i++)
        {
            spend += basket * Math.Exp(0.3 * ((random.NextDouble() * 2) - 1));
        }

        return (orders, spend);
    }
}
