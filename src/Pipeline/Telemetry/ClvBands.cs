namespace Clv.Pipeline.Telemetry;

/// <summary>The predicted-CLV bands of the <c>clv.prediction.band</c> metric: <c>0-10</c> … <c>1000-2500</c>, <c>2500+</c>.</summary>
public static class ClvBands
{
    /// <summary>Band labels, lowest first; a band holds values from its lower bound up to, not including, its upper bound.</summary>
    public static readonly IReadOnlyList<string> Labels = ["0-10", "10-25", "25-50", "50-100", "100-250", "250-500", "500-1000", "1000-2500", "2500+"];

    private static readonly double[] UpperBounds = [10, 25, 50, 100, 250, 500, 1000, 2500];

    /// <summary>Index into <see cref="Labels"/> of the band of <paramref name="clv"/>; values below 10 (and NaN) fall in <c>0-10</c>.</summary>
    public static int IndexOf(double clv)
    {
        if (!(clv >= UpperBounds[0]))
        {
            return 0;
        }

        for (var i = 1; i < UpperBounds.Length; i++)
        {
            if (clv < UpperBounds[i])
            {
                return i;
            }
        }

        return UpperBounds.Length;
    }

    /// <summary>The band label of <paramref name="clv"/>.</summary>
    public static string Of(double clv) => Labels[IndexOf(clv)];
}
