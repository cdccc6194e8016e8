using Clv.Modeling.Evaluation;
using Clv.Modeling.Model;
using Clv.Modeling.Workflow;
using Clv.Pipeline.Score;

namespace Clv.Pipeline.Train;

/// <summary>
/// Trains, evaluates and exports one candidate model from stored partials: the port the training job calls,
/// implemented over <c>Clv.Modeling</c> (examples, <c>LstmTrainer</c>, evaluation against baselines and the
/// champion, ONNX export).
/// </summary>
public interface IModelTrainer
{
    /// <summary>Merges <paramref name="partials"/>, builds examples, trains, evaluates and exports the candidate.</summary>
    /// <exception cref="InvalidDataException">The data cannot train a model (e.g. no customer has a label window); the message says why.</exception>
    Task<TrainedModel> TrainAsync(IReadOnlyList<PartialSource> partials, TrainingRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What to train.</summary>
/// <param name="Options">The workflow's build options (time grid, backtest, trainer), with the candidate's version set.</param>
/// <param name="ChampionVersion">Version of the current champion, or <see langword="null"/> when there is none.</param>
/// <param name="ChampionModel">The champion's ONNX file, scored on the same held-out customers as the candidate; <see langword="null"/> when there is none.</param>
/// <param name="SampleCustomers">Most customers the run learns from (<c>Clv:Training:SampleCustomers</c>).</param>
public sealed record TrainingRequest(ModelBuildOptions Options, string? ChampionVersion, byte[]? ChampionModel, int SampleCustomers = 50_000);

/// <summary>A trained, evaluated and exported candidate.</summary>
/// <param name="Metadata">Version, features, bucket, <c>T</c>, horizon, as-of and metrics.</param>
/// <param name="Onnx">The self-contained ONNX model file.</param>
/// <param name="MetricsJson">Evaluation metrics (written to <c>metrics.json</c>).</param>
/// <param name="ReportFiles">The evaluation report's files, published beside the model as the tool writes them (<see cref="EvaluationReport.Files"/>).</param>
/// <param name="Promote">Whether the evaluation rule makes it the champion.</param>
/// <param name="PromotionReason">Why, in one sentence.</param>
/// <param name="Customers">Customers trained and evaluated on.</param>
/// <param name="Epochs">Epochs run.</param>
/// <param name="FinalLoss">Training loss after the last epoch.</param>
/// <param name="Gini">Normalised Gini on the held-out customers, when computed.</param>
public sealed record TrainedModel(
    ModelMetadata Metadata,
    byte[] Onnx,
    string MetricsJson,
    IReadOnlyList<ReportFile> ReportFiles,
    bool Promote,
    string PromotionReason,
    long Customers,
    int Epochs,
    double FinalLoss,
    double? Gini);
