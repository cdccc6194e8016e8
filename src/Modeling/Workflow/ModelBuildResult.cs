using Clv.Modeling.Evaluation;
using Clv.Modeling.Lstm;
using Clv.Modeling.Model;

namespace Clv.Modeling.Workflow;

/// <summary>A trained, evaluated and exported model, with the decision on promoting it.</summary>
/// <param name="Model">The trained model; its metadata carries the evaluation metrics.</param>
/// <param name="Onnx">The model as a self-contained ONNX file.</param>
/// <param name="Report">Comparison of the LSTM with the baselines (and champion) on the test customers.</param>
/// <param name="Decision">Whether the model becomes the champion, and why.</param>
/// <param name="Training">Per-epoch history of the trainer.</param>
/// <param name="Cutoff">Last day of the input histories; labels are the spend after it, up to the as-of day.</param>
/// <param name="TrainCustomers">Customers the LSTM was trained on.</param>
/// <param name="TestCustomers">Held-out customers every model was scored on.</param>
public sealed record ModelBuildResult(
    ClvModel Model,
    byte[] Onnx,
    EvaluationReport Report,
    ChampionDecision Decision,
    TrainingResult Training,
    DateOnly Cutoff,
    int TrainCustomers,
    int TestCustomers);
