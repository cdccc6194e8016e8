namespace Clv.Modeling.Tests.Lstm;

/// <summary>Accuracy measures used to judge trained models in tests.</summary>
internal static class RankMetrics
{
    /// <summary>
    /// Normalised Gini from the gain curve: customers ranked by prediction (highest first), the area
    /// between the cumulative share of actual spend and the diagonal, divided by the same area for the
    /// ranking by actual spend. 1 is a perfect ranking, 0 a random one.
    /// </summary>
    public static double NormalizedGini(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted) =>
        Gini(actual, predicted) / Gini(actual, actual);

    public static double Rmse(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        var sum = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var error = (double)predicted[i] - actual[i];
            sum += error * error;
        }

        return Math.Sqrt(sum / actual.Length);
    }

    private static double Gini(ReadOnlySpan<float> actual, ReadOnlySpan<float> predicted)
    {
        var scores = predicted.ToArray();
        var order = Enumerable.Range(0, actual.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var total = 0.0;
        foreach (var value in actual)
        {
            total += value;
        }

        var cumulative = 0.0;
        var area = 0.0;
        for (var rank = 0; rank < order.Length; rank++)
        {
            cumulative += actual[order[rank]];
            area += (cumulative / total) - ((rank + 1.0) / order.Length);
        }

        return area / order.Length;
    }
}
