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

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(ExecutionProvider))
        {
            throw new ArgumentOutOfRangeException(nameof(ExecutionProvider), ExecutionProvider, "Execution provider must be 'cpu' or 'cuda'.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(CudaDeviceId);
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1);
    }
}
