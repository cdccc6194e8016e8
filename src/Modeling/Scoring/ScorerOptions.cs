namespace Clv.Modeling.Scoring;

/// <summary>Where ONNX Runtime executes the model.</summary>
public enum ScoringExecutionProvider
{
    /// <summary>ONNX Runtime's CPU kernels. Always available.</summary>
    Cpu,

    /// <summary>NVIDIA CUDA on a GPU; falls back to <see cref="Cpu"/> with one warning when unavailable.</summary>
    Cuda,
}

/// <summary>Settings of a <see cref="ClvScorer"/>; change with <c>with</c>.</summary>
public sealed record ScorerOptions
{
    /// <summary>Requested execution provider. Default <see cref="ScoringExecutionProvider.Cpu"/>.</summary>
    /// <remarks><see cref="ScoringExecutionProvider.Cuda"/> needs the ONNX Runtime GPU native libraries and a GPU.</remarks>
    public ScoringExecutionProvider ExecutionProvider { get; init; } = ScoringExecutionProvider.Cpu;

    /// <summary>GPU ordinal used with <see cref="ScoringExecutionProvider.Cuda"/>. Default 0.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>
    /// Threads ONNX Runtime uses inside one run; 0 (default) lets ONNX Runtime pick one per physical core.
    /// Use 1 when many callers score concurrently (each run then stays on its caller's thread).
    /// </summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Customers per ONNX Runtime run in batch scoring. Default 64: ONNX Runtime's LSTM first computes
    /// the input projections of all <c>T</c> steps of a batch (<c>[T, batch, 4H]</c>), and a batch of 64
    /// keeps that in cache for typical <c>T</c> and <c>H</c> while the per-run overhead stays small;
    /// 1024 ran about 30% slower per customer on the benchmark (<c>bench/run.sh score</c>).
    /// </summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The largest <see cref="BatchSize"/>: 1,000,000.</summary>
    public const int MaxBatchSize = 1_000_000;

    /// <summary>Reads an execution provider as written in settings and flags: <c>cpu</c> or <c>cuda</c>, any case.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Any other value; the message names it and the valid ones.</exception>
    public static ScoringExecutionProvider ParseExecutionProvider(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "CPU" => ScoringExecutionProvider.Cpu,
        "CUDA" => ScoringExecutionProvider.Cuda,
        _ => throw new ArgumentOutOfRangeException(nameof(ExecutionProvider), value, $"ExecutionProvider must be 'cpu' or 'cuda', was '{value}'."),
    };

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(ExecutionProvider))
        {
            throw new ArgumentOutOfRangeException(nameof(ExecutionProvider), ExecutionProvider, $"ExecutionProvider must be 'cpu' or 'cuda', was '{ExecutionProvider}'.");
        }

        if (CudaDeviceId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CudaDeviceId), CudaDeviceId, "CudaDeviceId must not be negative.");
        }

        if (IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, "IntraOpThreads must not be negative (0 lets ONNX Runtime choose).");
        }

        if (BatchSize is < 1 or > MaxBatchSize)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"BatchSize must be in 1..{MaxBatchSize}.");
        }
    }
}
