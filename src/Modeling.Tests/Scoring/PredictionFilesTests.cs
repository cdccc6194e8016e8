using System.Text;
using Clv.Modeling.Scoring;

namespace Clv.Modeling.Tests.Scoring;

public class PredictionFilesTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+123", "'+123")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("C-42", "C-42")]
    [InlineData("a,b", "\"a,b\"")]
    public void CsvField_NeutralisesFormulasAndQuotesDelimiters(string id, string expected)
    {
        Assert.Equal(expected, PredictionFiles.CsvField(id));
    }

    [Fact]
    public void WriteCsv_WritesAHeaderAndOneLinePerCustomer()
    {
        var scores = new ClvPredictionBatch(["c1", "=cmd"], [12.5f, 0f], [0.75f, 0.1f], [0f, 0f], [9.25f, 0f], [30f, 0.5f]);
        using var stream = new MemoryStream();

        PredictionFiles.WriteCsv(scores, "v1", new DateOnly(2026, 11, 1), stream);

        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["customer_id,clv,p_purchase,clv_p10,clv_p50,clv_p90,model_version,as_of", "c1,12.5,0.75,0,9.25,30,v1,2026-11-01", "'=cmd,0,0.1,0,0,0.5,v1,2026-11-01"], lines);
    }
}
