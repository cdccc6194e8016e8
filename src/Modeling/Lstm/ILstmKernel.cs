using Clv.Modeling.Loss;

namespace Clv.Modeling.Lstm;

/// <summary>
/// One implementation of the LSTM, head and loss over a minibatch: forward, and forward with
/// backpropagation through time.
/// </summary>
/// <remarks>
/// Inputs are already normalised, <c>[batchSize, steps, featureCount]</c>, right-padded; only steps
/// below each row's length are read, so padding never influences outputs or gradients.
/// </remarks>
internal interface ILstmKernel
{
    /// <summary>Sizes of the network.</summary>
    LstmShape Shape { get; }

    /// <summary>Steps per sequence, <c>T</c>.</summary>
    int Steps { get; }

    /// <summary>Head logits for every row.</summary>
    /// <param name="inputs">Normalised features <c>[batchSize, steps, featureCount]</c>.</param>
    /// <param name="lengths">Valid steps per row <c>[batchSize]</c>, each in <c>1..steps</c>.</param>
    /// <param name="weights">Parameters.</param>
    /// <param name="logits">Destination <c>[batchSize, 3]</c>.</param>
    void Forward(ReadOnlySpan<float> inputs, ReadOnlySpan<int> lengths, LstmWeights weights, Span<float> logits);

    /// <summary>
    /// Forward and backward: adds the gradient of <c>lossScale * sum(loss)</c> into <paramref name="gradients"/>.
    /// </summary>
    /// <param name="inputs">Normalised features <c>[batchSize, steps, featureCount]</c>.</param>
    /// <param name="lengths">Valid steps per row <c>[batchSize]</c>.</param>
    /// <param name="labels">Targets <c>[batchSize]</c>.</param>
    /// <param name="lossKind">Objective.</param>
    /// <param name="lossScale">Multiplier of the summed loss, e.g. <c>1 / batchSize</c> for the mean.</param>
    /// <param name="weights">Parameters.</param>
    /// <param name="gradients">Gradient accumulator with the parameters' shape; added to, never cleared.</param>
    /// <returns>The unscaled sum of the per-row losses.</returns>
    double ForwardBackward(
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<int> lengths,
        ReadOnlySpan<float> labels,
        LossKind lossKind,
        float lossScale,
        LstmWeights weights,
        LstmWeights gradients);
}
