using System.Text.Json;
using Clv.Infra.Tests.Arm;
using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.Template;

public sealed class WorkbookTests
{
    private static ArmResource Workbook() => CompiledTemplate.Get().Single("Microsoft.Insights/workbooks");

    private const string ComponentPlaceholder = "__CLV_APP_INSIGHTS_ID__";

    private static string SerializedDataExpression() => Workbook().Properties.GetProperty("serializedData").GetString()!;

    /// <summary>The workbook file as loaded into the template (before the component id is put in).</summary>
    private static JsonElement Content()
    {
        var workbook = Workbook();
        var loaded = TemplateQueries.Literals(SerializedDataExpression())[0];
        return JsonDocument.Parse((string)workbook.Scope.Variable(loaded)!).RootElement;
    }

    private static IReadOnlyList<(string Title, string Query)> Queries() =>
        Content().GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("type").GetInt32() == 3)
            .Select(i => (i.GetProperty("content").GetProperty("title").GetString()!, i.GetProperty("content").GetProperty("query").GetString()!))
            .ToList();

    [Fact]
    public void Workbook_IsASharedNotebookListedUnderApplicationInsights()
    {
        var workbook = Workbook();

        Assert.Equal("shared", workbook.Json.GetProperty("kind").GetString());
        Assert.Equal("[parameters('appInsightsId')]", workbook.Properties.GetProperty("sourceId").GetString());
        Assert.Equal("Notebook/1.0", Content().GetProperty("version").GetString());
    }

    [Fact]
    public void Workbook_FallsBackToTheDeployedApplicationInsightsComponent()
    {
        var fallback = Content().GetProperty("fallbackResourceIds").EnumerateArray().Select(e => e.GetString()).ToList();

        Assert.Equal([ComponentPlaceholder], fallback);
        Assert.Matches(@$"^\[replace\(variables\('[^']+'\), '{ComponentPlaceholder}', parameters\('appInsightsId'\)\)\]$", SerializedDataExpression());
    }

    [Fact]
    public void Workbook_ChartsEveryPipelineMetric()
    {
        var queries = Queries();

        Assert.All(Contract.Metrics, metric =>
            Assert.Contains(queries, q => q.Query.Contains($"'{metric}'", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Rows read and rejected", "clv.ingest.rejected")]
    [InlineData("Rejected share of rows", "RejectedShare = Rejected / Rows")]
    [InlineData("Model metrics per version", "customDimensions['clv.model.version']")]
    [InlineData("Model metrics per version", "RealizedGini = anyif(Value, name == 'clv.model.realized_gini')")]
    [InlineData("Scoring throughput (predictions per second)", "clv.score.predictions")]
    [InlineData("Customers per predicted CLV band (latest scored version)", "customDimensions['clv.band']")]
    public void Workbook_HasTheChartOperatorsLookFor(string title, string queryFragment)
    {
        var query = Assert.Single(Queries(), q => q.Title == title).Query;

        Assert.Contains(queryFragment, query, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkbookQueries_ReadApplicationInsightsInTheSelectedTimeRange()
    {
        var items = Content().GetProperty("items").EnumerateArray().Where(i => i.GetProperty("type").GetInt32() == 3).ToList();

        Assert.NotEmpty(items);
        Assert.All(items, i =>
        {
            var content = i.GetProperty("content");
            Assert.Equal("microsoft.insights/components", content.GetProperty("resourceType").GetString());
            Assert.Equal("TimeRange", content.GetProperty("timeContextFromParameter").GetString());
        });
    }
}
