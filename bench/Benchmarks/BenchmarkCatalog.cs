namespace Clv.Benchmarks;

/// <summary>Name-to-benchmark map of the harness: <c>Clv.Benchmarks NAME [ARGS...]</c>.</summary>
internal static class BenchmarkCatalog
{
    private static readonly Dictionary<string, Func<string[], int>> Benchmarks = new(StringComparer.Ordinal)
    {
        ["machine"] = MachineInfo.Run,
        ["score"] = ScoreBenchmark.Run,
        ["featurize"] = FeaturizeBenchmark.Run,
        ["duckdb"] = DuckDbFeaturizePeer.Run,
        ["train"] = TrainBenchmark.Run,
        ["baselines"] = BaselineFitBenchmark.Run,
    };

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var benchmark))
        {
            Console.Error.WriteLine($"usage: Clv.Benchmarks NAME [ARGS...]; names: {string.Join(", ", Benchmarks.Keys)}");
            return 2;
        }

        return benchmark(args[1..]);
    }
}
