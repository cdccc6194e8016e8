using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Clv.LocalHost;
using Clv.Modeling.Scoring;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;

namespace Clv.Pipeline.Tests.Http;

public class HttpApiTests
{
    private const string ProblemJson = "application/problem+json";
    private const double ClvTolerance = 1e-4;

    [Fact]
    public async Task GetCustomer_Known_Returns200WithThePrediction()
    {
        await using var host = await LocalHostFixture.StartAsync();
        var scoredAt = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        await PredictionWriter.UpsertAsync(host.Storage.Predictions, [PredictionEntity.Create("a/b#c", new ClvPrediction(12.5f, 0.75f, 0f, 6.25f, 40f), "v1", new DateOnly(2026, 11, 1), scoredAt)], cancellationToken: TestContext.Current.CancellationToken);

        var response = await host.Client.GetAsync("/api/customers/a%2Fb%23c/clv", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("a/b#c", body.RootElement.GetProperty("customerId").GetString());
        Assert.Equal(12.5, body.RootElement.GetProperty("clv").GetDouble());
        Assert.Equal(0.75, body.RootElement.GetProperty("pPurchase").GetDouble());
        Assert.Equal(0, body.RootElement.GetProperty("clvP10").GetDouble());
        Assert.Equal(6.25, body.RootElement.GetProperty("clvP50").GetDouble());
        Assert.Equal(40, body.RootElement.GetProperty("clvP90").GetDouble());
        Assert.Equal("v1", body.RootElement.GetProperty("modelVersion").GetString());
        Assert.Equal("2026-11-01", body.RootElement.GetProperty("asOf").GetString());
        Assert.Equal(scoredAt, body.RootElement.GetProperty("scoredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task GetCustomer_Unknown_Returns404ProblemNamingTheCustomer()
    {
        await using var host = await LocalHostFixture.StartAsync();

        var response = await host.Client.GetAsync("/api/customers/nobody-42/clv", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nobody-42", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"transactions\":[{\"timestamp\":\"2026-01-05\",\"amount\":\"ten\"}]}", "transactions[0].amount")]
    [InlineData("{\"transactions\":[{\"timestamp\":\"2026-01-05\",\"amount\":1},{\"amount\":2}]}", "transactions[1].timestamp")]
    [InlineData("{\"transactions\":[]}", "transactions")]
    [InlineData("{\"asOf\":\"soon\",\"transactions\":[{\"timestamp\":\"2026-01-05\",\"amount\":1}]}", "asOf")]
    [InlineData("[1,2]", "$")]
    [InlineData("{\"transactions\":[{\"timestamp\":\"2026-01-05\",\"amount\":1}", "$")]
    public async Task Score_InvalidBody_Returns400ProblemNamingTheField(string body, string field)
    {
        await using var host = await LocalHostFixture.StartAsync();

        var response = await host.Client.PostAsync("/api/score", new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Score_BodyOverTheLimit_Returns413Problem()
    {
        await using var host = await LocalHostFixture.StartAsync();
        var transactions = string.Join(',', Enumerable.Repeat("{\"timestamp\":\"2026-01-05\",\"amount\":1.25}", 200));

        var response = await host.Client.PostAsync("/api/score", new StringContent($"{{\"transactions\":[{transactions}]}}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Clv:Http:MaxScoreRequestBytes", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_ChunkedBodyOverTheLimit_Returns413Problem()
    {
        await using var host = await LocalHostFixture.StartAsync();
        var content = new StreamContent(new MemoryStream(new byte[10_000]));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/score") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Score_ValidTransactions_ScoresWithTheChampion()
    {
        await using var host = await LocalHostFixture.StartAsync();
        await host.PromoteAsync("v7", new DateOnly(2026, 6, 30), DateTimeOffset.UtcNow);
        var body = new { customerId = "c-1", transactions = new object[] { new { timestamp = "2026-03-01", amount = 30.0 }, new { timestamp = "2026-04-01T10:00:00Z", amount = 10.0, orderId = "o2", quantity = 2 } } };

        var response = await host.Client.PostAsJsonAsync("/api/score", body, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("v7", result.RootElement.GetProperty("modelVersion").GetString());
        Assert.Equal(TestScorerFactory.ExpectedClv(40.0), result.RootElement.GetProperty("clv").GetDouble(), ClvTolerance);
        var (p10, p50, p90) = TestScorerFactory.ExpectedInterval(40.0);
        Assert.Equal(p10, result.RootElement.GetProperty("clvP10").GetDouble(), ClvTolerance);
        Assert.Equal(p50, result.RootElement.GetProperty("clvP50").GetDouble(), ClvTolerance);
        Assert.Equal(p90, result.RootElement.GetProperty("clvP90").GetDouble(), ClvTolerance);
        Assert.Equal("2026-04-01", result.RootElement.GetProperty("asOf").GetString());
    }

    [Fact]
    public async Task Score_WithoutAChampion_Returns503Problem()
    {
        await using var host = await LocalHostFixture.StartAsync();

        var response = await host.Client.PostAsJsonAsync("/api/score", new { transactions = new[] { new { timestamp = "2026-03-01", amount = 3.0 } } }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_ReportsTheLoadedModelVersionAndItsAge()
    {
        await using var host = await LocalHostFixture.StartAsync();
        await host.PromoteAsync("v9", new DateOnly(2026, 6, 30), DateTimeOffset.UtcNow.AddHours(-2));

        var health = await host.Client.GetFromJsonAsync<JsonElement>("/api/health", TestContext.Current.CancellationToken);

        Assert.Equal("v9", health.GetProperty("modelVersion").GetString());
        Assert.InRange(health.GetProperty("modelAgeSeconds").GetDouble(), 7000, 7400);
    }

    [Fact]
    public async Task Watcher_FeaturizesAnExportDroppedWhileTheHostRuns()
    {
        await using var host = await LocalHostFixture.StartAsync(new LocalHostOptions { Port = 0, WatchExports = true, WatchInterval = TimeSpan.FromMilliseconds(100), TrainOnSchedule = false, ListenToQueue = true });
        await host.Storage.Exports.GetBlobClient("dropped.csv").UploadAsync(BinaryData.FromString("customer_id,date,amount\nalice,2026-03-01,10.00\n"), TestContext.Current.CancellationToken);

        IngestionEntity? row = null;
        for (var attempt = 0; attempt < 100 && row is null; attempt++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            row = (await host.Storage.Ingestions.QueryAsync<IngestionEntity>(cancellationToken: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken)).SingleOrDefault();
        }

        Assert.NotNull(row);
        Assert.Equal(nameof(IngestionStatus.Succeeded), row.Status);
        Assert.Equal(1, row.Accepted);
    }
}
