using System.Text;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Ingest;

public class RecordParserTests
{
    [Fact]
    public void SplitFields_AgreesWithAPlainSplitAtEveryLengthAndPosition()
    {
        var parser = new RecordParser(new ExportSyntax("test.csv", (byte)',', Whitespace: false, DecimalComma: false));
        var random = new Random(4);
        for (var length = 0; length <= 130; length++)
        {
            for (var trial = 0; trial < 20; trial++)
            {
                var chars = new char[length];
                for (var i = 0; i < length; i++)
                {
                    chars[i] = random.Next(5) == 0 ? ',' : (char)('a' + random.Next(26));
                }

                var record = new string(chars);
                var bytes = Encoding.ASCII.GetBytes(record);
                var expected = record.Split(',');

                var count = parser.SplitFields(bytes);

                Assert.Equal(expected.Length, count);
                Assert.Equal(expected, Enumerable.Range(0, count).Select(i => parser.FieldText(bytes, i)));
            }
        }
    }

    [Theory]
    [InlineData(512, 512)]
    [InlineData(513, RecordParser.MaxFields + 1)]
    [InlineData(2000, RecordParser.MaxFields + 1)]
    public void SplitFields_StopsAfterTheMostFieldsAllowed(int fields, int expected)
    {
        var parser = new RecordParser(new ExportSyntax("test.csv", (byte)';', Whitespace: false, DecimalComma: false));
        var bytes = Encoding.ASCII.GetBytes(string.Join(';', Enumerable.Repeat("x", fields)));

        Assert.Equal(expected, parser.SplitFields(bytes));
    }
}
