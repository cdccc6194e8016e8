using Clv.Modeling.Lstm;
using Clv.Modeling.Model;

namespace Clv.Modeling.Tests.Model;

/// <summary>
/// A model's predictions through the reference LSTM (<see cref="LstmKernels.Reference"/>) with the model's own
/// normalisation and head: what the fast kernel and ONNX Runtime are checked against.
/// </summary>
internal static class ReferencePrediction
{
    /// <summary>Reference predictions; empty quantile destinations are skipped.</summary>
    public static void PredictReference(
        this ClvModel model,
        ReadOnlySpan<float> features,
        ReadOnlySpan<int> lengths,
        Span<float> clv,
        Span<float> pPurchase,
        Span<float> clvP10 = default,
        Span<float> clvP50 = default,
        Span<float> clvP90 = default)
    {
        var kernel = LstmKernels.Create(LstmKernels.Reference, model.Weights.Shape, model.Metadata.SequenceLength, threadCount: 1);
        model.Predict(features, lengths, clv, pPurchase, clvP10, clvP50, clvP90, kernel);
    }
}
