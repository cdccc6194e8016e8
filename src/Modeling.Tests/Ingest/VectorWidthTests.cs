using System.Globalization;
using System.Text;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Tests.Features;

namespace Clv.Modeling.Tests.Ingest;

/// <summary>
/// The record splitter has a path per vector width (512, 256, 128 bits, scalar). Each width this machine accelerates is
/// run here; the narrower ones are reached on any machine, and test.sh reruns these tests with the runtime's
/// <c>DOTNET_EnableAVX512F=0</c> and <c>DOTNET_EnableAVX2=0</c> so that the width picked at start-up is exercised too.
/// </summary>
public class VectorWidthTests
{
    public static TheoryData<int> Widths => [512, 256, 128, 0];

    private static RecordParser Parser(int bits)
    {
        if (!ParserVectorWidth.IsSupported(bits))
        {
            Assert.Skip($"this process does not accelerate {bits}-bit vectors (the CPU or the runtime's DOTNET_Enable* settings; it runs {string.Join(", ", ParserVectorWidth.Supported)})");
        }

        return new RecordParser(new ExportSyntax("test.csv", (byte)',', Whitespace: false, DecimalComma: false), bits);
    }

    /// <summary>RFC 4180 fields, written independently of the parser: a comma outside quotes ends a field; quotes toggle.</summary>
    private static List<string> ReferenceFields(string record)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inside = false;
        foreach (var c in record)
        {
            if (c == '"')
            {
                inside = !inside;
                field.Append(c);
            }
            else if (c == ',' && !inside)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>A record of random fields, some quoted with commas and doubled quotes inside, of every length to 300 bytes.</summary>
    private static string RandomRecord(Random random, int length)
    {
        var text = new StringBuilder();
        while (text.Length < length)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            var fieldLength = random.Next(0, 40);
            if (random.Next(3) == 0)
            {
                text.Append('"');
                for (var i = 0; i < fieldLength; i++)
                {
                    text.Append(random.Next(6) switch { 0 => ",", 1 => "\"\"", _ => ((char)('a' + random.Next(26))).ToString() });
                }

                text.Append('"');
            }
            else
            {
                text.Append(new string((char)('a' + random.Next(26)), fieldLength));
            }
        }

        return text.ToString();
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SplitFields_FindsTheRfc4180FieldsOfQuotedRecordsAtEveryLength(int bits)
    {
        var parser = Parser(bits);
        var random = new Random(bits + 7);
        for (var length = 0; length <= 300; length++)
        {
            for (var trial = 0; trial < 10; trial++)
            {
                var record = RandomRecord(random, length);
                var bytes = Encoding.ASCII.GetBytes(record + "\n");
                Assert.True(parser.TrySplitRecord(bytes, final: true, out var recordLength, out _, out _));
                var expected = ReferenceFields(record);

                var count = parser.SplitFields(bytes.AsSpan(0, recordLength));

                Assert.Equal(expected.Count, count);
                for (var i = 0; i < count; i++)
                {
                    var span = bytes.AsSpan(0, recordLength);
                    var expectedValue = expected[i].Trim(' ');
                    if (expectedValue.Length >= 2 && expectedValue[0] == '"' && expectedValue[^1] == '"')
                    {
                        expectedValue = expectedValue[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal).Trim(' ');
                    }

                    Assert.Equal(expectedValue, parser.FieldText(span, i));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SplitFields_AgreesWithAPlainSplitForUnquotedRecords(int bits)
    {
        var parser = Parser(bits);
        var random = new Random(bits + 3);
        for (var length = 0; length <= 200; length++)
        {
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = random.Next(5) == 0 ? ',' : (char)('a' + random.Next(26));
            }

            var record = new string(chars);
            var bytes = Encoding.ASCII.GetBytes(record);

            var count = parser.SplitFields(bytes);

            Assert.Equal(record.Split(','), Enumerable.Range(0, count).Select(i => parser.FieldText(bytes, i)));
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SplitFields_StopsAfterTheMostFieldsAllowedAtEveryWidth(int bits)
    {
        var parser = Parser(bits);
        var quoted = Encoding.ASCII.GetBytes("\"a,b\"," + string.Join(',', Enumerable.Repeat("x", 600)) + "\n");
        Assert.True(parser.TrySplitRecord(quoted, final: true, out var length, out _, out _));

        Assert.Equal(RecordParser.MaxFields + 1, parser.SplitFields(quoted.AsSpan(0, length)));
        Assert.Equal(RecordParser.MaxFields, parser.SplitFields(Encoding.ASCII.GetBytes(string.Join(',', Enumerable.Repeat("y", RecordParser.MaxFields)))));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Featurize_GivesTheScalarPathsPartialsAndRejectedRowsAtEveryWidth(int bits)
    {
        _ = Parser(bits);
        var (text, customerRows, expectedSpend) = RetailExport(rows: 4000, seed: 21);
        var (reference, referenceRejected) = Featurize(text, vectorBits: 0);
        Assert.Equal(customerRows, reference.Summary.Accepted);
        Assert.Equal(expectedSpend, reference.Summary.TotalSpend, 1e-6);

        var (result, rejected) = Featurize(text, bits);

        PartialsAssert.Identical(reference.Partials, result.Partials);
        Assert.Equal(referenceRejected.Rows, rejected.Rows);
        Assert.Equal(reference.Summary with { Elapsed = default }, result.Summary with { Elapsed = default });
    }

    [Fact]
    public void Choose_PicksTheWidestAcceleratedWidthUnlessForced()
    {
        Assert.Equal(ParserVectorWidth.Supported[0], ParserVectorWidth.Choose(null));
        Assert.Equal(0, ParserVectorWidth.Choose("0"));
        Assert.Equal(0, ParserVectorWidth.Supported[^1]);
        Assert.Contains(ParserVectorWidth.Default, ParserVectorWidth.Supported);
    }

    [Theory]
    [InlineData("64")]
    [InlineData("wide")]
    [InlineData("-256")]
    public void Choose_RejectsAValueThatIsNotAWidth_NamingTheVariable(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ParserVectorWidth.Choose(value));

        Assert.Contains(ParserVectorWidth.EnvironmentVariable, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_RejectsAWidthTheMachineDoesNotAccelerate()
    {
        var missing = new[] { 512, 256, 128 }.FirstOrDefault(bits => !ParserVectorWidth.IsSupported(bits));
        if (missing == 0)
        {
            Assert.Skip("this process accelerates every width, so none can be refused");
        }

        var error = Assert.Throws<InvalidOperationException>(() => ParserVectorWidth.Choose(missing.ToString(CultureInfo.InvariantCulture)));

        Assert.Contains("does not accelerate", error.Message, StringComparison.Ordinal);
    }

    private static (FeaturizeResult Result, RejectedRowList Rejected) Featurize(string text, int vectorBits)
    {
        using var stream = ExportText.Stream(text);
        var rejected = new RejectedRowList();
        var options = new ExportReaderOptions { MaxRejectedShare = 0.5 };
        var result = ExportFeaturizer.Featurize(stream, "retail.csv", options, BucketSize.Day, rejected, threads: 2, chunkBytes: 4096, TestContext.Current.CancellationToken, vectorBits);
        return (result, rejected);
    }

    /// <summary>
    /// An order-line export as shops write it: long free-text descriptions (quoted when they hold commas or quotes),
    /// quantity x unit price, a quarter of the lines without a customer id, cancellations with negative quantities.
    /// Returns the text, and the count and spend of the lines that have a customer.
    /// </summary>
    private static (string Text, long CustomerRows, double Spend) RetailExport(int rows, int seed)
    {
        var customerRows = 0L;
        var random = new Random(seed);
        var text = new StringBuilder("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
        var spend = 0.0;
        for (var row = 0; row < rows; row++)
        {
            var description = new StringBuilder();
            var words = random.Next(0, 25);
            for (var w = 0; w < words; w++)
            {
                description.Append(random.Next(8) switch { 0 => "a, b ", 1 => "\"\"big\"\" ", _ => "WORD ", });
            }

            var quoted = description.ToString().AsSpan().IndexOfAny(',', '"') >= 0 ? $"\"{description}\"" : description.ToString();
            var cancelled = random.Next(30) == 0;
            var quantity = (cancelled ? -1 : 1) * random.Next(1, 50);
            var price = random.Next(1, 2000) / 100.0;
            var customer = random.Next(4) == 0 ? string.Empty : (12_000 + random.Next(300)).ToString(CultureInfo.InvariantCulture);
            if (customer.Length > 0)
            {
                customerRows++;
                spend += quantity * price;
            }

            text.Append(CultureInfo.InvariantCulture, $"{(cancelled ? "C" : string.Empty)}{500_000 + (row / 7)},{10_000 + random.Next(900)},{quoted},{quantity},2011-0{1 + random.Next(9)}-1{random.Next(10)}T1{random.Next(10)}:2{random.Next(10)}:00,{price.ToString(CultureInfo.InvariantCulture)},{customer},United Kingdom\n");
        }

        return (text.ToString(), customerRows, spend);
    }
}
