using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Clv.Modeling.Lstm;

/// <summary>
/// The LSTM kernel implementations by name, and the vector widths the fast one runs at, so tests and
/// benchmarks run each one.
/// </summary>
/// <remarks>
/// The fast kernel's width is chosen once per process: the widest one the hardware accelerates
/// (<see cref="Vector512.IsHardwareAccelerated"/>, then <see cref="Vector256"/>, then <see cref="Vector128"/>,
/// else scalar), unless the environment variable <c>CLV_KERNEL</c> names one (<c>avx512</c>, <c>avx2</c>,
/// <c>sse</c> or <c>neon</c>, <c>scalar</c>; or <c>512</c>, <c>256</c>, <c>128</c>). The runtime's own switches
/// (<c>DOTNET_EnableAVX512F=0</c>, <c>DOTNET_EnableAVX2=0</c>) narrow what counts as accelerated, and with it
/// the default.
/// </remarks>
internal static class LstmKernels
{
    /// <summary>The environment variable that forces the fast kernel's width.</summary>
    public const string WidthVariable = "CLV_KERNEL";

    /// <summary>Plain double-precision reference, one sequence at a time.</summary>
    public const string Reference = "reference";

    /// <summary>Blocked SIMD fp32, batch-parallel, at <see cref="Width"/>.</summary>
    public const string Fast = "fast";

    private static readonly Lazy<VectorWidth> Selected = new(() => Select(Environment.GetEnvironmentVariable(WidthVariable)));

    /// <summary>Factories taking (shape, steps, thread count).</summary>
    public static IReadOnlyDictionary<string, Func<LstmShape, int, int, ILstmKernel>> Factories { get; } =
        new Dictionary<string, Func<LstmShape, int, int, ILstmKernel>>(StringComparer.Ordinal)
        {
            [Reference] = (shape, steps, _) => new ReferenceLstm(shape, steps),
            [Fast] = (shape, steps, threads) => new FastLstm(shape, steps, threads),
        };

    /// <summary>Every width this machine accelerates, widest first; <see cref="VectorWidth.Scalar"/> always.</summary>
    public static IReadOnlyList<VectorWidth> AcceleratedWidths { get; } = Accelerated();

    /// <summary>The width the fast kernel runs at in this process.</summary>
    /// <exception cref="InvalidOperationException"><c>CLV_KERNEL</c> names an unknown width, or one this machine does not accelerate.</exception>
    public static VectorWidth Width => Selected.Value;

    /// <summary>Creates the kernel named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No kernel has that name.</exception>
    public static ILstmKernel Create(string name, LstmShape shape, int steps, int threadCount) =>
        Factories.TryGetValue(name, out var factory)
            ? factory(shape, steps, threadCount)
            : throw new ArgumentException($"Unknown LSTM kernel '{name}'; known: {string.Join(", ", Factories.Keys)}.", nameof(name));

    /// <summary>The instruction set a width uses on this machine: <c>avx512</c>, <c>avx2</c>, <c>sse</c>, <c>neon</c> or <c>scalar</c>.</summary>
    public static string InstructionSet(VectorWidth width) => width switch
    {
        VectorWidth.Bits512 => "avx512",
        VectorWidth.Bits256 => "avx2",
        VectorWidth.Bits128 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "neon" : "sse",
        _ => "scalar",
    };

    /// <summary>The width a <c>CLV_KERNEL</c> value names, or the widest accelerated one when it is empty.</summary>
    /// <exception cref="InvalidOperationException">The value names no width, or one this machine does not accelerate.</exception>
    public static VectorWidth Select(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return AcceleratedWidths[0];
        }

        VectorWidth? width = value.Trim().ToLowerInvariant() switch
        {
            "avx512" or "512" => VectorWidth.Bits512,
            "avx2" or "256" => VectorWidth.Bits256,
            "sse" or "neon" or "128" => VectorWidth.Bits128,
            "scalar" => VectorWidth.Scalar,
            _ => null,
        };
        if (width is null)
        {
            throw new InvalidOperationException($"{WidthVariable}='{value}' names no kernel width; use avx512, avx2, sse, neon or scalar (or 512, 256, 128).");
        }

        if (!AcceleratedWidths.Contains(width.Value))
        {
            throw new InvalidOperationException(
                $"{WidthVariable}='{value}' asks for {(int)width.Value}-bit vectors, which this machine does not accelerate; accelerated: {string.Join(", ", AcceleratedWidths.Select(InstructionSet))}.");
        }

        return width.Value;
    }

    /// <exception cref="NotSupportedException">This machine does not accelerate <paramref name="width"/>.</exception>
    internal static void ThrowIfNotAccelerated(VectorWidth width)
    {
        if (!AcceleratedWidths.Contains(width))
        {
            throw new NotSupportedException($"This machine does not accelerate {(int)width}-bit vectors; accelerated: {string.Join(", ", AcceleratedWidths.Select(InstructionSet))}.");
        }
    }

    private static VectorWidth[] Accelerated()
    {
        var widths = new List<VectorWidth>();
        if (Vector512.IsHardwareAccelerated)
        {
            widths.Add(VectorWidth.Bits512);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            widths.Add(VectorWidth.Bits256);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            widths.Add(VectorWidth.Bits128);
        }

        widths.Add(VectorWidth.Scalar);
        return [.. widths];
    }
}
