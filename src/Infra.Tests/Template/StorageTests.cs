using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.Template;

public sealed class StorageTests
{
    [Fact]
    public void Account_RefusesSharedKeysPlainHttpAndOldTls()
    {
        var account = CompiledTemplate.Get().Single("Microsoft.Storage/storageAccounts");

        var properties = account.Properties;

        Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
        Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.Equal("[parameters('publicNetworkAccess')]", properties.GetProperty("publicNetworkAccess").GetString());
        Assert.Contains("parameters('publicNetworkAccess')", properties.GetProperty("networkAcls").GetProperty("defaultAction").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Containers_IncludeEveryContainerOfTheDesign()
    {
        var containers = CompiledTemplate.Get().OfType("Microsoft.Storage/storageAccounts/blobServices/containers");

        var names = containers.Select(TemplateQueries.ChildName).ToHashSet(StringComparer.Ordinal);

        Assert.All(Contract.Containers, name => Assert.Contains(name, names));
    }

    [Fact]
    public void Containers_AreAllPrivate()
    {
        var containers = CompiledTemplate.Get().OfType("Microsoft.Storage/storageAccounts/blobServices/containers");

        Assert.NotEmpty(containers);
        Assert.All(containers, c => Assert.Equal("None", c.Properties.GetProperty("publicAccess").GetString()));
    }

    [Fact]
    public void Tables_AreExactlyThoseOfTheDesign()
    {
        var tables = CompiledTemplate.Get().OfType("Microsoft.Storage/storageAccounts/tableServices/tables");

        Assert.Equal(Contract.Tables.Order(StringComparer.Ordinal), tables.Select(TemplateQueries.ChildName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Queues_AreExactlyThoseOfTheDesign()
    {
        var queues = CompiledTemplate.Get().OfType("Microsoft.Storage/storageAccounts/queueServices/queues");

        Assert.Equal(Contract.Queues, queues.Select(TemplateQueries.ChildName));
    }

    [Theory]
    [InlineData("blobServices")]
    [InlineData("queueServices")]
    [InlineData("tableServices")]
    public void StorageService_SendsItsRequestLogsToLogAnalytics(string service)
    {
        var template = CompiledTemplate.Get();

        var settings = template.OfType("Microsoft.Insights/diagnosticSettings")
            .Where(d => d.Json.TryGetProperty("scope", out var scope) && scope.GetString()!.Contains($"storageAccounts/{service}'", StringComparison.Ordinal))
            .ToList();

        var setting = Assert.Single(settings);
        var logs = (IEnumerable<object?>)setting.Evaluate(setting.Properties.GetProperty("logs"))!;
        Assert.Equal("[parameters('workspaceId')]", setting.Properties.GetProperty("workspaceId").GetString());
        Assert.Contains(logs.Cast<IDictionary<string, object?>>(), l => Equals(l["categoryGroup"], "allLogs") && Equals(l["enabled"], true));
    }

    [Fact]
    public void BlobCreatedEvents_HaveASystemTopicOverTheAccount()
    {
        var topic = CompiledTemplate.Get().Single("Microsoft.EventGrid/systemTopics");

        Assert.Equal("Microsoft.Storage.StorageAccounts", topic.Properties.GetProperty("topicType").GetString());
        Assert.Contains("Microsoft.Storage/storageAccounts", topic.Properties.GetProperty("source").GetString(), StringComparison.Ordinal);
    }
}
