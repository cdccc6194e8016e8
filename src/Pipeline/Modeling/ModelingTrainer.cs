using Clv.Modeling.Features;
using Clv.Modeling.Lstm;
using Clv.Modeling.Scoring;
using Clv.Modeling.Workflow;
using Clv.Pipeline.Score;
using Clv.Pipeline.Train;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Modeling;

/// <summary>
/// <see cref="IModelTrainer"/> over <see cref="ModelBuilder"/>: merged partials, the seeded 80/20 customer split,
/// <c>LstmTrainer</c>, the LSTM, BG/NBD + Gamma-Gamma, naive and the current champion scored on the same held-out
/// customers, <c>PromotionPolicy</c>'s decision and the ONNX export. The same steps as <c>clv run</c>.
/// </summary>
internal sealed class ModelingTrainer(ILogger<ModelingTrainer> logger) : IModelTrainer
{
    public async Task<TrainedModel> TrainAsync(IReadOnlyList<PartialSource> partials, TrainingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(request);
        var merged = await CustomerSample.ReadAsync(partials, request.Training.SampleCustomers, request.Training.Seed, cancellationToken).ConfigureAwait(false);
        var options = new ModelBuildOptions
        {
            Bucket = request.Features.Bucket,
            SequenceLength = request.Features.SequenceLength,
            HorizonBuckets = request.Features.HorizonBuckets,
            Seed = request.Training.Seed,
            Version = request.Version,
            Trainer = new TrainerOptions
            {
                HiddenSize = request.Training.HiddenSize,
                Epochs = request.Training.Epochs,
                BatchSize = request.Training.BatchSize,
                LearningRate = request.Training.LearningRate,
                Seed = request.Training.Seed,
            },
        };

        using var champion = LoadChampion(request);
        ModelBuildResult built;
        try
        {
            // Training is CPU-bound and synchronous; keep it off the caller's thread.
            built = await Task.Run(() => ModelBuilder.Build(merged, options, champion, progress: null, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        var metricsJson = built.Report.MetricsJson;
        var history = built.Training.History;
        return new TrainedModel(
            built.Model.Metadata,
            built.Onnx,
            metricsJson,
            built.Report.Markdown + Environment.NewLine + "## Promotion" + Environment.NewLine + Environment.NewLine + built.Decision.Reason + Environment.NewLine,
            built.Decision.IsChampion,
            built.Decision.Reason,
            built.TrainCustomers,
            history.Count,
            history.Count == 0 ? double.NaN : history[^1].TrainingLoss,
            built.Decision.CandidateGini.Value);
    }

    private ClvScorer? LoadChampion(TrainingRequest request)
    {
        if (request.ChampionModel is null)
        {
            return null;
        }

        try
        {
            var champion = Clv.Modeling.Onnx.OnnxModelInfo.Read(request.ChampionModel, request.ChampionVersion ?? "champion").Metadata;
            var signature = new FeaturizerSignature(champion.FeatureNames, champion.Bucket, champion.SequenceLength);
            return ClvScorer.Load(request.ChampionModel, request.ChampionVersion ?? "champion", signature, logger: logger);
        }
        catch (InvalidDataException)
        {
            // An unreadable champion file cannot be compared; the candidate is judged against the baselines.
            return null;
        }
    }
}
