using Clv.Modeling.Baselines;
using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;
using Clv.Modeling.Onnx;
using Clv.Modeling.Scoring;
using Clv.Pipeline.Score;
using Clv.Pipeline.Train;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Modeling;

/// <summary>
/// <see cref="IModelTrainer"/> over Modeling: merged partials, <see cref="TrainingExampleBuilder"/> with the seeded
/// 80/20 customer split, <see cref="LstmTrainer"/>, ONNX export, and evaluation of the candidate, the BG/NBD +
/// Gamma-Gamma baseline and the current champion on the same held-out customers; <see cref="PromotionPolicy"/> decides.
/// </summary>
internal sealed class ModelingTrainer(ILogger<ModelingTrainer> logger) : IModelTrainer
{
    /// <summary>Share of customers held out for evaluation.</summary>
    public const double TestShare = 0.2;

    public async Task<TrainedModel> TrainAsync(IReadOnlyList<PartialSource> partials, TrainingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(request);
        var loaded = new List<PartialAggregates>(partials.Count);
        foreach (var source in partials)
        {
            var stream = await source.Open(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                loaded.Add(await PartialAggregates.ReadParquetAsync(stream, cancellationToken).ConfigureAwait(false));
            }
        }

        var merged = PartialAggregates.Merge(loaded);
        if (merged.Count == 0)
        {
            throw new InvalidDataException("The partials hold no purchases to train on.");
        }

        var features = request.Features;
        // The last day of the newest bucket with data (a cutoff zero buckets back is that bucket's end).
        var asOf = TrainingExampleBuilder.Cutoff(merged.BucketStarts.Max(), 0, merged.Bucket);
        var examples = TrainingExampleBuilder.Build(merged, asOf, features.HorizonBuckets, features.SequenceLength);
        var (train, test) = TrainingExampleBuilder.Split(examples, TestShare, request.Training.Seed);
        if (train.Count == 0 || test.Count == 0)
        {
            throw new InvalidDataException(
                $"{examples.Count} customers have a history before the cutoff {TrainingExampleBuilder.Cutoff(asOf, features.HorizonBuckets, merged.Bucket):yyyy-MM-dd}; too few to train and hold out {TestShare:P0}.");
        }

        var metadata = new ModelMetadata(request.Version, SequenceBuilder.FeatureNames, merged.Bucket, features.SequenceLength, features.HorizonBuckets, asOf);
        var trainer = new LstmTrainer(new TrainerOptions
        {
            HiddenSize = request.Training.HiddenSize,
            Epochs = request.Training.Epochs,
            BatchSize = request.Training.BatchSize,
            LearningRate = request.Training.LearningRate,
            Seed = request.Training.Seed,
        });
        var result = await Task.Run(() => trainer.Train(train, metadata, progress: null, cancellationToken), cancellationToken).ConfigureAwait(false);

        var signature = new FeaturizerSignature(SequenceBuilder.FeatureNames, merged.Bucket, features.SequenceLength);
        var candidateBytes = OnnxModelWriter.ToBytes(result.Model);
        var scores = new List<ModelScores> { Score(ModelNames.Lstm, candidateBytes, signature, test) };
        scores.Add(Baseline(merged, test, asOf, features.HorizonBuckets));
        var champion = ChampionScores(request, signature, test);
        if (champion is not null)
        {
            scores.Add(champion);
        }

        var decision = new PromotionPolicy().Decide(scores[0], scores[1], champion);
        var report = EvaluationReport.Create(scores);
        var metricsJson = report.Comparison.ToJson();
        var final = new ClvModel(result.Model.Metadata with { MetricsJson = metricsJson }, result.Model.Normalizer, result.Model.Weights);
        var markdown = report.Markdown + Environment.NewLine + "## Promotion" + Environment.NewLine + Environment.NewLine + decision.Reason + Environment.NewLine;
        return new TrainedModel(
            final.Metadata,
            OnnxModelWriter.ToBytes(final),
            metricsJson,
            markdown,
            decision.IsChampion,
            decision.Reason,
            examples.Count,
            result.History.Count,
            result.History.Count == 0 ? double.NaN : result.History[^1].TrainingLoss,
            decision.CandidateGini.Value);
    }

    private ModelScores Score(string name, byte[] onnx, FeaturizerSignature signature, TrainingExamples test)
    {
        using var scorer = ClvScorer.Load(onnx, name, signature, logger: logger);
        var clv = new float[test.Count];
        var p = new float[test.Count];
        scorer.Score(test.Inputs, clv, p);
        return new ModelScores(name, test.Inputs.CustomerIds, [.. test.Labels.Select(l => (double)l)], [.. clv.Select(v => (double)v)], [.. p.Select(v => (double)v)]);
    }

    private ModelScores? ChampionScores(TrainingRequest request, FeaturizerSignature signature, TrainingExamples test)
    {
        if (request.ChampionModel is null)
        {
            return null;
        }

        try
        {
            return Score("champion", request.ChampionModel, signature, test);
        }
        catch (ModelMismatchException)
        {
            // A champion trained on other features, bucket or T cannot be compared; the candidate is judged against the baseline.
            return null;
        }
    }

    /// <summary>BG/NBD + Gamma-Gamma fitted on the calibration buckets (one transaction per order, at the bucket's start).</summary>
    private static ModelScores Baseline(PartialAggregates merged, TrainingExamples test, DateOnly asOf, int horizonBuckets)
    {
        var cutoff = TrainingExampleBuilder.Cutoff(asOf, horizonBuckets, merged.Bucket);
        var calibration = new List<Transaction>();
        for (var row = 0; row < merged.Count; row++)
        {
            if (merged.BucketStarts[row] > cutoff || merged.Orders[row] <= 0)
            {
                continue;
            }

            var amount = merged.NetSpend[row] / merged.Orders[row];
            var start = merged.BucketStarts[row].ToDateTime(TimeOnly.MinValue);
            for (var order = 0; order < merged.Orders[row]; order++)
            {
                calibration.Add(new Transaction(merged.CustomerIds[row], start, amount, $"{row}-{order}"));
            }
        }

        var horizon = asOf.ToDateTime(TimeOnly.MinValue) - cutoff.ToDateTime(TimeOnly.MinValue);
        var predictions = new BgNbdGammaGammaPredictor().Predict(calibration, cutoff.ToDateTime(TimeOnly.MinValue), horizon)
            .ToDictionary(p => p.CustomerId, p => p.PredictedSpend, StringComparer.Ordinal);
        var predicted = test.Inputs.CustomerIds.Select(id => predictions.GetValueOrDefault(id)).ToArray();
        return new ModelScores(ModelNames.BgNbd, test.Inputs.CustomerIds, [.. test.Labels.Select(l => (double)l)], predicted);
    }
}
