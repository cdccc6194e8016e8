using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Clv.Modeling.Loss;

namespace Clv.Modeling.Lstm;

/// <summary>
/// The fast LSTM kernel: fp32, blocked SIMD matrix products, batch-parallel over a fixed partition.
/// </summary>
/// <remarks>
/// Hand-written because no deep-learning runtime usable from .NET runs here: TorchSharp's native
/// shim needs a newer libstdc++ than Debian 12 ships, and ONNX Runtime's training API is not in the
/// .NET package. The maths is <see cref="ReferenceLstm"/>'s; only the schedule differs.
/// <list type="bullet">
/// <item>A minibatch is cut into one contiguous chunk per thread (the cut depends only on the batch size
/// and thread count); each chunk runs alone on its own workspace and gradient buffer, and chunk gradients
/// are summed in chunk order, so a given seed and thread count give bit-identical results.</item>
/// <item>Inside a chunk rows are sorted by length, longest first, so the rows still running at step
/// <c>t</c> are a prefix of <c>n_t</c> rows; data is time-major, <c>[steps, rows, ...]</c>.</item>
/// <item>Gate pre-activations: one blocked product <c>[rows * steps, F + 1] x [F + 1, 4H]</c> (the bias is the
/// weight of a constant-1 input, so its gradient falls out of the same product) for the input part
/// over the steps every row reaches, then <c>[n_t, H] x [H, 4H]</c> per step for the recurrence.</item>
/// <item>Backward keeps <c>[dW | dB]^T [F + 1, 4H]</c> and <c>dR^T [H, 4H]</c> so every product is 4H wide.</item>
/// <item>Workspaces are allocated once, grown only when a larger batch arrives; nothing is allocated per step.</item>
/// </list>
/// </remarks>
internal sealed unsafe class FastLstm : ILstmKernel
{
    private readonly int threadCount;
    private readonly LstmParameterLayout layout;
    private readonly float* wt;
    private readonly float* rt;
    private readonly Workspace[] workspaces;
    private readonly List<float[]> buffers = [];

    /// <summary>Creates the kernel.</summary>
    /// <param name="shape">Network sizes.</param>
    /// <param name="steps">Steps per sequence, <c>T</c>.</param>
    /// <param name="threadCount">Chunks per minibatch, each run on its own thread.</param>
    public FastLstm(LstmShape shape, int steps, int threadCount)
    {
        shape.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        Shape = shape;
        Steps = steps;
        this.threadCount = threadCount;
        layout = new LstmParameterLayout(shape);
        wt = Pinned(buffers, (shape.FeatureCount + 1) * shape.GateRows);
        rt = Pinned(buffers, shape.RecurrentWeightCount);
        workspaces = new Workspace[threadCount];
        for (var i = 0; i < threadCount; i++)
        {
            workspaces[i] = new Workspace(shape, steps);
        }
    }

    /// <inheritdoc/>
    public LstmShape Shape { get; }

    /// <inheritdoc/>
    public int Steps { get; }

