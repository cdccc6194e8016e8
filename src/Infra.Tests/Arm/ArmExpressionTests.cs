using System.Text.Json;

namespace Clv.Infra.Tests.Arm;

public sealed class ArmExpressionTests
{
    private const string TemplateJson = """
        {
          "parameters": {
            "enabled": { "type": "bool", "defaultValue": false },
            "name": { "type": "string", "defaultValue": "[variables('fallback')]" }
          },
          "variables": { "fallback": "it's", "roles": ["[variables('fallback')]", "b"] },
          "resources": [
            {
              "type": "Microsoft.Resources/deployments",
              "name": "inner",
              "condition": "[parameters('enabled')]",
              "properties": {
                "parameters": { "label": { "value": "[concat(parameters('name'), '!')]" } },
                "template": {
                  "parameters": { "label": { "type": "string" } },
                  "resources": { "thing": { "type": "Example/things", "name": "[parameters('label')]" } }
                }
              }
            }
          ]
        }
        """;

    private static ArmScope Root(Dictionary<string, object?>? values = null) =>
        ArmScope.Root(JsonDocument.Parse(TemplateJson).RootElement, values);

    [Fact]
    public void Evaluate_ReadsDefaultsThroughVariables()
    {
        Assert.Equal("it's", Root().Evaluate("[parameters('name')]"));
    }

    [Fact]
    public void Evaluate_EscapedQuoteInsideALiteral_IsOneQuote()
    {
        Assert.Equal("a'b", Root().Evaluate("[concat('a''', 'b')]"));
    }

    [Fact]
    public void Evaluate_EscapedBracket_IsALiteral()
    {
        Assert.Equal("[not an expression]", Root().Evaluate("[[not an expression]"));
    }

    [Fact]
    public void Evaluate_If_DoesNotEvaluateTheBranchNotTaken()
    {
        Assert.Equal("off", Root().Evaluate("[if(parameters('enabled'), reference('x').id, 'off')]"));
    }

    [Fact]
    public void Evaluate_RuntimeFunction_ThrowsNamingIt()
    {
        var error = Assert.Throws<NotSupportedException>(() => Root().Evaluate("[reference('x')]"));

        Assert.Contains("'reference'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_IndexesArraysAndReadsObjectProperties()
    {
        Assert.Equal("b", Root().Evaluate("[createObject('list', variables('roles')).list[1]]"));
    }

    [Fact]
    public void Evaluate_LogicFunctions_CombineAsArmDoes()
    {
        Assert.Equal(true, Root().Evaluate("[and(not(empty('x')), or(false(), equals('A', 'a')))]"));
    }

    [Fact]
    public void Evaluate_MalformedExpression_ThrowsWithThePosition()
    {
        var error = Assert.Throws<FormatException>(() => Root().Evaluate("[concat('a', ]"));

        Assert.Contains("position", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Template_ResourceInsideAConditionalModule_IsDeployedOnlyWhenTheConditionHolds(bool enabled, bool deployed)
    {
        var template = ArmTemplate.Parse(TemplateJson, new Dictionary<string, object?> { ["enabled"] = enabled });

        var thing = template.Single("Example/things");

        Assert.Equal(deployed, thing.IsDeployed());
        Assert.Equal("it's!", thing.Scope.Parameter("label"));
    }
}
