using Clv.Modeling.Features;
using Clv.Modeling.Model;
using Clv.Modeling.Onnx;
using Clv.Modeling.Scoring;
using Clv.Modeling.Tests.Onnx;
using Microsoft.Extensions.Logging;
using Moq;

namespace Clv.Modeling.Tests.Scoring;

public class ClvScorerTests
{
    private static FeaturizerSignature Signature(ClvModel model) =>
        new(model.Metadata.FeatureNames, model.Metadata.Bucket, model.Metadata.SequenceLength);

    private static ClvScorer Scorer(ClvModel model, ScorerOptions? options = null, ILogger? logger = null) =>
        ClvScorer.Load(OnnxModelWriter.ToBytes(model), "model.onnx", Signature(model), options, logger);

    /// <summary>A logger mock with every level enabled, so that the scorer's log calls reach <see cref="ILogger.Log"/>.</summary>
    private static Mock<ILogger> EnabledLogger()
    {
        var logger = new Mock<ILogger>();
        logger.Setup(l => l.IsEnabled(It.IsAny<LogLevel>())).Returns(true);
        return logger;
    }

    /// <summary>A call of <see cref="ILogger.Log"/> at <paramref name="level"/> whose formatted message satisfies <paramref name="message"/>.</summary>
    private static System.Linq.Expressions.Expression<Action<ILogger>> Logged(LogLevel level, Func<string, bool> message) =>
        l => l.Log(
            level,
            It.IsAny<EventId>(),
            It.Is<It.IsAnyType>((state, _) => message(Convert.ToString(state, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)),
            It.IsAny<Exception?>(),
            It.IsAny<Func<It.IsAnyType, Exception?, string>>());

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(1024)]
    public void Score_MatchesTheReferenceAcrossBatchBoundaries(int batchSize)
    {
        var model = TestModels.Random(21);
        var sequences = TestModels.Sequences(21, TestModels.MixedLengths(21, 300));
        using var scorer = Scorer(model, new ScorerOptions { BatchSize = batchSize });

        var scores = scorer.Score(sequences);

        var (expectedClv, expectedP) = TestModels.Reference(model, sequences);
        Tolerance.AssertAgrees(expectedClv, scores.Clv, "clv");
        Tolerance.AssertAgrees(expectedP, scores.PPurchase, "p_purchase");
        Tolerance.AssertIntervalAgrees(TestModels.ReferenceWithInterval(model, sequences), scores, "scorer");
        Assert.Same(sequences.CustomerIds, scores.CustomerIds);
    }

    [Fact]
    public void Score_WritesOnlyTheFirstNDestinationValues()
    {
        var model = TestModels.Random(22);
        var sequences = TestModels.Sequences(22, [2, 5, 9]);
        using var scorer = Scorer(model);
        var clv = new float[5];
        var p = new float[5];
        clv[3] = clv[4] = p[3] = p[4] = -1;

        scorer.Score(sequences, clv, p);

        Assert.Equal([-1f, -1f], clv[3..]);
        Assert.Equal([-1f, -1f], p[3..]);
        Assert.All(clv[..3], value => Assert.True(value > 0));
    }

    [Fact]
    public void ScoreOne_MatchesBatchScoringOfTheSameCustomer()
    {
        var model = TestModels.Random(23);
        var sequences = TestModels.Sequences(23, TestModels.MixedLengths(23, 20));
        using var scorer = Scorer(model);
        var batch = scorer.Score(sequences);

        for (var i = 0; i < sequences.Count; i++)
        {
            var one = scorer.ScoreOne(sequences.Customer(i), sequences.Lengths[i]);

            Assert.True(Tolerance.Agrees(one.Clv, batch.Clv[i]), $"customer {i}: {one.Clv} vs {batch.Clv[i]}");
            Assert.True(Tolerance.Agrees(one.PPurchase, batch.PPurchase[i]), $"customer {i}: {one.PPurchase} vs {batch.PPurchase[i]}");
            Assert.True(Tolerance.Agrees(one.ClvP10, batch.ClvP10[i]) && Tolerance.Agrees(one.ClvP50, batch.ClvP50[i]) && Tolerance.Agrees(one.ClvP90, batch.ClvP90[i]), $"customer {i}: interval {one} vs batch");
        }
    }

    [Fact]
    public void ScoreOne_WithLengthZero_ThrowsNamingTheRange()
    {
        var model = TestModels.Random(24);
        using var scorer = Scorer(model);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => scorer.ScoreOne(new float[TestModels.Steps * TestModels.FeatureCount], 0));