    /// <inheritdoc/>
    public void Forward(ReadOnlySpan<float> inputs, ReadOnlySpan<int> lengths, LstmWeights weights, Span<float> logits)
    {
        var batchSize = lengths.Length;
        Validate(inputs, lengths, weights);
        if (logits.Length != batchSize * LstmShape.HeadOutputCount)
        {
            LstmThrow.SizeMismatch(nameof(logits), logits.Length, (long)batchSize * LstmShape.HeadOutputCount);
        }

        PrepareWeights(weights);
        fixed (float* x = inputs)
        fixed (int* len = lengths)
        fixed (float* w = weights.Buffer)
        fixed (float* output = logits)
        {
            var job = new Job { Inputs = x, Lengths = len, Weights = w, Logits = output, BatchSize = batchSize };
            RunChunks(job, backward: false);
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
        var batchSize = lengths.Length;
        Validate(inputs, lengths, weights);
        if (labels.Length != batchSize)
        {
            LstmThrow.SizeMismatch(nameof(labels), labels.Length, batchSize);
        }

        if (gradients.Shape != Shape)
        {
            throw new ArgumentException($"Gradient shape {gradients.Shape} differs from the kernel's {Shape}.", nameof(gradients));
        }

        PrepareWeights(weights);
        fixed (float* x = inputs)
        fixed (int* len = lengths)
        fixed (float* y = labels)
        fixed (float* w = weights.Buffer)
        {
            var job = new Job
            {
                Inputs = x, Lengths = len, Labels = y, Weights = w, BatchSize = batchSize, LossKind = lossKind, LossScale = lossScale,
            };
            RunChunks(job, backward: true);
        }

        var total = 0.0;
        var used = Math.Min(threadCount, batchSize);
        for (var p = 0; p < used; p++)
        {
            TensorPrimitives.Add(gradients.Buffer, workspaces[p].Gradient, gradients.Buffer);
            total += workspaces[p].Loss;
        }

        return total;
    }

    // Arrays on the pinned heap stay put; the owner keeps the array referenced for as long as it uses the pointer.
    private static float* Pinned(List<float[]> owner, int length)
    {
        var array = GC.AllocateArray<float>(Math.Max(length, 1), pinned: true);
        owner.Add(array);
        return (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref array[0]);
    }

    private void Validate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> lengths, LstmWeights weights)
    {
        if (weights.Shape != Shape)
        {
            throw new ArgumentException($"Weight shape {weights.Shape} differs from the kernel's {Shape}.", nameof(weights));
        }

        var expected = (long)lengths.Length * Steps * Shape.FeatureCount;
        if (inputs.Length != expected)
        {
            LstmThrow.SizeMismatch(nameof(inputs), inputs.Length, expected);
        }

        for (var n = 0; n < lengths.Length; n++)
        {
            if (lengths[n] < 1 || lengths[n] > Steps)
            {
                LstmThrow.LengthOutOfRange(n, lengths[n], Steps);
            }
        }
    }

    // [W | B] [4H, F + 1] -> its transpose [F + 1, 4H] (the bias is the weight of a constant-1 input);
    // R [4H, H] -> R^T [H, 4H].
    private void PrepareWeights(LstmWeights weights)
    {
        var gateRows = Shape.GateRows;
        var featureCount = Shape.FeatureCount;
        var hiddenSize = Shape.HiddenSize;
        ReadOnlySpan<float> w = weights.W;
        ReadOnlySpan<float> r = weights.R;
        weights.B.CopyTo(new Span<float>(wt + (featureCount * gateRows), gateRows));
        for (var row = 0; row < gateRows; row++)
        {
            for (var f = 0; f < featureCount; f++)
            {
                wt[(f * gateRows) + row] = w[(row * featureCount) + f];
            }

            for (var k = 0; k < hiddenSize; k++)
            {
                rt[(k * gateRows) + row] = r[(row * hiddenSize) + k];
            }
        }
    }

    private void RunChunks(Job job, bool backward)
    {
        var used = Math.Min(threadCount, job.BatchSize);
        if (used == 1)
        {
            RunChunk(job, 0, 0, job.BatchSize, backward);
            return;
        }

        Parallel.For(0, used, new ParallelOptions { MaxDegreeOfParallelism = used }, p =>
        {
            var start = (int)((long)p * job.BatchSize / used);
            var end = (int)((long)(p + 1) * job.BatchSize / used);
            RunChunk(job, p, start, end - start, backward);
        });
    }

    private void RunChunk(Job job, int chunk, int start, int rows, bool backward)
    {
        var ws = workspaces[chunk];
        ws.EnsureRows(rows);
        ws.Loss = 0;
        Sort(ws, job.Lengths + start, rows);
        Gather(ws, job.Inputs + ((long)start * Steps * Shape.FeatureCount), rows);
        LstmForward(ws, job.Weights, rows);
        HeadForward(ws, job.Weights, rows);
        if (!backward)
        {
            for (var s = 0; s < rows; s++)
            {
                var target = job.Logits + ((long)(start + ws.Order[s]) * LstmShape.HeadOutputCount);
                for (var o = 0; o < LstmShape.HeadOutputCount; o++)
                {
                    target[o] = ws.Logits[(s * LstmShape.HeadOutputCount) + o];
                }
            }

            return;
        }

        LossForward(ws, job, start, rows);
        Array.Clear(ws.Gradient);
        HeadBackward(ws, job.Weights, rows);
        LstmBackward(ws, job.Weights, rows);
    }

