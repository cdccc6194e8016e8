using Clv.Infra.Tests.Arm;
using Clv.Infra.Tests.Bicep;

namespace Clv.Infra.Tests.Template;

public sealed class AlertTests
{
    private const string ActionGroupId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops/providers/microsoft.insights/actionGroups/on-call";

    private static ArmResource LogAlert(ArmTemplate template, string suffix) =>
        template.OfType("Microsoft.Insights/scheduledQueryRules").Single(r => r.Name.Contains($"-{suffix}'", StringComparison.Ordinal));

    private static string QueryVariable(ArmResource rule)
    {
        var criterion = rule.Properties.GetProperty("criteria").GetProperty("allOf").EnumerateArray().Single();
        var query = criterion.GetProperty("query").GetString()!;
        var name = TemplateQueries.Literals(query).First();
        return (string)rule.Scope.Variable(name)!;
    }

    [Fact]
    public void Alerts_CoverPoisonMessagesFailuresTrainingRealizedAccuracyAndThrottling()
    {
        var template = CompiledTemplate.Get();

        var logAlerts = template.OfType("Microsoft.Insights/scheduledQueryRules").Select(r => TemplateQueries.Literals(r.Name)[0]);
        var metricAlerts = template.OfType("Microsoft.Insights/metricAlerts").Select(r => TemplateQueries.Literals(r.Name)[0]);

        Assert.Equal(["{0}-function-failures", "{0}-poison-messages", "{0}-realized-accuracy", "{0}-training-overdue"], logAlerts.Order(StringComparer.Ordinal));
        Assert.Equal(["{0}-events-dead-lettered", "{0}-table-throttling"], metricAlerts.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PoisonAlert_FiresOnAnyMessagePutIntoAPoisonQueue()
    {
        var template = CompiledTemplate.Get();
        var rule = LogAlert(template, "poison-messages");

        var query = QueryVariable(rule);
        var criterion = rule.Properties.GetProperty("criteria").GetProperty("allOf")[0];
        var poisonNames = rule.Scope.Template.GetProperty("variables").GetProperty("poisonQueueNames").GetString()!;
        var watched = template.Module("alerts").Properties.GetProperty("parameters").GetProperty("watchedQueueNames").GetProperty("value")[0].GetString()!;

        Assert.Contains("StorageQueueLogs", query, StringComparison.Ordinal);
        Assert.Contains("OperationName == 'PutMessage'", query, StringComparison.Ordinal);
        Assert.Contains("-poison", poisonNames, StringComparison.Ordinal);
        Assert.Contains("webjobs-blobtrigger-poison", poisonNames, StringComparison.Ordinal);
        Assert.Contains("outputs.scoreQueueName.value", watched, StringComparison.Ordinal);
        Assert.Equal("GreaterThan", criterion.GetProperty("operator").GetString());
        Assert.Equal(0, criterion.GetProperty("threshold").GetInt32());
        Assert.Equal("[parameters('workspaceId')]", rule.Properties.GetProperty("scopes")[0].GetString());
    }

    [Fact]
    public void FailureAlert_JudgesTheShareOfFailedFunctionRequests()
    {
        var rule = LogAlert(CompiledTemplate.Get(), "function-failures");

        var query = QueryVariable(rule);

        Assert.StartsWith("requests", query.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("countif(success == false)", query, StringComparison.Ordinal);
        Assert.Contains("FailurePercent > {2}", query, StringComparison.Ordinal);
        Assert.Equal("[parameters('appInsightsId')]", rule.Properties.GetProperty("scopes")[0].GetString());
        Assert.Equal(10L, rule.Scope.Parameter("functionFailurePercent"));
    }

    [Fact]
    public void TrainingAlert_FiresWhenNoSuccessfulRunIsRecordedInItsWindow()
    {
        var rule = LogAlert(CompiledTemplate.Get(), "training-overdue");

        var query = QueryVariable(rule);
        var criterion = rule.Properties.GetProperty("criteria").GetProperty("allOf")[0];

        Assert.Contains("name == 'clv.train.runs'", query, StringComparison.Ordinal);
        Assert.Contains("customDimensions['clv.status']) != 'failed'", query, StringComparison.Ordinal);
        Assert.Equal("LessThan", criterion.GetProperty("operator").GetString());
        Assert.Equal(1, criterion.GetProperty("threshold").GetInt32());
        Assert.Equal("P2D", rule.Evaluate(rule.Properties.GetProperty("windowSize")));
    }

    [Fact]
    public void RealizedAccuracyAlert_FiresWhenTheRealizedGiniFallsBelowItsThresholdParameter()
    {
        var template = CompiledTemplate.Get();
        var rule = LogAlert(template, "realized-accuracy");

        var query = QueryVariable(rule);
        var criterion = rule.Properties.GetProperty("criteria").GetProperty("allOf")[0];

        Assert.Contains("name == 'clv.model.realized_gini'", query, StringComparison.Ordinal);
        Assert.Contains("RealizedGiniPercent = 100.0 * sum(valueSum) / sum(valueCount)", query, StringComparison.Ordinal);
        Assert.Equal("RealizedGiniPercent", criterion.GetProperty("metricMeasureColumn").GetString());
        Assert.Equal("LessThan", criterion.GetProperty("operator").GetString());
        Assert.Equal(40L, rule.Evaluate(criterion.GetProperty("threshold")));
        Assert.Equal("[parameters('appInsightsId')]", rule.Properties.GetProperty("scopes")[0].GetString());

        var lowered = ArmTemplate.Parse(template.Text, new Dictionary<string, object?> { ["realizedGiniThresholdPercent"] = 25L });
        var loweredRule = LogAlert(lowered, "realized-accuracy");
        Assert.Equal(25L, loweredRule.Evaluate(loweredRule.Properties.GetProperty("criteria").GetProperty("allOf")[0].GetProperty("threshold")));
    }

    [Fact]
    public void ThrottlingAlert_CountsThrottledTableTransactions()
    {
        var rule = MetricAlert(CompiledTemplate.Get(), "{0}-table-throttling");

        var criterion = rule.Properties.GetProperty("criteria").GetProperty("allOf")[0];
        var dimension = criterion.GetProperty("dimensions")[0];
        var responseTypes = dimension.GetProperty("values").EnumerateArray().Select(v => v.GetString()).ToList();

        Assert.Equal("Microsoft.Storage/storageAccounts/tableServices", criterion.GetProperty("metricNamespace").GetString());
        Assert.Equal("Transactions", criterion.GetProperty("metricName").GetString());
        Assert.Equal("ResponseType", dimension.GetProperty("name").GetString());
        Assert.Contains("ClientThrottlingError", responseTypes);
        Assert.Contains("ServerBusyError", responseTypes);
        Assert.Contains("tableServices", rule.Properties.GetProperty("scopes")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Alerts_NotifyTheActionGroupWhenOneIsGiven()
    {
        var template = ArmTemplate.Parse(CompiledTemplate.Get().Text, new Dictionary<string, object?> { ["actionGroupId"] = ActionGroupId });

        foreach (var rule in template.OfType("Microsoft.Insights/scheduledQueryRules"))
        {
            var actions = (IDictionary<string, object?>)rule.Evaluate(rule.Properties.GetProperty("actions"))!;
            Assert.Equal(new object?[] { ActionGroupId }, (IEnumerable<object?>)actions["actionGroups"]!);
        }

        foreach (var metricAlert in template.OfType("Microsoft.Insights/metricAlerts"))
        {
            var metricActions = (IEnumerable<object?>)metricAlert.Evaluate(metricAlert.Properties.GetProperty("actions"))!;
            Assert.Equal(ActionGroupId, ((IDictionary<string, object?>)Assert.Single(metricActions)!)["actionGroupId"]);
        }
    }

    [Fact]
    public void Alerts_HaveNoActionsWithoutAnActionGroup()
    {
        var template = CompiledTemplate.Get();

        Assert.All(template.OfType("Microsoft.Insights/scheduledQueryRules"), rule =>
            Assert.Empty((IDictionary<string, object?>)rule.Evaluate(rule.Properties.GetProperty("actions"))!));
        Assert.All(template.OfType("Microsoft.Insights/metricAlerts"), metricAlert =>
            Assert.Empty((IEnumerable<object?>)metricAlert.Evaluate(metricAlert.Properties.GetProperty("actions"))!));
    }

    [Fact]
    public void DeadLetterAlert_FiresOnAnyEventGridEventDeadLettered()
    {
        var rule = MetricAlert(CompiledTemplate.Get(), "{0}-events-dead-lettered");

        var criterion = rule.Properties.GetProperty("criteria").GetProperty("allOf")[0];

        Assert.Equal("Microsoft.EventGrid/systemTopics", criterion.GetProperty("metricNamespace").GetString());
        Assert.Equal("DeadLetteredCount", criterion.GetProperty("metricName").GetString());
        Assert.Equal(0, criterion.GetProperty("threshold").GetInt32());
        Assert.Equal("GreaterThan", criterion.GetProperty("operator").GetString());
    }

    private static ArmResource MetricAlert(ArmTemplate template, string name) =>
        Assert.Single(template.OfType("Microsoft.Insights/metricAlerts"), r => TemplateQueries.Literals(r.Name)[0] == name);
}
