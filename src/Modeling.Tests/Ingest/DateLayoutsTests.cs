using System.Globalization;
using System.Text;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Ingest;

public sealed class DateLayoutsTests
{
    /// <summary>
    /// ISO dates and timestamps at their usual fixed width, half of them with one character replaced (an out-of-range
    /// month, day, hour..., or a non-digit): parsing gives what the general reading gives, and every text .NET's exact
    /// parser accepts is read at fixed width, to the same day and second.
    /// </summary>
    [Fact]
    public void IsoFixedWidth_AgreesWithTheGeneralReadingAndExactParsing()
    {
        var random = new Random(17);
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss"];
        var (valid, invalid) = (0, 0);
        for (var i = 0; i < 200_000; i++)
        {
            var timestamp = new DateTime(1, 1, 1).AddSeconds(random.NextInt64((long)(DateTime.MaxValue - DateTime.MinValue).TotalSeconds));
            var chars = timestamp.ToString(formats[random.Next(formats.Length)], CultureInfo.InvariantCulture).ToCharArray();
            if (random.Next(2) == 0)
            {
                chars[random.Next(chars.Length)] = "0123456789931:-Tx/ "[random.Next(19)];
            }

            var text = new string(chars);
            var bytes = Encoding.ASCII.GetBytes(text);

            var parsed = DateLayouts.TryParse(bytes, DateLayout.Iso, out var dayNumber, out var secondOfDay);
            var general = DateLayouts.TryParseAnyWidth(bytes, DateLayout.Iso, out var generalDay, out var generalSecond);

            Assert.True(parsed == general, $"'{text}': {(general ? "valid" : "invalid")} in general, {(parsed ? "valid" : "invalid")} read at fixed width");
            Assert.Equal((generalDay, generalSecond), (dayNumber, secondOfDay));
            if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact))
            {
                Assert.True(DateLayouts.TryIsoFixedWidth(bytes, out var fixedDay, out var fixedSecond), $"'{text}' is not read at fixed width");
                Assert.Equal((DateOnly.FromDateTime(exact).DayNumber, (int)exact.TimeOfDay.TotalSeconds), (fixedDay, fixedSecond));
                Assert.Equal((fixedDay, fixedSecond), (dayNumber, secondOfDay));
                valid++;
            }
            else
            {
                invalid++;
            }
        }

        Assert.InRange(invalid, 10_000, valid);
    }
}