    // Stable counting sort by length, longest first; n_t = rows with length > t.
    private void Sort(Workspace ws, int* lengths, int rows)
    {
        var position = 0;
        for (var length = Steps; length >= 1; length--)
        {
            for (var r = 0; r < rows; r++)
            {
                if (lengths[r] == length)
                {
                    ws.Order[position] = r;
                    ws.SortedLengths[position] = length;
                    position++;
                }
            }
        }

        var active = rows;
        for (var t = 0; t < Steps; t++)
        {
            while (active > 0 && ws.SortedLengths[active - 1] <= t)
            {
                active--;
            }

            ws.Active[t] = active;
        }
    }

    // x [rows, T, F] (batch-major, original order) -> X [T, rows, F + 1] (time-major, sorted, a constant 1
    // appended for the bias), valid steps only.
    private void Gather(Workspace ws, float* source, int rows)
    {
        var featureCount = Shape.FeatureCount;
        var width = featureCount + 1;
        for (var s = 0; s < rows; s++)
        {
            var row = source + ((long)ws.Order[s] * Steps * featureCount);
            var length = ws.SortedLengths[s];
            for (var t = 0; t < length; t++)
            {
                var target = ws.X + ((((long)t * rows) + s) * width);
                new ReadOnlySpan<float>(row + (t * featureCount), featureCount).CopyTo(new Span<float>(target, featureCount));
                target[featureCount] = 1f;
            }
        }
    }

    // Keeps, per step: gate activations G [T, rows, 4H], c [T, rows, H], tanh(c) [T, rows, H], h [T + 1, rows, H] (block 0 = h_{-1} = 0).
    private void LstmForward(Workspace ws, float* weights, int rows)
    {
        var width = Shape.FeatureCount + 1;
        var hiddenSize = Shape.HiddenSize;
        var gateRows = Shape.GateRows;
        var common = FirstShortStep(ws, rows);

        // Input part with bias: one product over the steps all rows reach, then one per remaining step.
        Gemm.Multiply(ws.X, width, wt, gateRows, ws.Gates, gateRows, common * rows, gateRows, width);
        for (var t = common; t < Steps; t++)
        {
            var active = ws.Active[t];
            Gemm.Multiply(ws.X + ((long)t * rows * width), width, wt, gateRows, ws.Gates + ((long)t * rows * gateRows), gateRows, active, gateRows, width);
        }

        for (var t = 0; t < Steps; t++)
        {
            var active = ws.Active[t];
            if (active == 0)
            {
                break;
            }

            var gates = ws.Gates + ((long)t * rows * gateRows);
            var hPrev = ws.Hidden + ((long)t * rows * hiddenSize);
            if (t > 0)
            {
                Gemm.MultiplyAdd(hPrev, hiddenSize, rt, gateRows, gates, gateRows, active, gateRows, hiddenSize);
            }

            var cells = ws.Cells + ((long)t * rows * hiddenSize);
            var cPrev = t > 0 ? ws.Cells + ((long)(t - 1) * rows * hiddenSize) : null;
            var tanhCells = ws.TanhCells + ((long)t * rows * hiddenSize);
            var hidden = ws.Hidden + ((long)(t + 1) * rows * hiddenSize);
            for (var s = 0; s < active; s++)
            {
                var offset = (long)s * hiddenSize;
                StepForward(gates + ((long)s * gateRows), cPrev == null ? null : cPrev + offset, cells + offset, tanhCells + offset, hidden + offset, hiddenSize);
            }
        }
    }

    private int FirstShortStep(Workspace ws, int rows)
    {
        var t = 0;
        while (t < Steps && ws.Active[t] == rows)
        {
            t++;
        }

        return t;
    }

