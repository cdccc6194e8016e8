namespace Clv.Modeling.Lstm;

/// <summary>The register width the fast LSTM kernel, its matrix products and its activations run at.</summary>
public enum VectorWidth
{
    /// <summary>One float at a time, no vector instructions in the kernel's own loops.</summary>
    Scalar = 32,

    /// <summary>128-bit vectors: SSE on x64, AdvSimd (NEON) on ARM64.</summary>
    Bits128 = 128,

    /// <summary>256-bit vectors: AVX2 with FMA.</summary>
    Bits256 = 256,

    /// <summary>512-bit vectors: AVX-512.</summary>
    Bits512 = 512,
}
