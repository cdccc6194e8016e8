using System.Runtime.CompilerServices;

namespace Clv.Modeling.Ingest;

/// <summary>The date layouts an export may use; each is parsed straight from UTF-8 bytes.</summary>
internal enum DateLayout
{
    /// <summary><c>yyyyMMdd</c>, e.g. <c>19970101</c> (CDNOW).</summary>
    CompactYearMonthDay,

    /// <summary>ISO 8601 <c>yyyy-MM-dd</c>, optionally <c>T</c>/space and a time, then <c>Z</c> or an offset.</summary>
    Iso,

    /// <summary><c>yyyy/M/d</c>.</summary>
    YearSlashMonthDay,

    /// <summary><c>M/d/yyyy</c> (US), e.g. <c>12/1/2010 8:26</c>.</summary>
    MonthDayYear,

    /// <summary><c>d/M/yyyy</c> (most of Europe).</summary>
    DayMonthYear,

    /// <summary><c>d.M.yyyy</c> (German-speaking countries).</summary>
    DayDotMonthYear,

    /// <summary><c>MMM d, yyyy</c> with an English month abbreviation, e.g. <c>Oct 7, 2025 9:50:26 AM</c> (Magento's order grid export).</summary>
    MonthNameDayYear,
}

/// <summary>Parses dates and times from UTF-8 bytes without allocating (the BCL parsers need chars and a culture).</summary>
internal static class DateLayouts
{
    private const int SecondsPerDay = 86_400;

    private static readonly int[] DaysBeforeMonth = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

    /// <summary>Names accepted by <see cref="ExportReaderOptions.DateFormat"/>, in <see cref="DateLayout"/> order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["yyyyMMdd", "yyyy-MM-dd", "yyyy/M/d", "M/d/yyyy", "d/M/yyyy", "d.M.yyyy", "MMM d, yyyy"];

    public static string Name(DateLayout layout) => Names[(int)layout];

