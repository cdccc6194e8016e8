using Clv.Modeling.Evaluation;
using Clv.Modeling.Loss;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Tests.Model;
using Moq;

namespace Clv.Modeling.Tests.Lstm;

public class LstmTrainerTests
{
    private const float PredictRelativeTolerance = 1e-5f;

    private static readonly TrainerOptions SmallOptions = new()
    {
        HiddenSize = 16,
        Epochs = 25,
        BatchSize = 128,
        LearningRate = 1e-2,
        Patience = 5,
        ThreadCount = 1,
        Seed = 5,
    };

    [Theory]
    [InlineData(LossKind.Ziln)]
    [InlineData(LossKind.Mse)]
    public void Train_OnPlantedSignal_BeatsNaiveBaselineOnRmseAndGini(LossKind loss)
    {
        var train = PlantedSignalData.Generate(3000, seed: 1);
        var test = PlantedSignalData.Generate(1500, seed: 2);

        var result = Train(SmallOptions with { Loss = loss }, train);
        var predicted = result.Model.Predict(test.Inputs).Clv;
        var naive = PlantedSignalData.NaiveBaseline(test.Inputs);

        double[] labels = [.. test.Labels.Select(v => (double)v)];
        double[] model = [.. predicted.Select(v => (double)v)];
        double[] baseline = [.. naive.Select(v => (double)v)];
        var modelRmse = ClvMetrics.RootMeanSquaredError(labels, model).Value;
        var naiveRmse = ClvMetrics.RootMeanSquaredError(labels, baseline).Value;
        var modelGini = ClvMetrics.NormalizedGini(labels, model).Value;
        var naiveGini = ClvMetrics.NormalizedGini(labels, baseline).Value;
        Assert.True(modelRmse < naiveRmse, $"RMSE: model {modelRmse:F3}, naive {naiveRmse:F3}");
        Assert.True(modelGini > naiveGini, $"Gini: model {modelGini:F4}, naive {naiveGini:F4}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Train_TwiceWithTheSameSeedAndThreads_GivesIdenticalWeights(int threads)
    {
        var data = PlantedSignalData.Generate(600, seed: 3);
        var options = SmallOptions with { Epochs = 3, ThreadCount = threads, BatchSize = 64 };

        var first = Train(options, data);
        var second = Train(options, data);

        Assert.Equal(first.Model.Weights.Buffer, second.Model.Weights.Buffer);
        Assert.Equal(first.Model.Normalizer.Mean, second.Model.Normalizer.Mean);
    }

    [Fact]
    public void Train_IgnoresWhatLiesPastEachSequencesLength()
    {
        // Minibatches are normalised as they are filled, in reused buffers: a long sequence's steps must not leak
        // into a shorter one that follows it, and values past a length must never reach the model.
        var data = PlantedSignalData.Generate(500, seed: 9);
        var inputs = data.Inputs;
        var noisy = (float[])inputs.Features.Clone();
        var random = new Random(1);
        var rowSize = inputs.SequenceLength * inputs.FeatureCount;
        for (var n = 0; n < inputs.Count; n++)
        {
            for (var i = inputs.Lengths[n] * inputs.FeatureCount; i < rowSize; i++)
            {
                noisy[(n * rowSize) + i] = (float)(random.NextDouble() * 100);
            }
        }

        var withNoise = data with { Inputs = new Clv.Modeling.Features.SequenceSet(inputs.CustomerIds, noisy, inputs.Lengths, inputs.SequenceLength, inputs.FeatureNames) };
        var options = SmallOptions with { Epochs = 2, BatchSize = 32 };

        var clean = Train(options, data);
        var padded = Train(options, withNoise);

        Assert.Equal(clean.Model.Weights.Buffer, padded.Model.Weights.Buffer);
        Assert.Equal(clean.History.Select(e => e.ValidationLoss), padded.History.Select(e => e.ValidationLoss));
    }

    [Fact]
    public void Train_WithAnotherSeed_GivesDifferentWeights()
    {
        var data = PlantedSignalData.Generate(600, seed: 3);
        var options = SmallOptions with { Epochs = 2 };

        var first = Train(options, data);
        var second = Train(options with { Seed = 6 }, data);

        Assert.NotEqual(first.Model.Weights.Buffer, second.Model.Weights.Buffer);
    }

    [Fact]
    public void Train_ReportsEveryEpochInOrder()
    {
        var data = PlantedSignalData.Generate(400, seed: 4);
        var reports = new List<TrainingEpoch>();
        var progress = new Mock<IProgress<TrainingEpoch>>();
        progress.Setup(p => p.Report(It.IsAny<TrainingEpoch>())).Callback<TrainingEpoch>(reports.Add);

        var result = new LstmTrainer(SmallOptions with { Epochs = 4, Patience = 10 }).Train(data, PlantedSignalData.Metadata(), progress.Object, TestContext.Current.CancellationToken);

        Assert.Equal([1, 2, 3, 4], reports.Select(r => r.Epoch));
        Assert.Equal(result.History, reports);
        Assert.All(reports, r => Assert.True(r.SamplesPerSecond > 0 && double.IsFinite(r.TrainingLoss) && double.IsFinite(r.ValidationLoss)));
    }

    [Fact]
    public void Train_StopsEarlyAndKeepsTheBestEpochsWeights()
    {
        // Few rows, a high constant rate and many epochs: validation loss turns up and training stops.
        var data = PlantedSignalData.Generate(200, seed: 8);
        var options = SmallOptions with { Epochs = 200, Patience = 3, LearningRate = 3e-2, LearningRateSchedule = LearningRateSchedule.Constant, ValidationFraction = 0.3, WeightDecay = 0 };

        var stopped = Train(options, data);
        var rerun = Train(options with { Epochs = stopped.BestEpoch }, data);

        Assert.True(stopped.StoppedEarly);
        Assert.Equal(stopped.BestEpoch + options.Patience, stopped.History.Count);
        Assert.Equal(stopped.History.MinBy(e => e.ValidationLoss)!.Epoch, stopped.BestEpoch);
        Assert.Equal(rerun.Model.Weights.Buffer, stopped.Model.Weights.Buffer);
    }

    [Fact]
    public void Predict_MatchesPredictReference()
    {
        var data = PlantedSignalData.Generate(500, seed: 9);
        var model = Train(SmallOptions with { Epochs = 2 }, data).Model;
        var count = data.Count;
        var referenceClv = new float[count];
        var referenceP = new float[count];
        model.PredictReference(data.Inputs.Features, data.Inputs.Lengths, referenceClv, referenceP);

        var fast = model.Predict(data.Inputs, threadCount: 2);

        for (var n = 0; n < count; n++)
        {
            Assert.Equal(referenceClv[n], fast.Clv[n], PredictRelativeTolerance * Math.Max(1, referenceClv[n]));
            Assert.Equal(referenceP[n], fast.PPurchase[n], PredictRelativeTolerance);
        }
    }

    [Fact]
    public void Train_FitsNormalizerOnValidStepsOnly()
    {
        var data = PlantedSignalData.Generate(300, seed: 10);
        Array.Fill(data.Inputs.Features, 0f);
        for (var n = 0; n < data.Count; n++)
        {
            for (var t = 0; t < data.Inputs.Lengths[n]; t++)
            {
                data.Inputs.Features[((n * PlantedSignalData.Steps) + t) * 2] = 5f;
                data.Inputs.Features[(((n * PlantedSignalData.Steps) + t) * 2) + 1] = t % 2 == 0 ? 1f : 3f;
            }
        }

        var normalizer = Train(SmallOptions with { Epochs = 1 }, data).Model.Normalizer;

        Assert.Equal(5f, normalizer.Mean[0]);
        Assert.Equal(1f, normalizer.Scale[0]);
        Assert.InRange(normalizer.Mean[1], 1f, 3f);
    }

    [Fact]
    public void Train_WithNegativeLabel_ThrowsNamingTheCustomer()
    {
        var data = PlantedSignalData.Generate(50, seed: 11);
        data.Labels[7] = -1;

        var error = Assert.Throws<ArgumentException>(() => Train(SmallOptions, data));

        Assert.Contains("'c7'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_WhenCancelled_StopsWithOperationCanceled()
    {
        var data = PlantedSignalData.Generate(200, seed: 12);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new LstmTrainer(SmallOptions).Train(data, PlantedSignalData.Metadata(), progress: null, cancellation.Token));
    }

    [Fact]
    public void Options_WithZeroBatchSize_AreRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LstmTrainer(SmallOptions with { BatchSize = 0 }));

        Assert.Equal(nameof(TrainerOptions.BatchSize), error.ParamName);
    }

    [Fact]
    public void CosineSchedule_StartsAtTheBaseRateAndEndsAtTheFloor()
    {
        var trainer = new LstmTrainer(SmallOptions with { Epochs = 11, LearningRate = 0.01, MinLearningRateFraction = 0.1 });

        Assert.Equal(0.01, trainer.LearningRateAt(1), 12);
        Assert.Equal(0.001, trainer.LearningRateAt(11), 12);
        Assert.Equal(0.0055, trainer.LearningRateAt(6), 12);
    }

    private static TrainingResult Train(TrainerOptions options, Clv.Modeling.Features.TrainingExamples data) =>
        new LstmTrainer(options).Train(data, PlantedSignalData.Metadata(), progress: null, TestContext.Current.CancellationToken);
}
