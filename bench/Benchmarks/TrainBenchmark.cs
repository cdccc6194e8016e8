using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using Clv.Modeling.Loss;
using Clv.Modeling.Lstm;

namespace Clv.Benchmarks;

/// <summary>
/// Training throughput of an LSTM kernel (forward, backward, gradient clipping and an Adam step per
/// minibatch) at fixed shapes, and the machine's measured fp32 multiply-add peak at the kernel's vector width.
/// </summary>
/// <remarks>
/// <c>Clv.Benchmarks train [--kernel fast] [--threads 2] [--seconds 5] [--shapes B:T:F:H,...]</c>; prints
/// one JSON object. Every sequence has the full length <c>T</c>, as in the PyTorch peer.
/// Useful FLOPs per sample: forward <c>2 T 4H (F + H)</c>, backward <c>2 T 4H (F + 2H)</c> (dW, dR, dh; no
/// gradient toward the inputs), so <c>2 T 4H (2F + 3H)</c> in all. Samples per CPU-second (process CPU
/// time over all threads) is printed beside wall-clock samples per second: it moves less when other
/// work shares the cores. The kernel runs at the process's <see cref="LstmKernels.Width"/> (the widest the
/// hardware accelerates, or <c>CLV_KERNEL</c>, narrowed by <c>DOTNET_EnableAVX512F=0</c> or <c>DOTNET_EnableAVX2=0</c>),
/// and the peak is measured at that width with the same multiply-add the kernel uses.
/// </remarks>
internal static class TrainBenchmark
{
    public static int Run(string[] args)
    {
        var kernelName = Option(args, "--kernel", LstmKernels.Fast);
        var threads = int.Parse(Option(args, "--threads", "2"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(Option(args, "--seconds", "5"), CultureInfo.InvariantCulture);
        var shapes = Option(args, "--shapes", "1024:24:16:64,1024:52:16:32").Split(',');

        var width = LstmKernels.Width;
        var perCore = FmaPeak(width, threads: 1, seconds: Math.Min(seconds, 2));
        var concurrent = FmaPeak(width, threads, seconds: Math.Min(seconds, 2));
        var results = new List<string>();
        foreach (var spec in shapes)
        {
            var parts = spec.Split(':').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            var (batch, steps, features, hidden) = (parts[0], parts[1], parts[2], parts[3]);
            var (samplesPerSecond, samplesPerCpuSecond, iterations) = Measure(kernelName, threads, seconds, batch, steps, features, hidden);
            var flopsPerSample = 2.0 * steps * 4 * hidden * ((2.0 * features) + (3.0 * hidden));
            var gflops = samplesPerSecond * flopsPerSample / 1e9;
            results.Add(string.Create(
                CultureInfo.InvariantCulture,
                $$"""{"batch":{{batch}},"steps":{{steps}},"features":{{features}},"hidden":{{hidden}},"samplesPerSecond":{{samplesPerSecond:F1}},"samplesPerCpuSecond":{{samplesPerCpuSecond:F1}},"gflops":{{gflops:F2}},"flopsPerSample":{{flopsPerSample:F0}},"iterations":{{iterations}}}"""));
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"kernel":"{{kernelName}}","threads":{{threads}},"vectorWidth":{{(int)width}},"instructionSet":"{{LstmKernels.InstructionSet(width)}}","acceleratedWidths":[{{string.Join(",", LstmKernels.AcceleratedWidths.Select(w => (int)w))}}],"peakGflopsPerCore":{{perCore:F2}},"peakGflops":{{perCore * threads:F2}},"peakGflopsConcurrent":{{concurrent:F2}},"shapes":[{{string.Join(",", results)}}]}"""));
        return 0;
    }

    private static (double SamplesPerSecond, double SamplesPerCpuSecond, int Iterations) Measure(string kernelName, int threads, double seconds, int batch, int steps, int featureCount, int hiddenSize)
    {
        var random = new Random(1);
        var shape = new LstmShape(featureCount, hiddenSize);
        var inputs = new float[batch * steps * featureCount];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var lengths = Enumerable.Repeat(steps, batch).ToArray();
        var labels = Enumerable.Range(0, batch).Select(n => n % 2 == 0 ? 0f : (float)Math.Exp(random.NextDouble() * 3)).ToArray();
        var weights = new LstmWeights(shape);
        var bound = 1 / Math.Sqrt(hiddenSize);
        for (var i = 0; i < weights.Buffer.Length; i++)
        {
            weights.Buffer[i] = (float)(((random.NextDouble() * 2) - 1) * bound);
        }

        var gradients = new LstmWeights(shape);
        var kernel = LstmKernels.Create(kernelName, shape, steps, threads);
        var optimizer = new AdamOptimizer(shape.ParameterCount, 0.9, 0.999, 1e-8, 0, new bool[shape.ParameterCount]);
        void Step()
        {
            Array.Clear(gradients.Buffer);
            kernel.ForwardBackward(inputs, lengths, labels, LossKind.Ziln, 1f / batch, weights, gradients);
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(gradients.Buffer);
            if (norm > 1)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(gradients.Buffer, 1 / norm, gradients.Buffer);
            }

            optimizer.Step(weights.Buffer, gradients.Buffer, 1e-3);
        }

        for (var i = 0; i < 3; i++)
        {
            Step();
        }

        var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var iterations = 0;
        while (iterations < 5 || clock.Elapsed.TotalSeconds < seconds)
        {
            Step();
            iterations++;
        }

        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
        return (iterations * (double)batch / clock.Elapsed.TotalSeconds, iterations * (double)batch / cpuSeconds, iterations);
    }

    // fp32 GFLOP/s of independent multiply-adds at the kernel's width on `threads` threads at once.
    private static double FmaPeak(VectorWidth width, int threads, double seconds) => width switch
    {
        VectorWidth.Bits512 => FmaPeak<Simd512, Vector512<float>>(threads, seconds),
        VectorWidth.Bits256 => FmaPeak<Simd256, Vector256<float>>(threads, seconds),
        VectorWidth.Bits128 => FmaPeak<Simd128, Vector128<float>>(threads, seconds),
        _ => FmaPeak<SimdScalar, float>(threads, seconds),
    };

    private static double FmaPeak<TSimd, TVector>(int threads, double seconds)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        const long Iterations = 2_000_000;
        // Results land in an array so the loops are observable and cannot be dropped.
        var sink = new float[threads];
        sink[0] = FmaLoop<TSimd, TVector>(1_000_000);
        var best = 0.0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var start = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => sink[t] = FmaLoop<TSimd, TVector>(Iterations));
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, threads * Iterations * 12.0 * TSimd.Count * 2 / elapsed / 1e9);
        }

        return sink.All(float.IsFinite) ? best : double.NaN;
    }

    // Twelve independent chains: enough to cover the multiply-add latency on two ports, and they fit in
    // the 16 registers of AVX2 and SSE with the two constants.
    private static float FmaLoop<TSimd, TVector>(long iterations)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var m = TSimd.Create(0.999999f);
        var a = TSimd.Create(1e-7f);
        // Distinct starting values keep the twelve chains from being merged into one by the compiler.
        var s0 = TSimd.Create(1.00f); var s1 = TSimd.Create(1.01f); var s2 = TSimd.Create(1.02f); var s3 = TSimd.Create(1.03f);
        var s4 = TSimd.Create(1.04f); var s5 = TSimd.Create(1.05f); var s6 = TSimd.Create(1.06f); var s7 = TSimd.Create(1.07f);
        var s8 = TSimd.Create(1.08f); var s9 = TSimd.Create(1.09f); var s10 = TSimd.Create(1.10f); var s11 = TSimd.Create(1.11f);
        for (long i = 0; i < iterations; i++)
        {
            s0 = TSimd.MultiplyAdd(s0, m, a); s1 = TSimd.MultiplyAdd(s1, m, a);
            s2 = TSimd.MultiplyAdd(s2, m, a); s3 = TSimd.MultiplyAdd(s3, m, a);
            s4 = TSimd.MultiplyAdd(s4, m, a); s5 = TSimd.MultiplyAdd(s5, m, a);
            s6 = TSimd.MultiplyAdd(s6, m, a); s7 = TSimd.MultiplyAdd(s7, m, a);
            s8 = TSimd.MultiplyAdd(s8, m, a); s9 = TSimd.MultiplyAdd(s9, m, a);
            s10 = TSimd.MultiplyAdd(s10, m, a); s11 = TSimd.MultiplyAdd(s11, m, a);
        }

        var sum = TSimd.Add(TSimd.Add(TSimd.Add(s0, s1), TSimd.Add(s2, s3)), TSimd.Add(TSimd.Add(s4, s5), TSimd.Add(s6, s7)));
        sum = TSimd.Add(sum, TSimd.Add(TSimd.Add(s8, s9), TSimd.Add(s10, s11)));
        return TSimd.Sum(sum);
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