    // One row of one step, fused: gate activations (written back over the pre-activations for
    // backward), c = f * cPrev + i * g, tanh(c) and h = o * tanh(c).
    private static void StepForward(float* gates, float* cPrev, float* c, float* tanhC, float* h, int hiddenSize)
    {
        float* gi = gates, go = gates + hiddenSize, gf = gates + (2 * hiddenSize), gg = gates + (3 * hiddenSize);
        var k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; k + 16 <= hiddenSize; k += 16)
            {
                var i = Sigmoid(Vector512.Load(gi + k));
                var o = Sigmoid(Vector512.Load(go + k));
                var f = Sigmoid(Vector512.Load(gf + k));
                var g = Tanh(Vector512.Load(gg + k));
                i.Store(gi + k);
                o.Store(go + k);
                f.Store(gf + k);
                g.Store(gg + k);
                var ig = i * g;
                var cell = cPrev == null ? ig : Vector512.FusedMultiplyAdd(f, Vector512.Load(cPrev + k), ig);
                var tc = Tanh(cell);
                cell.Store(c + k);
                tc.Store(tanhC + k);
                (o * tc).Store(h + k);
            }
        }

        for (; k < hiddenSize; k++)
        {
            var i = 1f / (1f + MathF.Exp(-gi[k]));
            var o = 1f / (1f + MathF.Exp(-go[k]));
            var f = 1f / (1f + MathF.Exp(-gf[k]));
            var g = MathF.Tanh(gg[k]);
            gi[k] = i;
            go[k] = o;
            gf[k] = f;
            gg[k] = g;
            var cell = cPrev == null ? i * g : MathF.FusedMultiplyAdd(f, cPrev[k], i * g);
            var tc = MathF.Tanh(cell);
            c[k] = cell;
            tanhC[k] = tc;
            h[k] = o * tc;
        }
    }

    // 1 / (1 + exp(-x)); saturates cleanly to 0 and 1.
    private static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));

    // tanh(x) = 1 - 2 / (1 + exp(2x)); absolute error about 1e-7, saturates cleanly to -1 and 1.
    private static Vector512<float> Tanh(Vector512<float> x) => Vector512<float>.One - (Vector512.Create(2f) / (Vector512<float>.One + Vector512.Exp(x + x)));

    // Final state = h at each row's last valid step; logits [rows, 3] = HeadW h + HeadB.
    private void HeadForward(Workspace ws, float* weights, int rows)
    {
        var hiddenSize = Shape.HiddenSize;
        for (var s = 0; s < rows; s++)
        {
            var final = new ReadOnlySpan<float>(ws.Hidden + ((((long)ws.SortedLengths[s] * rows) + s) * hiddenSize), hiddenSize);
            final.CopyTo(new Span<float>(ws.FinalHidden + ((long)s * hiddenSize), hiddenSize));
            for (var o = 0; o < LstmShape.HeadOutputCount; o++)
            {
                var headRow = new ReadOnlySpan<float>(weights + layout.HeadW + (o * hiddenSize), hiddenSize);
                ws.Logits[(s * LstmShape.HeadOutputCount) + o] = weights[layout.HeadB + o] + TensorPrimitives.Dot(headRow, final);
            }
        }
    }

    private static void LossForward(Workspace ws, Job job, int start, int rows)
    {
        var total = 0.0;
        for (var s = 0; s < rows; s++)
        {
            var l = ws.Logits.AsSpan(s * LstmShape.HeadOutputCount, LstmShape.HeadOutputCount);
            total += ZilnLoss.Evaluate(job.LossKind, l[0], l[1], l[2], job.Labels[start + ws.Order[s]], out var d0, out var d1, out var d2);
            var d = ws.LogitGradients.AsSpan(s * LstmShape.HeadOutputCount, LstmShape.HeadOutputCount);
            d[0] = (float)(d0 * job.LossScale);
            d[1] = (float)(d1 * job.LossScale);
            d[2] = (float)(d2 * job.LossScale);
        }

        ws.Loss = total;
    }

    // dHeadW += dLogits^T h, dHeadB += dLogits, dh_final = dLogits HeadW.
    private void HeadBackward(Workspace ws, float* weights, int rows)
    {
        var hiddenSize = Shape.HiddenSize;
        var gradient = ws.Gradient.AsSpan();
        for (var s = 0; s < rows; s++)
        {
            var final = new ReadOnlySpan<float>(ws.FinalHidden + ((long)s * hiddenSize), hiddenSize);
            var dFinal = new Span<float>(ws.FinalHiddenGradient + ((long)s * hiddenSize), hiddenSize);
            dFinal.Clear();
            for (var o = 0; o < LstmShape.HeadOutputCount; o++)
            {
                var d = ws.LogitGradients[(s * LstmShape.HeadOutputCount) + o];
                gradient[layout.HeadB + o] += d;
                var dHeadRow = gradient.Slice(layout.HeadW + (o * hiddenSize), hiddenSize);
                TensorPrimitives.MultiplyAdd(final, d, dHeadRow, dHeadRow);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(weights + layout.HeadW + (o * hiddenSize), hiddenSize), d, dFinal, dFinal);
            }
        }
    }

    // Backpropagation through time; gate gradients overwrite the gate activations of each step once read.
    private void LstmBackward(Workspace ws, float* weights, int rows)
    {
        var featureCount = Shape.FeatureCount;
        var hiddenSize = Shape.HiddenSize;
        var gateRows = Shape.GateRows;
        var width = featureCount + 1;
        var gradient = ws.Gradient.AsSpan();
        new Span<float>(ws.CellGradient, rows * hiddenSize).Clear();
        new Span<float>(ws.InputWeightGradientT, width * gateRows).Clear();
        new Span<float>(ws.RecurrentWeightGradientT, Shape.RecurrentWeightCount).Clear();

        for (var t = Steps - 1; t >= 0; t--)
        {
            var active = ws.Active[t];
            if (active == 0)
            {
                continue;
            }

            // Rows whose last valid step is t start receiving gradient here.
            var ending = t + 1 < Steps ? ws.Active[t + 1] : 0;
            new ReadOnlySpan<float>(ws.FinalHiddenGradient + ((long)ending * hiddenSize), (active - ending) * hiddenSize)
                .CopyTo(new Span<float>(ws.HiddenGradient + ((long)ending * hiddenSize), (active - ending) * hiddenSize));

            var gates = ws.Gates + ((long)t * rows * gateRows);
            var tanhCells = ws.TanhCells + ((long)t * rows * hiddenSize);
            var cPrev = t > 0 ? ws.Cells + ((long)(t - 1) * rows * hiddenSize) : null;
            for (var s = 0; s < active; s++)
            {
                var offset = (long)s * hiddenSize;
                GateBackward(gates + ((long)s * gateRows), tanhCells + offset, cPrev == null ? null : cPrev + offset, ws.HiddenGradient + offset, ws.CellGradient + offset, hiddenSize);
            }

            // [dW | dB]^T [F + 1, 4H] += X_t^T dA_t; dR^T [H, 4H] += h_{t-1}^T dA_t; dh_{t-1} = dA_t R.
            Gemm.MultiplyAddTransposedA(ws.X + ((long)t * rows * width), width, gates, gateRows, ws.InputWeightGradientT, gateRows, width, gateRows, active);
            if (t > 0)
            {
                Gemm.MultiplyAddTransposedA(ws.Hidden + ((long)t * rows * hiddenSize), hiddenSize, gates, gateRows, ws.RecurrentWeightGradientT, gateRows, hiddenSize, gateRows, active);
                new Span<float>(ws.HiddenGradient, active * hiddenSize).Clear();
                Gemm.MultiplyAdd(gates, gateRows, weights + layout.R, hiddenSize, ws.HiddenGradient, hiddenSize, active, hiddenSize, gateRows);
            }
        }

        var dw = gradient.Slice(layout.W, Shape.InputWeightCount);
        var dr = gradient.Slice(layout.R, Shape.RecurrentWeightCount);
        var dBias = gradient.Slice(layout.B, gateRows);
        TensorPrimitives.Add(dBias, new ReadOnlySpan<float>(ws.InputWeightGradientT + (featureCount * gateRows), gateRows), dBias);
        for (var row = 0; row < gateRows; row++)
        {
            for (var f = 0; f < featureCount; f++)
            {
                dw[(row * featureCount) + f] += ws.InputWeightGradientT[(f * gateRows) + row];
            }

            for (var k = 0; k < hiddenSize; k++)
            {
                dr[(row * hiddenSize) + k] += ws.RecurrentWeightGradientT[(k * gateRows) + row];
            }
        }
    }

    // One row of one step: reads activations i, o, f, g in gates, tanh(c), c_{t-1}, dh, dc; writes
    // the pre-activation gradients dA into gates and dc_{t-1} into dc.
    private static void GateBackward(float* gates, float* tanhC, float* cPrev, float* dh, float* dc, int hiddenSize)
    {
        float* gi = gates, go = gates + hiddenSize, gf = gates + (2 * hiddenSize), gg = gates + (3 * hiddenSize);
        var k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<float>.One;
            for (; k + 16 <= hiddenSize; k += 16)
            {
                var i = Vector512.Load(gi + k);
                var o = Vector512.Load(go + k);
                var f = Vector512.Load(gf + k);
                var g = Vector512.Load(gg + k);
                var tc = Vector512.Load(tanhC + k);
                var dhk = Vector512.Load(dh + k);
                var cp = cPrev == null ? Vector512<float>.Zero : Vector512.Load(cPrev + k);
                var dcTotal = Vector512.FusedMultiplyAdd(dhk * o, one - (tc * tc), Vector512.Load(dc + k));
                (dcTotal * g * i * (one - i)).Store(gi + k);
                (dhk * tc * o * (one - o)).Store(go + k);
                (dcTotal * cp * f * (one - f)).Store(gf + k);
                (dcTotal * i * (one - (g * g))).Store(gg + k);
                (dcTotal * f).Store(dc + k);
            }
        }

        for (; k < hiddenSize; k++)
        {
            var i = gi[k];
            var o = go[k];
            var f = gf[k];
            var g = gg[k];
            var tc = tanhC[k];
            var cp = cPrev == null ? 0f : cPrev[k];
            var dcTotal = MathF.FusedMultiplyAdd(dh[k] * o, 1 - (tc * tc), dc[k]);
            gi[k] = dcTotal * g * i * (1 - i);
            go[k] = dh[k] * tc * o * (1 - o);
            gf[k] = dcTotal * cp * f * (1 - f);
            gg[k] = dcTotal * i * (1 - (g * g));
            dc[k] = dcTotal * f;
        }
    }

    private struct Job
    {
        public float* Inputs;
        public int* Lengths;
        public float* Labels;
        public float* Weights;
        public float* Logits;
        public int BatchSize;
        public LossKind LossKind;
        public float LossScale;
    }

    // Per-chunk buffers, pinned, grown to the largest chunk seen.
    private sealed class Workspace(LstmShape shape, int steps)
    {
        private readonly List<float[]> buffers = [];
        private int capacity;

        public int[] Order { get; private set; } = [];

        public int[] SortedLengths { get; private set; } = [];

        public int[] Active { get; } = new int[steps];

        public float[] Logits { get; private set; } = [];

        public float[] LogitGradients { get; private set; } = [];

        public float[] Gradient { get; } = new float[shape.ParameterCount];

        public double Loss { get; set; }

        public float* X { get; private set; }

        public float* Gates { get; private set; }

        public float* Cells { get; private set; }

        public float* TanhCells { get; private set; }

        public float* Hidden { get; private set; }

        public float* FinalHidden { get; private set; }

        public float* FinalHiddenGradient { get; private set; }

        public float* HiddenGradient { get; private set; }

        public float* CellGradient { get; private set; }

        public float* InputWeightGradientT { get; private set; }

        public float* RecurrentWeightGradientT { get; private set; }

        public void EnsureRows(int rows)
        {
            if (rows <= capacity)
            {
                return;
            }

            capacity = rows;
            buffers.Clear();
            Order = new int[rows];
            SortedLengths = new int[rows];
            Logits = new float[rows * LstmShape.HeadOutputCount];
            LogitGradients = new float[rows * LstmShape.HeadOutputCount];
            var hidden = shape.HiddenSize;
            X = Pinned(buffers, steps * rows * (shape.FeatureCount + 1));
            Gates = Pinned(buffers, steps * rows * shape.GateRows);
            Cells = Pinned(buffers, steps * rows * hidden);
            TanhCells = Pinned(buffers, steps * rows * hidden);
            Hidden = Pinned(buffers, (steps + 1) * rows * hidden);
            FinalHidden = Pinned(buffers, rows * hidden);
            FinalHiddenGradient = Pinned(buffers, rows * hidden);
            HiddenGradient = Pinned(buffers, rows * hidden);
            CellGradient = Pinned(buffers, rows * hidden);
            InputWeightGradientT = Pinned(buffers, (shape.FeatureCount + 1) * shape.GateRows);
            RecurrentWeightGradientT = Pinned(buffers, shape.RecurrentWeightCount);
        }
    }
}
