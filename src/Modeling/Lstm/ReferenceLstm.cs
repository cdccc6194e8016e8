using Clv.Modeling.Loss;

namespace Clv.Modeling.Lstm;

/// <summary>
/// The plain reference LSTM, head and loss in double precision, one sequence at a time: the one
/// definition the fast kernel, <c>ClvModel</c>'s predictions and ONNX Runtime on the exported file are checked
/// against (tests run it through <c>ClvModel</c>'s normalisation and head), and the path finite-difference checks run on.
/// </summary>
/// <remarks>
/// Per step <c>a = W x_t + R h_{t-1} + B</c> (<c>[4H]</c>, blocks i, o, f, c),
/// <c>i, o, f = sigmoid(a_i, a_o, a_f)</c>, <c>g = tanh(a_c)</c>, <c>c_t = f c_{t-1} + i g</c>,
/// <c>h_t = o tanh(c_t)</c>, from <c>h_{-1} = c_{-1} = 0</c>; the head reads <c>h</c> at the last valid
/// step: <c>logits = HeadW h + HeadB</c>. Layers come in <c>…Forward</c>/<c>…Backward</c> pairs (<c>LstmForward</c>, <c>HeadForward</c>, ...); forward
/// keeps the gate activations and states that backward reads, backward adds into the gradients.
/// </remarks>
internal sealed class ReferenceLstm : ILstmKernel
{
    private readonly LstmParameterLayout layout;

    /// <summary>Creates the reference kernel for <paramref name="shape"/> and <paramref name="steps"/>.</summary>
    public ReferenceLstm(LstmShape shape, int steps)
    {
        shape.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        Shape = shape;
        Steps = steps;
        layout = new LstmParameterLayout(shape);
    }

    /// <inheritdoc/>
    public LstmShape Shape { get; }

