using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Clv.Modeling.Loss;

namespace Clv.Modeling.Lstm;

/// <summary>
/// The fast LSTM kernel: fp32, blocked SIMD matrix products, batch-parallel over a fixed partition.
/// </summary>
/// <remarks>
/// Hand-written so that training needs no native deep-learning runtime beside the product. The maths is
/// <see cref="ReferenceLstm"/>'s; only the schedule differs.
/// <list type="bullet">
/// <item>A minibatch is cut into one contiguous chunk per thread (the cut depends only on the batch size
/// and thread count); each chunk runs alone on its own workspace and gradient buffer, and chunk gradients
/// are summed in chunk order, so a given seed and thread count give bit-identical results.</item>
/// <item>Inside a chunk rows are sorted by length, longest first, so the rows still running at step
/// <c>t</c> are a prefix of <c>n_t</c> rows; data is time-major, <c>[steps, rows, ...]</c>.</item>
/// <item>Each step is one blocked product <c>Z_t [n_t, F + 1 + H] x [W | B | R]^T [F + 1 + H, 4H]</c>, where
/// <c>Z_t = [x_t | 1 | h_{t-1}]</c>: the bias is the weight of a constant-1 input and <c>h_t</c> is written
/// straight into <c>Z_{t+1}</c>, so the gate pre-activations come from one product per step and the weight
/// gradient <c>[dW | dB | dR]^T += Z_t^T dA_t</c> from one more; both are 4H wide.</item>
/// <item>Each chunk runs in blocks of at most 64 rows, so one step's working set stays in L2.</item>
/// <item>Workspaces are allocated once, grown only when a larger batch arrives; nothing is allocated per step.</item>
/// <item>Everything below a block is generic over the register width (<see cref="ISimd{TVector}"/>): the
/// products, the fused activations and the gate gradients run at the kernel's <see cref="VectorWidth"/>,
/// chosen once per process by <see cref="LstmKernels.Width"/> unless given.</item>
/// </list>
/// </remarks>
internal sealed unsafe class FastLstm : ILstmKernel
{
    // Rows processed together: small enough that one step's gates, states and products stay in L2,
    // large enough to keep the products efficient.
    private const int BlockRows = 64;

    private readonly int threadCount;
    private readonly LstmParameterLayout layout;
    private readonly int width;
    private readonly float* combinedT;
    private readonly Workspace[] workspaces;
    private readonly List<float[]> buffers = [];