        Assert.Contains($"1..{TestModels.Steps}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_OfSequencesWithOtherFeatures_ThrowsNamingBoth()
    {
        var model = TestModels.Random(25);
        using var scorer = Scorer(model);
        var other = TestModels.Sequences(25, [3]);
        var renamed = new SequenceSet(other.CustomerIds, other.Features, other.Lengths, other.SequenceLength, ["a", "b", "c", "d", "e"]);

        var error = Assert.Throws<ArgumentException>(() => scorer.Score(renamed));

        Assert.Contains("[a, b, c, d, e]", error.Message, StringComparison.Ordinal);
        Assert.Contains("feature_0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_OfAModelTrainedOnOtherFeatures_NamesExpectedAndFound()
    {
        using var directory = new TempDirectory();
        var model = TestModels.Random(26);
        var path = directory.File("model.onnx");
        OnnxModelWriter.Write(model, path);
        var expected = Signature(model) with { FeatureNames = ["feature_0", "feature_1", "feature_2", "feature_3", "recency"] };

        var error = Assert.Throws<ModelMismatchException>(() => ClvScorer.Open(path, expected));

        Assert.Equal(
            $"Model file '{path}' does not match the featurizer: feature names: expected [feature_0, feature_1, feature_2, feature_3, recency], " +
            "model has [feature_0, feature_1, feature_2, feature_3, feature_4].",
            error.Message);
    }

    [Fact]
    public void Open_OfAModelWithOtherBucketAndLength_ListsBothDifferences()
    {
        var model = TestModels.Random(27);
        var expected = Signature(model) with { Bucket = BucketSize.Month, SequenceLength = 24 };

        var error = Assert.Throws<ModelMismatchException>(() => ClvScorer.Load(OnnxModelWriter.ToBytes(model), "m.onnx", expected));

        Assert.Equal(["bucket: expected month, model has week", $"sequence length T: expected 24, model has {TestModels.Steps}"], error.Differences);
    }

    [Fact]
    public void Open_OfATruncatedFile_ThrowsInvalidDataNamingTheFile()
    {
        using var directory = new TempDirectory();
        var model = TestModels.Random(28);
        var bytes = OnnxModelWriter.ToBytes(model);
        var path = directory.File("model.onnx");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);

        var error = Assert.Throws<InvalidDataException>(() => ClvScorer.Open(path, Signature(model)));

        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OfAModelOnnxRuntimeCannotRun_ThrowsInvalidDataNamingTheFile()
    {
        var model = TestModels.Random(34);
        var proto = OnnxModelWriter.BuildModel(model);
        proto.Graph.Node.Single(n => n.Name == "mean_spend").OpType = "Expo";
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(proto);

        var error = Assert.Throws<InvalidDataException>(() => ClvScorer.Load(bytes, "odd.onnx", Signature(model)));

        Assert.StartsWith("Model file 'odd.onnx' could not be loaded by ONNX Runtime:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Expo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WithCudaOnAMachineWithoutIt_FallsBackToCpuWithOneWarning()
    {
        var model = TestModels.Random(29);
        var logger = EnabledLogger();

        using var scorer = Scorer(model, new ScorerOptions { ExecutionProvider = ScoringExecutionProvider.Cuda }, logger.Object);

        if (scorer.ExecutionProvider == ScoringExecutionProvider.Cuda)
        {
            Assert.Skip("CUDA is available on this machine, so there is no fallback to observe.");
        }

        logger.Verify(Logged(LogLevel.Warning, message => message.Contains("CUDA", StringComparison.Ordinal) && message.Contains("CPU", StringComparison.Ordinal)), Times.Once);
        logger.Verify(Logged(LogLevel.Warning, _ => true), Times.Once);
        var sequences = TestModels.Sequences(29, [4]);
        Tolerance.AssertAgrees(TestModels.Reference(model, sequences).Clv, scorer.Score(sequences).Clv, "clv");
    }

    [Fact]
    public void Open_WithCpu_LogsNoWarning()
    {
        var logger = EnabledLogger();

        using var scorer = Scorer(TestModels.Random(30), logger: logger.Object);

        Assert.Equal(ScoringExecutionProvider.Cpu, scorer.ExecutionProvider);
        logger.Verify(Logged(LogLevel.Warning, _ => true), Times.Never);
        logger.Verify(Logged(LogLevel.Error, _ => true), Times.Never);
    }

    [Fact]
    public void Load_WithBatchSizeZero_ThrowsNamingTheSetting()
    {
        var model = TestModels.Random(31);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Scorer(model, new ScorerOptions { BatchSize = 0 }));

        Assert.Equal("BatchSize", error.ParamName);
    }

    [Fact]
    public void Score_FromManyThreadsAtOnce_GivesTheSerialResults()
    {
        var model = TestModels.Random(32);
        var sequences = TestModels.Sequences(32, TestModels.MixedLengths(32, 257));
        using var scorer = Scorer(model, new ScorerOptions { BatchSize = 16 });
        var serial = scorer.Score(sequences);
        var serialOne = Enumerable.Range(0, sequences.Count).Select(i => scorer.ScoreOne(sequences.Customer(i), sequences.Lengths[i])).ToArray();

        var batchResults = new ClvPredictionBatch[16];
        var oneResults = new ClvPrediction[16][];
        using var start = new Barrier(32);
        var threads = Enumerable.Range(0, 32).Select(k => new Thread(() =>
        {
            start.SignalAndWait();
            if (k % 2 == 0)
            {
                batchResults[k / 2] = scorer.Score(sequences);
            }
            else
            {
                oneResults[k / 2] = Enumerable.Range(0, sequences.Count).Select(i => scorer.ScoreOne(sequences.Customer(i), sequences.Lengths[i])).ToArray();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(batchResults, r => Assert.Equal(serial.Clv, r.Clv));
        Assert.All(batchResults, r => Assert.Equal(serial.PPurchase, r.PPurchase));
        Assert.All(oneResults, r => Assert.Equal(serialOne, r));
    }

    [Fact]
    public void Score_AfterDispose_ThrowsObjectDisposed()
    {
        var model = TestModels.Random(33);
        var scorer = Scorer(model);
        scorer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => scorer.Score(TestModels.Sequences(33, [1])));
    }
}
