using Clv.Modeling.Scoring;
using Clv.Modeling.Workflow;
using Clv.Pipeline.Score;
using Clv.Pipeline.Train;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Adapters;

/// <summary>
/// <see cref="IModelTrainer"/> over <see cref="ClvWorkflow"/>: the stored partials loaded and merged, then the workflow's
/// build (train, backtest against the baselines and the champion, decide, export ONNX), the same steps as <c>clv train</c>.
/// </summary>
internal sealed class WorkflowTrainer(ILogger<WorkflowTrainer> logger) : IModelTrainer
{
    public async Task<TrainedModel> TrainAsync(IReadOnlyList<PartialSource> partials, TrainingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partials);
        ArgumentNullException.ThrowIfNull(request);
        // A bounded, seeded sample of the customers, read shard file by shard file (every customer is still scored).
        var merged = await CustomerSample.ReadAsync(partials, request.SampleCustomers, request.Options.Seed, cancellationToken).ConfigureAwait(false);
        using var champion = LoadChampion(request);
        ModelBuildResult built;
        try
        {
            // Training is CPU-bound and synchronous; keep it off the caller's thread.
            built = await Task.Run(() => ClvWorkflow.Build(merged, request.Options, champion, progress: null, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }

        var history = built.Training.History;
        return new TrainedModel(
            built.Model.Metadata,
            built.Onnx,
            built.Report.MetricsJson,
            built.Report.Files,
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
            // The champion is compared on its own grid; the builder notes it when that differs from the candidate's.
            return ClvWorkflow.LoadScorer(request.ChampionModel, request.ChampionVersion ?? "champion", new ScorerOptions(), logger: logger);
        }
        catch (Exception ex) when (ex is InvalidDataException or ModelMismatchException)
        {
            // An unreadable champion file cannot be compared; the candidate is judged against the baselines.
            return null;
        }
    }
}
