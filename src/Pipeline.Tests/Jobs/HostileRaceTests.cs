using Azure.Core;
using Azure.Core.Pipeline;
using Clv.Modeling.Evaluation;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Tests.Doubles;
using Clv.Pipeline.Train;
using Microsoft.Extensions.Logging.Abstractions;

namespace Clv.Pipeline.Tests.Jobs;

/// <summary>Promotion races and runs killed part-way, against Azurite.</summary>
public class HostileRaceTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task APromotionRacingAnother_LeavesTheOtherChampion_AndStaysACandidate()
    {
        var harness = await PipelineHarness.CreateAsync();
        var (csv, _) = PipelineHarness.Export(1, 0, 40);
        await harness.UploadAsync("orders.csv", csv);
        await harness.Featurize.RunAsync("orders.csv", Token);
        var other = new ChampionPointer("20261130T000000Z-0the", new DateOnly(2026, 10, 1), DateTimeOffset.UtcNow);
        var racing = new RacingTrainer(new TestTrainer(), () => new ModelStore(harness.Storage).WriteCurrentAsync(other, Token));
        var train = new TrainJob(harness.Storage, racing, harness.FanOut, new TestSequenceSource(), harness.Options, NullLogger<TrainJob>.Instance);

        var outcome = await train.RunAsync(Token);

        Assert.False(outcome.Promoted);
        Assert.Contains("changed after this model was compared", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(other.Version, (await new ModelStore(harness.Storage).ReadCurrentAsync(Token))!.Version);
        var run = Assert.Single(await harness.Storage.Runs.QueryAsync<RunEntity>(r => r.PartitionKey == RunEntity.TrainKind, cancellationToken: Token).ToListAsync(Token));
        Assert.False(run.Promoted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFeaturizeRunKilledAtAnyOfItsStorageCalls_AndRunAgain_EndsAsAnUninterruptedRun(bool afterTheCallLanded)
    {
        var (csv, rows) = PipelineHarness.Export(2, 0, 60);
        var text = csv + "c-bad,2026-02-30,1\n";

        // The uninterrupted run, counting its storage calls.
        var counter = new KillPolicy(int.MaxValue, afterTheCallLanded);
        var reference = await PipelineHarness.CreateAsync(configureClient: o => o.AddPolicy(counter, HttpPipelinePosition.PerCall), modeling: true);
        await reference.UploadAsync("orders.csv", text);
        counter.Arm();
        Assert.Equal(IngestionStatus.Succeeded, (await reference.Featurize.RunAsync("orders.csv", Token)).Status);
        var calls = counter.Calls;
        var expected = await StateAsync(reference);

        for (var killAt = 1; killAt <= calls; killAt++)
        {
            var kill = new KillPolicy(killAt, afterTheCallLanded);
            var harness = await PipelineHarness.CreateAsync(configureClient: o => o.AddPolicy(kill, HttpPipelinePosition.PerCall), modeling: true);
            await harness.UploadAsync("orders.csv", text);
            kill.Arm();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Featurize.RunAsync("orders.csv", Token));
            kill.Disarm();

            var rerun = await harness.Featurize.RunAsync("orders.csv", Token);

            Assert.True(rerun.Status is IngestionStatus.Succeeded or IngestionStatus.Skipped, $"killed at call {killAt}: {rerun.Status} {rerun.Error}");
            Assert.Equal(expected, await StateAsync(harness));
        }

        Assert.True(calls >= 5, $"only {calls} storage calls");
        Assert.Equal(rows, (await reference.IngestionsAsync()).Single().Accepted);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FanOutAndShardRunsKilledAtAnyStorageCall_AndRunAgain_WriteEveryPredictionOnce(bool afterTheCallLanded)
    {
        var asOf = new DateOnly(2026, 10, 31);
        const string Version = "20261031T000000Z-k111";
        var files = new[] { PipelineHarness.Export(31, 0, 30), PipelineHarness.Export(32, 20, 30) };

        async Task<(PipelineHarness Harness, KillPolicy Kill)> PrepareAsync(int killAt)
        {
            var kill = new KillPolicy(killAt, afterTheCallLanded);
            var harness = await PipelineHarness.CreateAsync(configureClient: o => o.AddPolicy(kill, HttpPipelinePosition.PerCall), modeling: true);
            for (var i = 0; i < files.Length; i++)
            {
                await harness.UploadAsync($"orders-{i}.csv", files[i].Csv);
                await harness.Featurize.RunAsync($"orders-{i}.csv", Token);
            }

            var model = ModelingWiringTests.RandomModel(Version, asOf, harness.Options.Model.SequenceLength);
            var models = new ModelStore(harness.Storage);
            await models.PublishAsync(Version, Clv.Modeling.Onnx.OnnxModelWriter.ToBytes(model), [ReportFile.Text(EvaluationReport.MarkdownFileName, "text/markdown", "# Report\n")], Token);
            await models.WriteCurrentAsync(new ChampionPointer(Version, asOf, DateTimeOffset.UtcNow), Token);
            return (harness, kill);
        }

        // The uninterrupted run, counting its storage calls (the fan-out, then every shard of the queue).
        var (reference, counter) = await PrepareAsync(int.MaxValue);
        counter.Arm();
        await reference.FanOut.RunAsync(Version, asOf, Token);
        await reference.Queue.DrainAsync(cancellationToken: Token);
        var calls = counter.Calls;
        var expected = PipelineHarness.Comparable(await reference.PredictionsAsync());
        Assert.Equal(50, expected.Count);

        var random = new Random(17);
        foreach (var killAt in Enumerable.Range(1, calls).OrderBy(_ => random.Next()).Take(8))
        {
            var (harness, kill) = await PrepareAsync(killAt);
            kill.Arm();
            try
            {
                await harness.FanOut.RunAsync(Version, asOf, Token);
                await harness.Queue.DrainAsync(cancellationToken: Token);
            }
            catch (OperationCanceledException)
            {
                // Killed part-way; what a kill leaves is what the rerun starts from.
            }

            kill.Disarm();

            // At-least-once: the training run that fanned out is retried, so every shard is queued again (messages a
            // killed receive hid come back after the visibility timeout; their shards are scored by the new ones).
            await harness.FanOut.RunAsync(Version, asOf, Token);
            await harness.Queue.DrainAsync(cancellationToken: Token);

            Assert.Equal(expected, PipelineHarness.Comparable(await harness.PredictionsAsync()));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ATrainingRunKilledAtAnyStorageCall_AndRunAgain_LeavesOneCompleteChampionAndTheSamePredictions(bool afterTheCallLanded)
    {
        var files = new[] { PipelineHarness.Export(41, 0, 40), PipelineHarness.Export(42, 30, 40) };

        async Task<(PipelineHarness Harness, KillPolicy Kill)> PrepareAsync(int killAt)
        {
            var kill = new KillPolicy(killAt, afterTheCallLanded);
            // The job's storage protocol under test; the stand-in trainer always promotes, so every step runs.
            var harness = await PipelineHarness.CreateAsync(configureClient: o => o.AddPolicy(kill, HttpPipelinePosition.PerCall));
            for (var i = 0; i < files.Length; i++)
            {
                await harness.UploadAsync($"orders-{i}.csv", files[i].Csv);
                await harness.Featurize.RunAsync($"orders-{i}.csv", Token);
            }

            return (harness, kill);
        }

        // The uninterrupted run (train, publish, promote, fan out, score every shard), counting its storage calls.
        var (reference, counter) = await PrepareAsync(int.MaxValue);
        counter.Arm();
        Assert.True((await reference.Train.RunAsync(Token)).Promoted);
        var trainCalls = counter.Calls;
        await reference.Queue.DrainAsync(cancellationToken: Token);
        var calls = counter.Calls;
        var expected = await TrainStateAsync(reference);
        Assert.Contains("model.onnx", expected, StringComparison.Ordinal);

        // Every storage call of the training job itself, and a sample of the shard runs' calls after it.
        var random = new Random(23);
        var killPoints = Enumerable.Range(1, trainCalls).Concat(Enumerable.Range(trainCalls + 1, calls - trainCalls).OrderBy(_ => random.Next()).Take(4));
        foreach (var killAt in killPoints)
        {
            var (harness, kill) = await PrepareAsync(killAt);
            kill.Arm();
            var killed = false;
            try
            {
                await harness.TrainAndScoreAsync();
            }
            catch (OperationCanceledException)
            {
                // Killed part-way; what a kill leaves is what the next run starts from.
                killed = true;
            }

            kill.Disarm();
            Assert.True(killed || killAt > trainCalls, $"the training job was not stopped at its storage call {killAt}");

            // The next scheduled run: a new version, the same data and settings, hence the same predictions.
            await harness.TrainAndScoreAsync();

            Assert.Equal(expected, await TrainStateAsync(harness));
        }
    }

    /// <summary>
    /// What a training run leaves, versions aside: the champion's files, every prediction (by value, all from the
    /// champion), and the training runs' statuses (none left running; a killed one is marked abandoned).
    /// </summary>
    private static async Task<string> TrainStateAsync(PipelineHarness harness)
    {
        var champion = await new ModelStore(harness.Storage).ReadCurrentAsync(Token);
        Assert.NotNull(champion);
        var prefix = champion.Version + "/";
        var parts = (await harness.BlobNamesAsync(harness.Storage.Models))
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..])
            .Order(StringComparer.Ordinal)
            .ToList();
        var predictions = await harness.PredictionsAsync();
        Assert.All(predictions, p => Assert.Equal(champion.Version, p.ModelVersion));
        parts.AddRange(predictions
            .Select(p => $"{p.PartitionKey}/{p.RowKey}:{p.Clv:R}:{p.PPurchase:R}:{p.ClvP10:R}:{p.ClvP90:R}:{p.AsOf}")
            .Order(StringComparer.Ordinal));
        var runs = await harness.Storage.Runs.QueryAsync<RunEntity>(r => r.PartitionKey == RunEntity.TrainKind, cancellationToken: Token).ToListAsync(Token);
        Assert.DoesNotContain(runs, r => r.Status == "Running");
        Assert.Contains(runs, r => r.Status == "Succeeded");
        Assert.All(runs.Where(r => r.Status == "Abandoned"), r => Assert.Contains("stopped before it finished", r.Error, StringComparison.Ordinal));
        return string.Join("\n", parts);
    }

    /// <summary>Everything a featurize run leaves: outputs (by content), and the Ingestions rows that count.</summary>
    private static async Task<string> StateAsync(PipelineHarness harness)
    {
        var parts = new List<string>();
        foreach (var container in new[] { harness.Storage.Features, harness.Storage.Rejected })
        {
            foreach (var name in await harness.BlobNamesAsync(container))
            {
                var content = await container.GetBlobClient(name).DownloadContentAsync(Token);
                parts.Add($"{name}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content.Value.Content.ToArray()))}");
            }
        }

        foreach (var row in (await harness.IngestionsAsync()).OrderBy(r => r.PartitionKey, StringComparer.Ordinal))
        {
            parts.Add($"{row.PartitionKey}:{row.Status}:{row.Accepted}:{row.Rejected}:{row.Skipped}:{row.Customers}:{row.PartialBlob}:{row.RejectedBlob}");
        }

        return string.Join("\n", parts);
    }

    /// <summary>Trains, then lets another writer promote before the job writes <c>current.json</c>.</summary>
    private sealed class RacingTrainer(IModelTrainer inner, Func<Task> race) : IModelTrainer
    {
        public async Task<TrainedModel> TrainAsync(IReadOnlyList<PartialSource> partials, TrainingRequest request, CancellationToken cancellationToken = default)
        {
            var trained = await inner.TrainAsync(partials, request, cancellationToken);
            await race();
            return trained;
        }
    }

    /// <summary>Once armed, counts storage calls and stops the process's work at call <c>killAt</c> (before it is sent, or after it landed), as a kill would.</summary>
    private sealed class KillPolicy(int killAt, bool afterSend) : HttpPipelinePolicy
    {
        private int _calls;
        private volatile bool _armed;

        public int Calls => _calls;

        public void Arm() => _armed = true;

        public void Disarm() => _armed = false;

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            var kill = _armed && Interlocked.Increment(ref _calls) == killAt;
            if (kill && !afterSend)
            {
                throw new OperationCanceledException($"killed before storage call {killAt}");
            }

            await ProcessNextAsync(message, pipeline);
            if (kill)
            {
                throw new OperationCanceledException($"killed after storage call {killAt} landed");
            }
        }
    }
}
