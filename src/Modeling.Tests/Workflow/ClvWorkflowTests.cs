using System.Runtime.CompilerServices;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Lstm;
using Clv.Modeling.Scoring;
using Clv.Modeling.Workflow;

namespace Clv.Modeling.Tests.Workflow;

public class ClvWorkflowTests
{
    private static PartialAggregates Partial(params (string Customer, int Day, double Amount)[] rows) =>
        PartialAggregates.FromTransactions(rows.Select(r => new Transaction(r.Customer, new DateTime(2026, 1, 1).AddDays(r.Day), r.Amount)), BucketSize.Day);

    [Fact]
    public async Task LoadPartials_MergesEveryFileOfTheSource_CellByCell()
    {
        var source = new ListSource(Partial(("a", 0, 10), ("b", 1, 5)), Partial(("a", 0, 2), ("c", 3, 1)));

        var merged = await ClvWorkflow.LoadPartialsAsync(source, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b", "c"], merged.CustomerIds);
        Assert.Equal([12.0, 5.0, 1.0], merged.NetSpend);
    }

    [Fact]
    public async Task LoadPartials_KeepsOnlyTheCustomersTheFilterAccepts()
    {
        var source = new ListSource(Partial(("a", 0, 10), ("b", 1, 5)), Partial(("a", 0, 2), ("c", 3, 1)));

        var merged = await ClvWorkflow.LoadPartialsAsync(source, id => id != "a", TestContext.Current.CancellationToken);

        Assert.Equal(["b", "c"], merged.CustomerIds);
    }

    [Fact]
    public async Task LoadPartials_FromAnEmptySource_GivesEmptyDayPartials()
    {
        var merged = await ClvWorkflow.LoadPartialsAsync(new ListSource(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, merged.Count);
        Assert.Equal(BucketSize.Day, merged.Bucket);
    }

    [Theory]
    [InlineData("cpu", ScoringExecutionProvider.Cpu)]
    [InlineData("CUDA", ScoringExecutionProvider.Cuda)]
    [InlineData(" Cuda ", ScoringExecutionProvider.Cuda)]
    public void ParseExecutionProvider_ReadsCpuAndCudaInAnyCase(string text, ScoringExecutionProvider expected) =>
        Assert.Equal(expected, ScorerOptions.ParseExecutionProvider(text));

    [Theory]
    [InlineData("tpu")]
    [InlineData("1")]
    [InlineData("")]
    public void ParseExecutionProvider_ThrowsForAnyOtherValue_NamingIt(string text)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ScorerOptions.ParseExecutionProvider(text));

        Assert.Equal(nameof(ScorerOptions.ExecutionProvider), error.ParamName);
        Assert.Contains($"was '{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreOneSetForTheToolAndTheHosts()
    {
        var trainer = new TrainerOptions();
        Assert.Equal(30, trainer.Epochs);
        Assert.Equal(3e-3, trainer.LearningRate);
        Assert.Equal(64, new ScorerOptions().BatchSize);
        Assert.Equal(trainer, new ModelBuildOptions().Trainer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ModelBuildOptions.MaxSteps + 1)]
    public void Validate_ThrowsForASequenceLengthOutOfRange_NamingIt(int steps)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelBuildOptions { SequenceLength = steps }.Validate());

        Assert.Equal(nameof(ModelBuildOptions.SequenceLength), error.ParamName);
    }

    private sealed class ListSource(params PartialAggregates[] partials) : IPartialsSource
    {
        public async IAsyncEnumerable<PartialAggregates> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var partial in partials)
            {
                await Task.Yield();
                yield return partial;
            }
        }
    }
}
