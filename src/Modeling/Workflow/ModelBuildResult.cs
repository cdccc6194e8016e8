using Clv.Modeling.Evaluation;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;

namespace Clv.Modeling.Workflow;

/// <summary>A trained, evaluated and exported model, with the decision on promoting it.</summary>
/// <param name="Model">The trained model; its metadata carries the evaluation metrics.</param>
/// <param name="Onnx">The model as a self-contained ONNX file.</param>
/// <param name="Report">Comparison of the LSTM with the baselines (and champion) on the held-out customers of the backtest, pooled over its cutoffs.</param>
/// <param name="Decision">Whether the model becomes the champion, and why.</param>
/// <param name="Training">Per-epoch history of the trainer.</param>
/// <param name="Cutoff">The backtest's last cutoff (as-of minus the horizon).</param>
/// <param name="TrainCustomers">Customers the deployed model was trained on.</param>
/// <param name="TestCustomers">Held-out customers every model was scored on at the last cutoff.</param>
public sealed record ModelBuildResult(
    ClvModel Model,
    byte[] Onnx,
    EvaluationReport Report,
    ChampionDecision Decision,
    TrainingResult Training,
    DateOnly Cutoff,
    int TrainCustomers,
    int TestCustomers)
{
    /// <summary>The rolling-origin backtest the decision was made on.</summary>
    public required BacktestResult Backtest { get; init; }
}