    public static bool TryFromName(string name, out DateLayout layout)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                layout = (DateLayout)i;
                return true;
            }
        }

        layout = default;
        return false;
    }

    /// <summary>Parses <paramref name="text"/> as <paramref name="layout"/>; on success gives the day number (days since 0001-01-01) and second of day, in UTC when the text carries an offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<byte> text, DateLayout layout, out int dayNumber, out int secondOfDay)
    {
        return (layout == DateLayout.Iso && TryIsoFixedWidth(text, out dayNumber, out secondOfDay))
            || TryParseAnyWidth(text, layout, out dayNumber, out secondOfDay);
    }

    /// <summary>
    /// <see cref="TryParse"/> without the fixed-width reading of the common ISO forms: one- or two-digit fields, spaces
    /// before the time, fractions, offsets and 12-hour clocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryParseAnyWidth(ReadOnlySpan<byte> text, DateLayout layout, out int dayNumber, out int secondOfDay)
    {
        dayNumber = 0;
        secondOfDay = 0;
        int year, month, day, pos;
        switch (layout)
        {
            case DateLayout.CompactYearMonthDay:
                if (text.Length < 8 || !Digits(text, 0, 4, out year) || !Digits(text, 4, 2, out month) || !Digits(text, 6, 2, out day))
                {
                    return false;
                }

                pos = 8;
                break;
            case DateLayout.Iso:
            case DateLayout.YearSlashMonthDay:
                {
                    var separator = layout == DateLayout.Iso ? (byte)'-' : (byte)'/';
                    pos = 0;
                    if (!Number(text, ref pos, 4, 4, out year) || !Expect(text, ref pos, separator)
                        || !Number(text, ref pos, 1, 2, out month) || !Expect(text, ref pos, separator)
                        || !Number(text, ref pos, 1, 2, out day))
                    {
                        return false;
                    }

                    break;
                }

            case DateLayout.MonthNameDayYear:
                {
                    pos = 0;
                    if (text.Length < 3 || (month = MonthFromName(text[..3])) == 0)
                    {
                        return false;
                    }

                    pos = 3;
                    while (pos < text.Length && text[pos] is (byte)'.' or (byte)' ')
                    {
                        pos++;
                    }

                    if (!Number(text, ref pos, 1, 2, out day) || !Expect(text, ref pos, (byte)',') || !Expect(text, ref pos, (byte)' ') || !Number(text, ref pos, 4, 4, out year))
                    {
                        return false;
                    }

                    break;
                }

            default:
                {
                    var separator = layout == DateLayout.DayDotMonthYear ? (byte)'.' : (byte)'/';
                    pos = 0;
                    if (!Number(text, ref pos, 1, 2, out var first) || !Expect(text, ref pos, separator)
                        || !Number(text, ref pos, 1, 2, out var second) || !Expect(text, ref pos, separator)
                        || !Number(text, ref pos, 4, 4, out year))
                    {
                        return false;
                    }

                    (month, day) = layout == DateLayout.MonthDayYear ? (first, second) : (second, first);
                    break;
                }
        }

        if (!TryDayNumber(year, month, day, out dayNumber))
        {
            return false;
        }

        if (pos == text.Length)
        {
            return true;
        }

        if (text[pos] != (byte)'T' && text[pos] != (byte)' ')
        {
            return false;
        }

        pos++;
        while (pos < text.Length && text[pos] == (byte)' ')
        {
            pos++;
        }

        if (!TryTime(text, ref pos, out secondOfDay))
        {
            return false;
        }

        if (pos == text.Length)
        {
            return true;
        }

        // ISO offsets may follow the time after a space (Shopify: "2025-10-07 09:50:26 +0200").
        if (layout == DateLayout.Iso && text[pos] == (byte)' ' && pos + 1 < text.Length && text[pos + 1] is (byte)'+' or (byte)'-')
        {
            pos++;
        }

        var offsetSeconds = 0;
        var c = text[pos];
        if (layout == DateLayout.Iso && c == (byte)'Z' && pos + 1 == text.Length)
        {
            return true;
        }

        if (layout == DateLayout.Iso && (c == (byte)'+' || c == (byte)'-'))
        {
            pos++;
            if (pos + 2 > text.Length || !Digits(text, pos, 2, out var offsetHours))
            {
                return false;
            }

            pos += 2;
            if (pos < text.Length && text[pos] == (byte)':')
            {
                pos++;
            }

            if (pos + 2 != text.Length || !Digits(text, pos, 2, out var offsetMinutes) || offsetHours > 14 || offsetMinutes > 59)
            {
                return false;
            }

            offsetSeconds = ((offsetHours * 60) + offsetMinutes) * 60 * (c == (byte)'-' ? -1 : 1);
            var total = ((long)dayNumber * SecondsPerDay) + secondOfDay - offsetSeconds;
            dayNumber = (int)(total / SecondsPerDay);
            secondOfDay = (int)(total % SecondsPerDay);
            return true;
        }

        if (layout != DateLayout.Iso)
        {
            // Optional 12-hour clock suffix: " AM" / " PM".
            while (pos < text.Length && text[pos] == (byte)' ')
            {
                pos++;
            }

            if (text.Length - pos == 2 && (text[pos + 1] | 0x20) == (byte)'m')
            {
                var hour = secondOfDay / 3600;
                var meridiem = text[pos] | 0x20;
                if (hour is < 1 or > 12 || (meridiem != 'a' && meridiem != 'p'))
                {
                    return false;
                }

                var hour24 = (hour % 12) + (meridiem == 'p' ? 12 : 0);
                secondOfDay += (hour24 - hour) * 3600;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The two ISO forms most exports use, <c>yyyy-MM-dd</c> and <c>yyyy-MM-ddTHH:mm:ss</c> (or a space for the T), read
    /// at their fixed positions; false for anything else, which the general path then reads (with the same result for
    /// these two forms).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryIsoFixedWidth(ReadOnlySpan<byte> text, out int dayNumber, out int secondOfDay)
    {
        dayNumber = 0;
        secondOfDay = 0;
        if ((text.Length != 10 && text.Length != 19) || text[4] != (byte)'-' || text[7] != (byte)'-')
        {
            return false;
        }

        uint y0 = (uint)(text[0] - '0'), y1 = (uint)(text[1] - '0'), y2 = (uint)(text[2] - '0'), y3 = (uint)(text[3] - '0');
        uint m0 = (uint)(text[5] - '0'), m1 = (uint)(text[6] - '0'), d0 = (uint)(text[8] - '0'), d1 = (uint)(text[9] - '0');
        if ((y0 > 9) | (y1 > 9) | (y2 > 9) | (y3 > 9) | (m0 > 9) | (m1 > 9) | (d0 > 9) | (d1 > 9)
            || !TryDayNumber((int)((y0 * 1000) + (y1 * 100) + (y2 * 10) + y3), (int)((m0 * 10) + m1), (int)((d0 * 10) + d1), out dayNumber))
        {
            return false;
        }

        if (text.Length == 10)
        {
            return true;
        }

        if ((text[10] != (byte)'T' && text[10] != (byte)' ') || text[13] != (byte)':' || text[16] != (byte)':')
        {
            return false;
        }

        uint h0 = (uint)(text[11] - '0'), h1 = (uint)(text[12] - '0'), n0 = (uint)(text[14] - '0'), n1 = (uint)(text[15] - '0');
        uint s0 = (uint)(text[17] - '0'), s1 = (uint)(text[18] - '0');
        var hour = (h0 * 10) + h1;
        var minute = (n0 * 10) + n1;
        var second = (s0 * 10) + s1;
        if ((h0 > 9) | (h1 > 9) | (n0 > 9) | (n1 > 9) | (s0 > 9) | (s1 > 9) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        secondOfDay = (int)((hour * 3600) + (minute * 60) + second);
        return true;
    }

    /// <summary>Days since 0001-01-01 of a valid calendar date.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryDayNumber(int year, int month, int day, out int dayNumber)
    {
        dayNumber = 0;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1)
        {
            return false;
        }

        var leap = DateTime.IsLeapYear(year);
        var daysInMonth = DaysBeforeMonth[month] - DaysBeforeMonth[month - 1] + (leap && month == 2 ? 1 : 0);
        if (day > daysInMonth)
        {
            return false;
        }

        var y = year - 1;
        dayNumber = (y * 365) + (y / 4) - (y / 100) + (y / 400) + DaysBeforeMonth[month - 1] + (leap && month > 2 ? 1 : 0) + day - 1;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryTime(ReadOnlySpan<byte> text, ref int pos, out int secondOfDay)
    {
        secondOfDay = 0;
        if (!Number(text, ref pos, 1, 2, out var hour) || !Expect(text, ref pos, (byte)':') || !Number(text, ref pos, 2, 2, out var minute))
        {
            return false;
        }

        var second = 0;
        if (pos < text.Length && text[pos] == (byte)':')
        {
            pos++;
            if (!Number(text, ref pos, 2, 2, out second))
            {
                return false;
            }

            if (pos < text.Length && (text[pos] == (byte)'.' || text[pos] == (byte)','))
            {
                pos++;
                var start = pos;
                while (pos < text.Length && (uint)(text[pos] - '0') <= 9)
                {
                    pos++;
                }

                if (pos == start)
                {
                    return false;
                }
            }
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        secondOfDay = (hour * 3600) + (minute * 60) + second;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    /// <summary>1..12 for an English three-letter month abbreviation (any case), else 0.</summary>
    private static int MonthFromName(ReadOnlySpan<byte> name)
    {
        ReadOnlySpan<byte> months = "janfebmaraprmayjunjulaugsepoctnovdec"u8;
        Span<byte> lower = [(byte)(name[0] | 0x20), (byte)(name[1] | 0x20), (byte)(name[2] | 0x20)];
        for (var i = 0; i < 12; i++)
        {
            if (months.Slice(3 * i, 3).SequenceEqual(lower))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = (uint)(text[i] - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + (int)d;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Number(ReadOnlySpan<byte> text, ref int pos, int minDigits, int maxDigits, out int value)
    {
        value = 0;
        var start = pos;
        while (pos < text.Length && pos - start < maxDigits)
        {
            var d = (uint)(text[pos] - '0');
            if (d > 9)
            {
                break;
            }

            value = (value * 10) + (int)d;
            pos++;
        }

        var count = pos - start;
        return count >= minDigits && (pos == text.Length || (uint)(text[pos] - '0') > 9);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Expect(ReadOnlySpan<byte> text, ref int pos, byte expected)
    {
        if (pos < text.Length && text[pos] == expected)
        {
            pos++;
            return true;
        }

        return false;
    }
}
