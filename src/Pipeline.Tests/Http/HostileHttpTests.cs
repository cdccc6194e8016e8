using System.Net;
using System.Text;
using System.Text.Json;
using Clv.Pipeline.Lookup;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;
using Clv.Pipeline.Tests.Jobs;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clv.Pipeline.Tests.Http;

/// <summary>Requests and storage answers that used to end as a bare 500 or a misleading 503.</summary>
public class HostileHttpTests
{
    private const string ProblemJson = "application/problem+json";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StorageRefusingTheApp_IsA500ProblemWithACorrelationId_NotA503()
    {
        var options = PipelineHarness.OptionsFor(PipelineHarness.NewPrefix());
        var key = Convert.ToBase64String(Enumerable.Repeat((byte)7, 64).ToArray());
        var wrongKey = System.Text.RegularExpressions.Regex.Replace(options.Storage.ConnectionString!, "AccountKey=[^;]+", "AccountKey=" + key);
        options = options with { Storage = options.Storage with { ConnectionString = wrongKey, MaxRetries = 0 } };
        var storage = new ClvStorage(options.Storage);
        var cache = new ScorerCache(storage, new TestScorerFactory());
        var api = new ClvHttpApi(storage, new ChampionProvider(storage, cache, options, NullLogger<ChampionProvider>.Instance), new TestSequenceSource(), options, NullLogger<ClvHttpApi>.Instance);

        var result = await api.GetCustomerAsync("c1", Token);

        Assert.Equal(500, result.Status);
        Assert.StartsWith(ProblemJson, result.ContentType, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(result.Body);
        Assert.Equal("Storage access denied", body.RootElement.GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("correlationId").GetString()));
        Assert.DoesNotContain("Authorization", Encoding.UTF8.GetString(result.Body), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnUnexpectedFailure_IsA500ProblemWithACorrelationIdAndNoInternals()
    {
        await using var host = await LocalHostFixture.StartAsync();
        await host.Storage.Models.GetBlobClient(ModelStore.CurrentBlob).UploadAsync(BinaryData.FromString("{ not json"), Token);

        var response = await host.Client.GetAsync("/api/health", Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync(Token);
        using var body = JsonDocument.Parse(text);
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("correlationId").GetString()));
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(257, "is longer than 256 UTF-8 bytes")]
    [InlineData(129, "is longer than 256 UTF-8 bytes")]
    public async Task GetCustomer_IdOverTheByteLimit_Is400NamingTheField(int length, string expected)
    {
        await using var host = await LocalHostFixture.StartAsync();
        var id = length == 129 ? new string('é', length) : new string('x', length);

        var response = await host.Client.GetAsync($"/api/customers/{Uri.EscapeDataString(id)}/clv", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal("customerId", body.RootElement.GetProperty("field").GetString());
        Assert.Contains(expected, body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCustomer_IdWithAControlCharacter_Is400()
    {
        await using var host = await LocalHostFixture.StartAsync();

        var response = await host.Client.GetAsync("/api/customers/a%01b/clv", Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("control characters", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"transactions\":[{\"timestamp\":\"2026-01-05\",\"amount\":1e300}]}", "transactions[0].amount")]
    [InlineData("{\"transactions\":[{\"timestamp\":\"2026-01-05\",\"amount\":1,\"quantity\":-1e12}]}", "transactions[0].quantity")]
    [InlineData("{\"transactions\":[{\"timestamp\":\"1969-12-31\",\"amount\":1}]}", "transactions[0].timestamp")]
    [InlineData("{\"customerId\":\"a\\u0007b\",\"transactions\":[{\"timestamp\":\"2026-01-05\",\"amount\":1}]}", "customerId")]
    public async Task Score_HostileValues_Are400NamingTheField(string body, string field)
    {
        await using var host = await LocalHostFixture.StartAsync();

        var response = await host.Client.PostAsync("/api/score", new StringContent(body, Encoding.UTF8, "application/json"), Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token));
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
    }
}
