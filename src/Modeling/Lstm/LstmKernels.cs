namespace Clv.Modeling.Lstm;

/// <summary>The LSTM kernel implementations by name, so tests and benchmarks run each one.</summary>
internal static class LstmKernels
{
    /// <summary>Plain double-precision reference, one sequence at a time.</summary>
    public const string Reference = "reference";

    /// <summary>Blocked SIMD fp32, batch-parallel.</summary>
    public const string Fast = "fast";

    /// <summary>Factories taking (shape, steps, thread count).</summary>
    public static IReadOnlyDictionary<string, Func<LstmShape, int, int, ILstmKernel>> Factories { get; } =
        new Dictionary<string, Func<LstmShape, int, int, ILstmKernel>>(StringComparer.Ordinal)
        {
            [Reference] = (shape, steps, _) => new ReferenceLstm(shape, steps),
            [Fast] = (shape, steps, threads) => new FastLstm(shape, steps, threads),
        };

    /// <summary>Creates the kernel named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No kernel has that name.</exception>
    public static ILstmKernel Create(string name, LstmShape shape, int steps, int threadCount) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(shape, steps, threadCount)
            : throw new ArgumentException($"Unknown LSTM kernel '{name}'; known: {string.Join(", ", Factories.Keys)}.", nameof(name));
}
