using Clv.Modeling.Model;

namespace Clv.Modeling.Lstm;

/// <summary>The outcome of <see cref="LstmTrainer.Train"/>.</summary>
/// <param name="Model">The model with the best weights (lowest validation loss, or training loss without validation).</param>
/// <param name="History">One entry per epoch run.</param>
/// <param name="BestEpoch">1-based number of the epoch whose weights the model holds.</param>
/// <param name="StoppedEarly">Whether training stopped before the last epoch because the validation loss stopped improving.</param>
/// <param name="VectorWidth">The register width the kernel trained at (the widest the machine accelerates, or <c>CLV_KERNEL</c>).</param>
public sealed record TrainingResult(ClvModel Model, IReadOnlyList<TrainingEpoch> History, int BestEpoch, bool StoppedEarly, VectorWidth VectorWidth);
