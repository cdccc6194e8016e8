using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using Clv.Modeling.Loss;
using Clv.Modeling.Lstm;

namespace Clv.Benchmarks;

/// <summary>
/// Training throughput of an LSTM kernel (forward, backward, gradient clipping and an Adam step per
/// minibatch) at fixed shapes, and the machine's measured fp32 fused multiply-add peak.
/// </summary>
/// <remarks>
/// <c>Clv.Benchmarks train [--kernel fast] [--threads 2] [--seconds 5] [--shapes B:T:F:H,...]</c>; prints
/// one JSON object. Every sequence has the full length <c>T</c>, as in the PyTorch peer.
/// Useful FLOPs per sample: forward <c>2 T 4H (F + H)</c>, backward <c>2 T 4H (F + 2H)</c> (dW, dR, dh; no
/// gradient toward the inputs), so <c>2 T 4H (2F + 3H)</c> in all. Samples per CPU-second (process CPU
/// time over all threads) is printed beside wall-clock samples per second: it moves less when other
/// work shares the cores.
/// </remarks>
internal static class TrainBenchmark
{
    public static int Run(string[] args)
    {
        var kernelName = Option(args, "--kernel", LstmKernels.Fast);
        var threads = int.Parse(Option(args, "--threads", "2"), CultureInfo.InvariantCulture);
        var seconds = double.Parse(Option(args, "--seconds", "5"), CultureInfo.InvariantCulture);
        var shapes = Option(args, "--shapes", "1024:24:16:64,1024:52:16:32").Split(',');

        var perCore = FmaPeak(threads: 1, seconds: Math.Min(seconds, 2));
        var concurrent = FmaPeak(threads, seconds: Math.Min(seconds, 2));
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
            $$"""{"kernel":"{{kernelName}}","threads":{{threads}},"vector512":{{(Vector512.IsHardwareAccelerated ? "true" : "false")}},"peakGflopsPerCore":{{perCore:F2}},"peakGflops":{{perCore * threads:F2}},"peakGflopsConcurrent":{{concurrent:F2}},"shapes":[{{string.Join(",", results)}}]}"""));
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

    // fp32 GFLOP/s of independent 512-bit fused multiply-adds on `threads` threads at once.
    private static double FmaPeak(int threads, double seconds)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return double.NaN;
        }

        const long Iterations = 2_000_000;
        // Results land in an array so the loops are observable and cannot be dropped.
        var sink = new float[threads];
        sink[0] = FmaLoop(1_000_000);
        var best = 0.0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var start = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => sink[t] = FmaLoop(Iterations));
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, threads * Iterations * 12.0 * 16 * 2 / elapsed / 1e9);
        }

        return sink.All(float.IsFinite) ? best : double.NaN;
    }

    private static float FmaLoop(long iterations)
    {
        var m = Vector512.Create(0.999999f);
        var a = Vector512.Create(1e-7f);
        // Distinct starting values keep the twelve chains from being merged into one by the compiler.
        var s0 = Vector512.Create(1.00f); var s1 = Vector512.Create(1.01f); var s2 = Vector512.Create(1.02f); var s3 = Vector512.Create(1.03f);
        var s4 = Vector512.Create(1.04f); var s5 = Vector512.Create(1.05f); var s6 = Vector512.Create(1.06f); var s7 = Vector512.Create(1.07f);
        var s8 = Vector512.Create(1.08f); var s9 = Vector512.Create(1.09f); var s10 = Vector512.Create(1.10f); var s11 = Vector512.Create(1.11f);
        for (long i = 0; i < iterations; i++)
        {
            s0 = Vector512.FusedMultiplyAdd(s0, m, a); s1 = Vector512.FusedMultiplyAdd(s1, m, a);
            s2 = Vector512.FusedMultiplyAdd(s2, m, a); s3 = Vector512.FusedMultiplyAdd(s3, m, a);
            s4 = Vector512.FusedMultiplyAdd(s4, m, a); s5 = Vector512.FusedMultiplyAdd(s5, m, a);
            s6 = Vector512.FusedMultiplyAdd(s6, m, a); s7 = Vector512.FusedMultiplyAdd(s7, m, a);
            s8 = Vector512.FusedMultiplyAdd(s8, m, a); s9 = Vector512.FusedMultiplyAdd(s9, m, a);
            s10 = Vector512.FusedMultiplyAdd(s10, m, a); s11 = Vector512.FusedMultiplyAdd(s11, m, a);
        }

        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11);
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
