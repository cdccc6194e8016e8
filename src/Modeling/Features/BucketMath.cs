namespace Clv.Modeling.Features;

/// <summary>
/// Bucket indexes: consecutive integers per bucket size, so that "steps between" is a subtraction.
/// Day: days since 0001-01-01; week: weeks since Monday 0001-01-01 (ISO weeks start on Monday); month: <c>year * 12 + month - 1</c>.
/// </summary>
internal static class BucketMath
{
    private const int DaysPerWeek = 7;

    public static int Index(int dayNumber, BucketSize bucket) => bucket switch
    {
        BucketSize.Day => dayNumber,
        BucketSize.Week => dayNumber / DaysPerWeek,
        _ => MonthIndex(DateOnly.FromDayNumber(dayNumber)),
    };

    public static int Index(DateOnly date, BucketSize bucket) => Index(date.DayNumber, bucket);

    /// <summary>The first day of bucket <paramref name="index"/>.</summary>
    public static DateOnly Start(int index, BucketSize bucket) => bucket switch
    {
        BucketSize.Day => DateOnly.FromDayNumber(index),
        BucketSize.Week => DateOnly.FromDayNumber(index * DaysPerWeek),
        _ => new DateOnly(index / 12, (index % 12) + 1, 1),
    };

    /// <summary>The last day of bucket <paramref name="index"/>.</summary>
    /// <remarks>The bucket holding 9999-12-31 ends there (the next bucket would start outside the calendar).</remarks>
    public static DateOnly End(int index, BucketSize bucket) =>
        index >= Index(DateOnly.MaxValue, bucket) ? DateOnly.MaxValue : Start(index + 1, bucket).AddDays(-1);

    private static int MonthIndex(DateOnly date) => (date.Year * 12) + date.Month - 1;
}
