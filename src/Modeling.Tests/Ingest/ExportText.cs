using System.IO.Compression;
using System.Text;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Tests.Ingest;

/// <summary>Reads export text written by a test.</summary>
internal static class ExportText
{
    public static MemoryStream Stream(string text, bool bom = false)
    {
        var bytes = new UTF8Encoding(bom).GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        return new MemoryStream(bytes);
    }

    public static MemoryStream Gzip(string text)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            gzip.Write(bytes);
        }

        output.Position = 0;
        return output;
    }

    public static IReadOnlyList<Transaction> Read(string text, ExportReaderOptions? options = null, RejectedRowList? rejected = null)
    {
        using var stream = Stream(text);
        return ExportReader.ReadTransactions(stream, "export.csv", options ?? new ExportReaderOptions(), rejected, TestContext.Current.CancellationToken);
    }
}
