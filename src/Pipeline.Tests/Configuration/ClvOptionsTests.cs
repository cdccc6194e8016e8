using Clv.Pipeline.Configuration;
using Microsoft.Extensions.Configuration;

namespace Clv.Pipeline.Tests.Configuration;

public class ClvOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Load_BindsEverySectionFromClvKeys()
    {
        var options = ClvOptionsValidator.Load(Config(
            ("Clv:Storage:ConnectionString", "UseDevelopmentStorage=true"),
            ("Clv:Features:Bucket", "Month"),
            ("Clv:Features:SequenceLength", "12"),
            ("Clv:Training:Schedule", "0 30 2 * * *"),
            ("Clv:Scoring:ExecutionProvider", "cuda"),
            ("Clv:Scoring:ShardCount", "16"),
            ("Clv:Ingest:RejectedShareThreshold", "0.2")));

        Assert.Equal(Clv.Modeling.Features.BucketSize.Month, options.Model.Bucket);
        Assert.Equal(12, options.Model.SequenceLength);
        Assert.Equal("0 30 2 * * *", options.Training.Schedule);
        Assert.Equal(Clv.Modeling.Scoring.ScoringExecutionProvider.Cuda, options.Scorer.ExecutionProvider);
        Assert.Equal(16, options.Scoring.ShardCount);
        Assert.Equal(0.2, options.Ingest.RejectedShareThreshold);
    }

    [Fact]
    public void Load_BindsEveryClvSettingThatInfraDeploys_InItsDeployedFormat()
    {
        // The Clv__* app settings of infra/bicep/modules/function-app.bicep with their deployed values
        // (storage endpoints end with '/', the bucket is lowercase, the threshold is a decimal string).
        var deployed = new (string Key, string Value)[]
        {
            ("Clv__Storage__BlobServiceUri", "https://acct.blob.core.windows.net/"),
            ("Clv__Storage__QueueServiceUri", "https://acct.queue.core.windows.net/"),
            ("Clv__Storage__TableServiceUri", "https://acct.table.core.windows.net/"),
            ("Clv__Storage__ManagedIdentityClientId", "00000000-0000-0000-0000-000000000001"),
            ("Clv__Features__Bucket", "week"),
            ("Clv__Features__SequenceLength", "52"),
            ("Clv__Features__HorizonBuckets", "26"),
            ("Clv__Ingest__RejectedShareThreshold", "0.05"),
            ("Clv__Training__Schedule", "0 0 3 * * *"),
            ("Clv__Scoring__ExecutionProvider", "cuda"),
        };

        // Environment variables reach configuration with '__' read as the section separator ':'.
        var options = ClvOptionsValidator.Load(Config(deployed.Select(s => (s.Key.Replace("__", ":", StringComparison.Ordinal), s.Value)).ToArray()));

        Assert.Equal(new Uri("https://acct.table.core.windows.net/"), options.Storage.TableServiceUri);
        Assert.Equal("00000000-0000-0000-0000-000000000001", options.Storage.ManagedIdentityClientId);
        Assert.Equal(Clv.Modeling.Features.BucketSize.Week, options.Model.Bucket);
        Assert.Equal(52, options.Model.SequenceLength);
        Assert.Equal(26, options.Model.HorizonBuckets);
        Assert.Equal(0.05, options.Ingest.RejectedShareThreshold);
        Assert.Equal("0 0 3 * * *", options.Training.Schedule);
        Assert.Equal(Clv.Modeling.Scoring.ScoringExecutionProvider.Cuda, options.Scorer.ExecutionProvider);
    }

    [Theory]
    [InlineData("Clv:Scoring:ShardCount", "100", "Clv:Scoring:ShardCount")]
    [InlineData("Clv:Scoring:ExecutionProvider", "tpu", "Clv:Scoring:ExecutionProvider")]
    [InlineData("Clv:Training:Schedule", "every monday", "Clv:Training:Schedule")]
    [InlineData("Clv:Ingest:RejectedShareThreshold", "1.5", "Clv:Ingest:RejectedShareThreshold")]
    [InlineData("Clv:Features:SequenceLength", "0", "Clv:Features:SequenceLength")]
    [InlineData("Clv:Features:HorizonBuckets", "2000", "Clv:Features:HorizonBuckets")]
    [InlineData("Clv:Training:Epochs", "0", "Clv:Training:Epochs")]
    [InlineData("Clv:Training:LearningRate", "0", "Clv:Training:LearningRate")]
    [InlineData("Clv:Scoring:BatchSize", "0", "Clv:Scoring:BatchSize")]
    public void Load_RejectsABadSetting_NamingIt(string key, string value, string named)
    {
        var ex = Assert.Throws<ClvConfigurationException>(() => ClvOptionsValidator.Load(Config(("Clv:Storage:ConnectionString", "UseDevelopmentStorage=true"), (key, value))));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithoutModelSettings_HasTheWorkflowRecordsDefaults()
    {
        var options = ClvOptionsValidator.Load(Config(("Clv:Storage:ConnectionString", "UseDevelopmentStorage=true")));

        Assert.Equal(new Clv.Modeling.Workflow.ModelBuildOptions(), options.Model);
        Assert.Equal(new Clv.Modeling.Scoring.ScorerOptions(), options.Scorer);
    }

    [Fact]
    public void Load_BindsTheTrainerFromTheTrainingSection_AndTheBacktestFromTheFeaturesSection()
    {
        var options = ClvOptionsValidator.Load(Config(
            ("Clv:Storage:ConnectionString", "UseDevelopmentStorage=true"),
            ("Clv:Training:Epochs", "7"),
            ("Clv:Training:LearningRate", "0.002"),
            ("Clv:Training:HiddenSize", "16"),
            ("Clv:Training:Seed", "9"),
            ("Clv:Features:Cutoffs", "2"),
            ("Clv:Scoring:BatchSize", "128")));

        Assert.Equal(new Clv.Modeling.Lstm.TrainerOptions { Epochs = 7, LearningRate = 0.002, HiddenSize = 16, Seed = 9 }, options.Model.Trainer);
        Assert.Equal(2, options.Model.Cutoffs);
        Assert.Equal(128, options.Scorer.BatchSize);
    }

    [Fact]
    public void Load_RejectsAnUnknownExecutionProvider_WithTheScorersOwnMessage()
    {
        var ex = Assert.Throws<ClvConfigurationException>(() => ClvOptionsValidator.Load(Config(("Clv:Storage:ConnectionString", "UseDevelopmentStorage=true"), ("Clv:Scoring:ExecutionProvider", "tpu"))));
        var own = Assert.Throws<ArgumentOutOfRangeException>(() => Clv.Modeling.Scoring.ScorerOptions.ParseExecutionProvider("tpu"));

        Assert.Contains(own.Message.Split('\n')[0].Split(" (Parameter", StringSplitOptions.None)[0], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithoutConnectionStringOrServiceUris_NamesTheStorageSettings()
    {
        var ex = Assert.Throws<ClvConfigurationException>(() => ClvOptionsValidator.Load(Config()));

        Assert.Contains("Clv:Storage:ConnectionString", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AcceptsServiceUrisWithAManagedIdentity()
    {
        var options = ClvOptionsValidator.Load(Config(
            ("Clv:Storage:BlobServiceUri", "https://acct.blob.core.windows.net"),
            ("Clv:Storage:TableServiceUri", "https://acct.table.core.windows.net"),
            ("Clv:Storage:QueueServiceUri", "https://acct.queue.core.windows.net"),
            ("Clv:Storage:ManagedIdentityClientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), options.Storage.TableServiceUri);
    }
}
