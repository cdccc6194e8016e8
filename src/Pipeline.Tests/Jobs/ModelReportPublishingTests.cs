using Clv.Modeling.Evaluation;
using Clv.Pipeline.Storage;

namespace Clv.Pipeline.Tests.Jobs;

/// <summary>The model store publishes the evaluation report's files exactly as the tool writes them, against Azurite.</summary>
public class ModelReportPublishingTests
{
    [Fact]
    public async Task PublishAsync_WritesEveryReportFile_ByteForByteAsTheToolWritesIt()
    {
        var harness = await PipelineHarness.CreateAsync();
        string[] customers = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10"];
        double[] actual = [0, 5, 0, 12, 30, 0, 8, 2, 0, 50];
        var report = EvaluationReport.Create(
        [
            new ModelScores(ModelNames.Lstm, customers, actual, [1, 4, 0.5, 10, 25, 0.2, 7, 3, 0.1, 40], [0.2, 0.6, 0.1, 0.8, 0.9, 0.1, 0.7, 0.5, 0.1, 0.95]),
            new ModelScores(ModelNames.Naive, customers, actual, [5, 5, 5, 5, 5, 5, 5, 5, 5, 6]),
        ]);
        var directory = Directory.CreateTempSubdirectory("clv-report-").FullName;
        try
        {
            var written = await report.WriteAsync(directory, TestContext.Current.CancellationToken);

            await new ModelStore(harness.Storage).PublishAsync("v-report", [1, 2, 3], report.Files, TestContext.Current.CancellationToken);

            Assert.Equal([EvaluationReport.MarkdownFileName, EvaluationReport.HtmlFileName, EvaluationReport.MetricsFileName], written.Select(Path.GetFileName));
            foreach (var path in written)
            {
                var blob = await harness.Storage.Models.GetBlobClient($"v-report/{Path.GetFileName(path)}").DownloadContentAsync(TestContext.Current.CancellationToken);
                Assert.Equal(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken), blob.Value.Content.ToArray());
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