    /// <inheritdoc/>
    public int Steps { get; }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> inputs, ReadOnlySpan<int> lengths, LstmWeights weights, Span<float> logits)
    {
        var parameters = ToDouble(weights.Buffer);
        var x = ToDouble(inputs);
        var cache = new SequenceCache(Shape, Steps);
        Span<double> sequenceLogits = stackalloc double[LstmShape.HeadOutputCount];
        var sequenceSize = Steps * Shape.FeatureCount;
        for (var n = 0; n < lengths.Length; n++)
        {
            if (lengths[n] < 1 || lengths[n] > Steps)
            {
                LstmThrow.LengthOutOfRange(n, lengths[n], Steps);
            }

            LstmForward(parameters, x.AsSpan(n * sequenceSize, sequenceSize), lengths[n], cache);
            HeadForward(parameters, cache.Hidden(lengths[n] - 1), sequenceLogits);
            for (var o = 0; o < LstmShape.HeadOutputCount; o++)
            {
                logits[(n * LstmShape.HeadOutputCount) + o] = (float)sequenceLogits[o];
            }
        }
    }

    /// <inheritdoc/>
    public double ForwardBackward(
        ReadOnlySpan<float> inputs,
        ReadOnlySpan<int> lengths,
        ReadOnlySpan<float> labels,
        LossKind lossKind,
        float lossScale,
        LstmWeights weights,
        LstmWeights gradients)
    {
        var parameters = ToDouble(weights.Buffer);
        var x = ToDouble(inputs);
        var y = ToDouble(labels);
        var parameterGradient = new double[parameters.Length];
        var loss = LossAndGradient(parameters, x, lengths, y, lossKind, lossScale, parameterGradient, []);
        for (var i = 0; i < parameterGradient.Length; i++)
        {
            gradients.Buffer[i] += (float)parameterGradient[i];
        }

        return loss;
    }

    /// <summary>
    /// Summed loss over the batch and the gradient of <c>lossScale * loss</c>, all in double precision.
    /// </summary>
    /// <param name="parameters">Parameter buffer in <see cref="LstmWeights"/> layout.</param>
    /// <param name="inputs">Normalised features <c>[batchSize, steps, featureCount]</c>.</param>
    /// <param name="lengths">Valid steps per row <c>[batchSize]</c>.</param>
    /// <param name="labels">Targets <c>[batchSize]</c>.</param>
    /// <param name="lossKind">Objective.</param>
    /// <param name="lossScale">Multiplier of the summed loss inside the gradients.</param>
    /// <param name="parameterGradient">Added to: gradient per parameter, same layout.</param>
    /// <param name="inputGradient">Added to when not empty: gradient per input value <c>[batchSize, steps, featureCount]</c>.</param>
    /// <returns>The unscaled sum of the per-row losses.</returns>
    public double LossAndGradient(
        ReadOnlySpan<double> parameters,
        ReadOnlySpan<double> inputs,
        ReadOnlySpan<int> lengths,
        ReadOnlySpan<double> labels,
        LossKind lossKind,
        double lossScale,
        Span<double> parameterGradient,
        Span<double> inputGradient)
    {
        var cache = new SequenceCache(Shape, Steps);
        Span<double> logits = stackalloc double[LstmShape.HeadOutputCount];
        Span<double> dLogits = stackalloc double[LstmShape.HeadOutputCount];
        var dh = new double[Shape.HiddenSize];
        var sequenceSize = Steps * Shape.FeatureCount;
        var total = 0.0;
        for (var n = 0; n < lengths.Length; n++)
        {
            var length = lengths[n];
            if (length < 1 || length > Steps)
            {
                LstmThrow.LengthOutOfRange(n, length, Steps);
            }

            var x = inputs.Slice(n * sequenceSize, sequenceSize);
            LstmForward(parameters, x, length, cache);
            HeadForward(parameters, cache.Hidden(length - 1), logits);
            total += ZilnLoss.Evaluate(lossKind, logits[0], logits[1], logits[2], labels[n], out var d0, out var d1, out var d2);
            dLogits[0] = d0 * lossScale;
            dLogits[1] = d1 * lossScale;
            dLogits[2] = d2 * lossScale;
            Array.Clear(dh);
            HeadBackward(parameters, cache.Hidden(length - 1), dLogits, parameterGradient, dh);
            LstmBackward(parameters, x, length, cache, dh, parameterGradient, inputGradient.IsEmpty ? [] : inputGradient.Slice(n * sequenceSize, sequenceSize));
        }

        return total;
    }

    // a_t = W x_t + R h_{t-1} + B; keeps gate activations [T, 4H], c [T, H], h [T, H].
    private void LstmForward(ReadOnlySpan<double> p, ReadOnlySpan<double> x, int length, SequenceCache cache)
    {
        var featureCount = Shape.FeatureCount;
        var hiddenSize = Shape.HiddenSize;
        var w = p.Slice(layout.W, Shape.InputWeightCount);
        var r = p.Slice(layout.R, Shape.RecurrentWeightCount);
        var b = p.Slice(layout.B, Shape.GateBiasCount);
        for (var t = 0; t < length; t++)
        {
            var gates = cache.Gates(t);
            var xt = x.Slice(t * featureCount, featureCount);
            ReadOnlySpan<double> hPrev = t > 0 ? cache.Hidden(t - 1) : cache.Zero;
            ReadOnlySpan<double> cPrev = t > 0 ? cache.Cell(t - 1) : cache.Zero;
            for (var row = 0; row < gates.Length; row++)
            {
                var sum = b[row];
                for (var f = 0; f < featureCount; f++)
                {
                    sum += w[(row * featureCount) + f] * xt[f];
                }

                for (var k = 0; k < hiddenSize; k++)
                {
                    sum += r[(row * hiddenSize) + k] * hPrev[k];
                }

                gates[row] = row < 3 * hiddenSize ? Sigmoid(sum) : Math.Tanh(sum);
            }

            var c = cache.Cell(t);
            var h = cache.Hidden(t);
            for (var k = 0; k < hiddenSize; k++)
            {
                c[k] = (gates[(2 * hiddenSize) + k] * cPrev[k]) + (gates[k] * gates[(3 * hiddenSize) + k]);
                h[k] = gates[hiddenSize + k] * Math.Tanh(c[k]);
            }
        }
    }

    // dh holds dL/dh at the last valid step on entry; walks the steps in reverse.
    private void LstmBackward(ReadOnlySpan<double> p, ReadOnlySpan<double> x, int length, SequenceCache cache, double[] dh, Span<double> grad, Span<double> dx)
    {
        var featureCount = Shape.FeatureCount;
        var hiddenSize = Shape.HiddenSize;
        var gateRows = Shape.GateRows;
        var w = p.Slice(layout.W, Shape.InputWeightCount);
        var r = p.Slice(layout.R, Shape.RecurrentWeightCount);
        var dw = grad.Slice(layout.W, Shape.InputWeightCount);
        var dr = grad.Slice(layout.R, Shape.RecurrentWeightCount);
        var db = grad.Slice(layout.B, Shape.GateBiasCount);
        var dc = new double[hiddenSize];
        var da = new double[gateRows];
        var dhPrev = new double[hiddenSize];
        for (var t = length - 1; t >= 0; t--)
        {
            var gates = cache.Gates(t);
            var c = cache.Cell(t);
            ReadOnlySpan<double> cPrev = t > 0 ? cache.Cell(t - 1) : cache.Zero;
            ReadOnlySpan<double> hPrev = t > 0 ? cache.Hidden(t - 1) : cache.Zero;
            for (var k = 0; k < hiddenSize; k++)
            {
                var i = gates[k];
                var o = gates[hiddenSize + k];
                var f = gates[(2 * hiddenSize) + k];
                var g = gates[(3 * hiddenSize) + k];
                var tanhC = Math.Tanh(c[k]);
                var dcTotal = dc[k] + (dh[k] * o * (1 - (tanhC * tanhC)));
                da[k] = dcTotal * g * i * (1 - i);
                da[hiddenSize + k] = dh[k] * tanhC * o * (1 - o);
                da[(2 * hiddenSize) + k] = dcTotal * cPrev[k] * f * (1 - f);
                da[(3 * hiddenSize) + k] = dcTotal * i * (1 - (g * g));
                dc[k] = dcTotal * f;
            }

            Array.Clear(dhPrev);
            var xt = x.Slice(t * featureCount, featureCount);
            for (var row = 0; row < gateRows; row++)
            {
                var d = da[row];
                db[row] += d;
                for (var f = 0; f < featureCount; f++)
                {
                    dw[(row * featureCount) + f] += d * xt[f];
                    if (!dx.IsEmpty)
                    {
                        dx[(t * featureCount) + f] += d * w[(row * featureCount) + f];
                    }
                }

                for (var k = 0; k < hiddenSize; k++)
                {
                    dr[(row * hiddenSize) + k] += d * hPrev[k];
                    dhPrev[k] += d * r[(row * hiddenSize) + k];
                }
            }

            dhPrev.CopyTo(dh, 0);
        }
    }

    // logits [3] = HeadW [3, H] h [H] + HeadB [3].
    private void HeadForward(ReadOnlySpan<double> p, ReadOnlySpan<double> h, Span<double> logits)
    {
        var hiddenSize = Shape.HiddenSize;
        for (var o = 0; o < LstmShape.HeadOutputCount; o++)
        {
            var sum = p[layout.HeadB + o];
            for (var k = 0; k < hiddenSize; k++)
            {
                sum += p[layout.HeadW + (o * hiddenSize) + k] * h[k];
            }

            logits[o] = sum;
        }
    }

    private void HeadBackward(ReadOnlySpan<double> p, ReadOnlySpan<double> h, ReadOnlySpan<double> dLogits, Span<double> grad, Span<double> dh)
    {
        var hiddenSize = Shape.HiddenSize;
        for (var o = 0; o < LstmShape.HeadOutputCount; o++)
        {
            grad[layout.HeadB + o] += dLogits[o];
            for (var k = 0; k < hiddenSize; k++)
            {
                grad[layout.HeadW + (o * hiddenSize) + k] += dLogits[o] * h[k];
                dh[k] += dLogits[o] * p[layout.HeadW + (o * hiddenSize) + k];
            }
        }
    }

    private static double Sigmoid(double value) => 1 / (1 + Math.Exp(-value));

    private static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    private sealed class SequenceCache(LstmShape shape, int steps)
    {
        private readonly double[] gates = new double[steps * shape.GateRows];
        private readonly double[] cells = new double[steps * shape.HiddenSize];
        private readonly double[] hidden = new double[steps * shape.HiddenSize];
        private readonly double[] zero = new double[shape.HiddenSize];

        public ReadOnlySpan<double> Zero => zero;

        public Span<double> Gates(int t) => gates.AsSpan(t * shape.GateRows, shape.GateRows);

        public Span<double> Cell(int t) => cells.AsSpan(t * shape.HiddenSize, shape.HiddenSize);

        public Span<double> Hidden(int t) => hidden.AsSpan(t * shape.HiddenSize, shape.HiddenSize);
    }
}
