namespace Clv.Modeling.Features;

/// <summary>The names of bucket sizes as they appear in options, settings, files and messages: <c>day</c>, <c>week</c>, <c>month</c>.</summary>
public static class BucketNames
{
    /// <summary>The lower-case name of <paramref name="bucket"/>.</summary>
    public static string Name(BucketSize bucket) => bucket switch
    {
        BucketSize.Day => "day",
        BucketSize.Week => "week",
        _ => "month",
    };

    /// <summary>Reads a name (any case, surrounding spaces ignored); <see langword="false"/> for anything else, numbers included.</summary>
    public static bool TryParse(string? text, out BucketSize bucket)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "DAY":
                bucket = BucketSize.Day;
                return true;
            case "WEEK":
                bucket = BucketSize.Week;
                return true;
            case "MONTH":
                bucket = BucketSize.Month;
                return true;
            default:
                bucket = BucketSize.Week;
                return false;
        }
    }
}