    /// <summary>Creates the kernel.</summary>
    /// <param name="shape">Network sizes.</param>
    /// <param name="steps">Steps per sequence, <c>T</c>.</param>
    /// <param name="threadCount">Chunks per minibatch, each run on its own thread.</param>
    /// <param name="vectorWidth">Register width; <see cref="LstmKernels.Width"/> when omitted.</param>
    /// <exception cref="NotSupportedException">This machine does not accelerate <paramref name="vectorWidth"/>.</exception>
    public FastLstm(LstmShape shape, int steps, int threadCount, VectorWidth? vectorWidth = null)
    {
        shape.Validate();
        VectorWidth = vectorWidth ?? LstmKernels.Width;
        LstmKernels.ThrowIfNotAccelerated(VectorWidth);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        Shape = shape;
        Steps = steps;
        this.threadCount = threadCount;
        layout = new LstmParameterLayout(shape);
        width = shape.FeatureCount + 1 + shape.HiddenSize;
        combinedT = Pinned(buffers, width * shape.GateRows);
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

    /// <summary>The register width the kernel runs at.</summary>
    public VectorWidth VectorWidth { get; }

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

    // [W | B | R] [4H, F + 1 + H] -> its transpose [F + 1 + H, 4H]: the bias is the weight of a constant-1 input.
    private void PrepareWeights(LstmWeights weights)
    {
        var gateRows = Shape.GateRows;
        var featureCount = Shape.FeatureCount;
        var hiddenSize = Shape.HiddenSize;
        ReadOnlySpan<float> w = weights.W;
        ReadOnlySpan<float> r = weights.R;
        weights.B.CopyTo(new Span<float>(combinedT + (featureCount * gateRows), gateRows));
        var recurrentT = combinedT + ((featureCount + 1) * gateRows);
        for (var row = 0; row < gateRows; row++)
        {
            for (var f = 0; f < featureCount; f++)
            {
                combinedT[(f * gateRows) + row] = w[(row * featureCount) + f];
            }

            for (var k = 0; k < hiddenSize; k++)
            {
                recurrentT[(k * gateRows) + row] = r[(row * hiddenSize) + k];
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

    // A chunk runs as consecutive blocks of at most BlockRows rows on one workspace; gradients and loss
    // add up over the blocks in order.
    private void RunChunk(Job job, int chunk, int start, int rows, bool backward)
    {
        var ws = workspaces[chunk];
        ws.Loss = 0;
        if (backward)
        {
            Array.Clear(ws.Gradient);
        }

        for (var offset = 0; offset < rows; offset += BlockRows)
        {
            RunBlock(job, ws, start + offset, Math.Min(BlockRows, rows - offset), backward);
        }
    }

    private void RunBlock(Job job, Workspace ws, int start, int rows, bool backward)
    {
        switch (VectorWidth)
        {
            case VectorWidth.Bits512:
                RunBlock<Simd512, Vector512<float>>(job, ws, start, rows, backward);
                break;
            case VectorWidth.Bits256:
                RunBlock<Simd256, Vector256<float>>(job, ws, start, rows, backward);
                break;
            case VectorWidth.Bits128:
                RunBlock<Simd128, Vector128<float>>(job, ws, start, rows, backward);
                break;
            default:
                RunBlock<SimdScalar, float>(job, ws, start, rows, backward);
                break;
        }
    }

    private void RunBlock<TSimd, TVector>(Job job, Workspace ws, int start, int rows, bool backward)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        ws.EnsureRows(rows);
        Sort(ws, job.Lengths + start, rows);
        Gather(ws, job.Inputs + ((long)start * Steps * Shape.FeatureCount), rows);
        LstmForward<TSimd, TVector>(ws, rows);
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
        HeadBackward(ws, job.Weights, rows);
        LstmBackward<TSimd, TVector>(ws, job.Weights, rows);
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

    // x [rows, T, F] (batch-major, original order) -> the x and 1 parts of Z [T + 1, rows, F + 1 + H]
    // (time-major, sorted), valid steps only; h_{-1} = 0.
    private void Gather(Workspace ws, float* source, int rows)
    {
        var featureCount = Shape.FeatureCount;
        for (var s = 0; s < rows; s++)
        {
            var row = source + ((long)ws.Order[s] * Steps * featureCount);
            var length = ws.SortedLengths[s];
            for (var t = 0; t < length; t++)
            {
                var target = ws.Z + ((((long)t * rows) + s) * width);
                new ReadOnlySpan<float>(row + (t * featureCount), featureCount).CopyTo(new Span<float>(target, featureCount));
                target[featureCount] = 1f;
            }

            new Span<float>(ws.Z + ((long)s * width) + featureCount + 1, Shape.HiddenSize).Clear();
        }
    }

    // Per step one product Z_t [n_t, F + 1 + H] x [W | B | R]^T [F + 1 + H, 4H] gives the gate
    // pre-activations, then the fused activations. Keeps, per step: gate activations G [T, rows, 4H],
    // c [T, rows, H], tanh(c) [T, rows, H]; h_t goes into Z [t + 1].
    private void LstmForward<TSimd, TVector>(Workspace ws, int rows)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var featureCount = Shape.FeatureCount;
        var hiddenSize = Shape.HiddenSize;
        var gateRows = Shape.GateRows;
        for (var t = 0; t < Steps; t++)
        {
            var active = ws.Active[t];
            if (active == 0)
            {
                break;
            }

            var gates = ws.Gates + ((long)t * rows * gateRows);
            var depth = t == 0 ? featureCount + 1 : width;
            Gemm.Multiply<TSimd, TVector>(ws.Z + ((long)t * rows * width), width, combinedT, gateRows, gates, gateRows, active, gateRows, depth);

            var cells = ws.Cells + ((long)t * rows * hiddenSize);
            var cPrev = t > 0 ? ws.Cells + ((long)(t - 1) * rows * hiddenSize) : null;
            var tanhCells = ws.TanhCells + ((long)t * rows * hiddenSize);
            var next = ws.Z + ((long)(t + 1) * rows * width) + featureCount + 1;
            for (var s = 0; s < active; s++)
            {
                var offset = (long)s * hiddenSize;
                StepForward<TSimd, TVector>(gates + ((long)s * gateRows), cPrev == null ? null : cPrev + offset, cells + offset, tanhCells + offset, next + ((long)s * width), hiddenSize);
            }
        }
    }

    // One row of one step, fused: gate activations (written back over the pre-activations for
    // backward), c = f * cPrev + i * g, tanh(c) and h = o * tanh(c).
    private static void StepForward<TSimd, TVector>(float* gates, float* cPrev, float* c, float* tanhC, float* h, int hiddenSize)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        float* gi = gates, go = gates + hiddenSize, gf = gates + (2 * hiddenSize), gg = gates + (3 * hiddenSize);
        var k = 0;
        for (; k + TSimd.Count <= hiddenSize; k += TSimd.Count)
        {
            StepForward<TSimd, TVector>(gi + k, go + k, gf + k, gg + k, cPrev == null ? null : cPrev + k, c + k, tanhC + k, h + k);
        }

        for (; k < hiddenSize; k++)
        {
            StepForward<SimdScalar, float>(gi + k, go + k, gf + k, gg + k, cPrev == null ? null : cPrev + k, c + k, tanhC + k, h + k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StepForward<TSimd, TVector>(float* gi, float* go, float* gf, float* gg, float* cPrev, float* c, float* tanhC, float* h)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var i = VectorMath.Sigmoid<TSimd, TVector>(TSimd.Load(gi));
        var o = VectorMath.Sigmoid<TSimd, TVector>(TSimd.Load(go));
        var f = VectorMath.Sigmoid<TSimd, TVector>(TSimd.Load(gf));
        var g = VectorMath.Tanh<TSimd, TVector>(TSimd.Load(gg));
        TSimd.Store(i, gi);
        TSimd.Store(o, go);
        TSimd.Store(f, gf);
        TSimd.Store(g, gg);
        var ig = TSimd.Multiply(i, g);
        var cell = cPrev == null ? ig : TSimd.MultiplyAdd(f, TSimd.Load(cPrev), ig);
        var tc = VectorMath.Tanh<TSimd, TVector>(cell);
        TSimd.Store(cell, c);
        TSimd.Store(tc, tanhC);
        TSimd.Store(TSimd.Multiply(o, tc), h);
    }

    // Final state = h at each row's last valid step; logits [rows, 3] = HeadW h + HeadB.
    private void HeadForward(Workspace ws, float* weights, int rows)
    {
        var hiddenSize = Shape.HiddenSize;
        for (var s = 0; s < rows; s++)
        {
            var final = new ReadOnlySpan<float>(ws.Z + ((((long)ws.SortedLengths[s] * rows) + s) * width) + Shape.FeatureCount + 1, hiddenSize);
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

        ws.Loss += total;
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
    private void LstmBackward<TSimd, TVector>(Workspace ws, float* weights, int rows)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var featureCount = Shape.FeatureCount;
        var hiddenSize = Shape.HiddenSize;
        var gateRows = Shape.GateRows;
        var gradient = ws.Gradient.AsSpan();
        new Span<float>(ws.CellGradient, rows * hiddenSize).Clear();
        new Span<float>(ws.CombinedGradientT, width * gateRows).Clear();

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
                GateBackward<TSimd, TVector>(gates + ((long)s * gateRows), tanhCells + offset, cPrev == null ? null : cPrev + offset, ws.HiddenGradient + offset, ws.CellGradient + offset, hiddenSize);
            }

            // [dW | dB | dR]^T [F + 1 + H, 4H] += Z_t^T dA_t; dh_{t-1} = dA_t R.
            Gemm.MultiplyAddTransposedA<TSimd, TVector>(ws.Z + ((long)t * rows * width), width, gates, gateRows, ws.CombinedGradientT, gateRows, t == 0 ? featureCount + 1 : width, gateRows, active);
            if (t > 0)
            {
                new Span<float>(ws.HiddenGradient, active * hiddenSize).Clear();
                Gemm.MultiplyAdd<TSimd, TVector>(gates, gateRows, weights + layout.R, hiddenSize, ws.HiddenGradient, hiddenSize, active, hiddenSize, gateRows);
            }
        }

        var dw = gradient.Slice(layout.W, Shape.InputWeightCount);
        var dr = gradient.Slice(layout.R, Shape.RecurrentWeightCount);
        var dBias = gradient.Slice(layout.B, gateRows);
        TensorPrimitives.Add(dBias, new ReadOnlySpan<float>(ws.CombinedGradientT + (featureCount * gateRows), gateRows), dBias);
        var recurrentT = ws.CombinedGradientT + ((featureCount + 1) * gateRows);
        for (var row = 0; row < gateRows; row++)
        {
            for (var f = 0; f < featureCount; f++)
            {
                dw[(row * featureCount) + f] += ws.CombinedGradientT[(f * gateRows) + row];
            }

            for (var k = 0; k < hiddenSize; k++)
            {
                dr[(row * hiddenSize) + k] += recurrentT[(k * gateRows) + row];
            }
        }
    }

    // One row of one step: reads activations i, o, f, g in gates, tanh(c), c_{t-1}, dh, dc; writes
    // the pre-activation gradients dA into gates and dc_{t-1} into dc.
    private static void GateBackward<TSimd, TVector>(float* gates, float* tanhC, float* cPrev, float* dh, float* dc, int hiddenSize)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        float* gi = gates, go = gates + hiddenSize, gf = gates + (2 * hiddenSize), gg = gates + (3 * hiddenSize);
        var k = 0;
        for (; k + TSimd.Count <= hiddenSize; k += TSimd.Count)
        {
            GateBackward<TSimd, TVector>(gi + k, go + k, gf + k, gg + k, tanhC + k, cPrev == null ? null : cPrev + k, dh + k, dc + k);
        }

        for (; k < hiddenSize; k++)
        {
            GateBackward<SimdScalar, float>(gi + k, go + k, gf + k, gg + k, tanhC + k, cPrev == null ? null : cPrev + k, dh + k, dc + k);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GateBackward<TSimd, TVector>(float* gi, float* go, float* gf, float* gg, float* tanhC, float* cPrev, float* dh, float* dc)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var one = TSimd.One;
        var i = TSimd.Load(gi);
        var o = TSimd.Load(go);
        var f = TSimd.Load(gf);
        var g = TSimd.Load(gg);
        var tc = TSimd.Load(tanhC);
        var dhk = TSimd.Load(dh);
        var cp = cPrev == null ? TSimd.Zero : TSimd.Load(cPrev);
        var dcTotal = TSimd.MultiplyAdd(TSimd.Multiply(dhk, o), TSimd.Subtract(one, TSimd.Multiply(tc, tc)), TSimd.Load(dc));
        TSimd.Store(TSimd.Multiply(TSimd.Multiply(TSimd.Multiply(dcTotal, g), i), TSimd.Subtract(one, i)), gi);
        TSimd.Store(TSimd.Multiply(TSimd.Multiply(TSimd.Multiply(dhk, tc), o), TSimd.Subtract(one, o)), go);
        TSimd.Store(TSimd.Multiply(TSimd.Multiply(TSimd.Multiply(dcTotal, cp), f), TSimd.Subtract(one, f)), gf);
        TSimd.Store(TSimd.Multiply(TSimd.Multiply(dcTotal, i), TSimd.Subtract(one, TSimd.Multiply(g, g))), gg);
        TSimd.Store(TSimd.Multiply(dcTotal, f), dc);
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

        public float* Z { get; private set; }

        public float* Gates { get; private set; }

        public float* Cells { get; private set; }

        public float* TanhCells { get; private set; }

        public float* FinalHidden { get; private set; }

        public float* FinalHiddenGradient { get; private set; }

        public float* HiddenGradient { get; private set; }

        public float* CellGradient { get; private set; }

        public float* CombinedGradientT { get; private set; }

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
            var width = shape.FeatureCount + 1 + hidden;
            Z = Pinned(buffers, (steps + 1) * rows * width);
            Gates = Pinned(buffers, steps * rows * shape.GateRows);
            Cells = Pinned(buffers, steps * rows * hidden);
            TanhCells = Pinned(buffers, steps * rows * hidden);
            FinalHidden = Pinned(buffers, rows * hidden);
            FinalHiddenGradient = Pinned(buffers, rows * hidden);
            HiddenGradient = Pinned(buffers, rows * hidden);
            CellGradient = Pinned(buffers, rows * hidden);
            CombinedGradientT = Pinned(buffers, width * shape.GateRows);
        }
    }
}
