using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Onnx;
using Clv.Modeling.Synthetic;
using Clv.Modeling.Workflow;

namespace Clv.Modeling.Tests.Onnx;

public class OnnxTrainedModelParityTests
{
    [Fact]
    public void TrainedModel_OnnxRuntimeAgreesWithTheTrainersForwardPasses_ForLengthOneFullAndMixed()
    {
        using var export = new MemoryStream();
        SyntheticExportGenerator.Write(export, new SyntheticExportOptions { Mode = SyntheticMode.BgNbd, Customers = 400, Seed = 21, Weeks = 60 }, TestContext.Current.CancellationToken);
        export.Position = 0;
        var partials = ExportFeaturizer.Featurize(export, "synthetic.csv", ExportReaderOptions.Default, BucketSize.Day, null, TestContext.Current.CancellationToken).Partials;
        var weekly = partials.Rebucket(BucketSize.Week);
        var asOf = ModelBuilder.LastDay(partials);
        var examples = TrainingExampleBuilder.Build(weekly, asOf, horizonBuckets: 8, sequenceLength: 20);
        var metadata = new ModelMetadata("trained", SequenceBuilder.FeatureNames, BucketSize.Week, 20, 8, asOf);
        var model = new LstmTrainer(new TrainerOptions { HiddenSize = 16, Epochs = 4, ThreadCount = 1 }).Train(examples, metadata, cancellationToken: TestContext.Current.CancellationToken).Model;
        // The customers' real histories, plus random inputs of lengths 1, T and mixed through the trained weights.
        var real = new SequenceBuilder(BucketSize.Week, 20).Build(weekly, asOf);
        int[] lengths = [1, 20, .. TestModels.MixedLengths(21, 30, steps: 20)];
        var random = TestModels.Sequences(21, lengths, steps: 20, featureCount: SequenceBuilder.FeatureCount);
        var sequences = new SequenceSet(
            [.. real.CustomerIds, .. random.CustomerIds.Select(id => "random-" + id)],
            [.. real.Features, .. random.Features],
            [.. real.Lengths, .. random.Lengths],
            20,
            SequenceBuilder.FeatureNames);

        var (expectedClv, expectedP) = TestModels.Reference(model, sequences);
        var fast = model.Predict(sequences);
        var (clv, p) = OnnxRuntimeRunner.Run(OnnxModelWriter.ToBytes(model), sequences);

        Tolerance.AssertAgrees(expectedClv, clv, "clv");
        Tolerance.AssertAgrees(expectedP, p, "p_purchase");
        Tolerance.AssertAgrees(fast.Clv, clv, "clv (fast forward)");
        Tolerance.AssertAgrees(fast.PPurchase, p, "p_purchase (fast forward)");
        var all = OnnxRuntimeRunner.RunAll(OnnxModelWriter.ToBytes(model), sequences);
        Tolerance.AssertIntervalAgrees(TestModels.ReferenceWithInterval(model, sequences), all, "reference");
        Tolerance.AssertIntervalAgrees(fast, all, "fast forward");
    }
}
