using System.Globalization;
using System.Runtime.Intrinsics;

namespace Clv.Modeling.Ingest;

/// <summary>The widest vector, in bits, that the featurizer's record splitter uses: 512, 256, 128, or 0 (scalar).</summary>
/// <remarks>
/// <see cref="Default"/> is chosen once per process: the widest width the hardware accelerates, or a narrower one forced
/// with the environment variable <c>CLV_FEATURIZE_VECTOR_BITS</c> (<c>512</c>, <c>256</c>, <c>128</c> or <c>0</c>). The
/// runtime's own switches (<c>DOTNET_EnableAVX512F=0</c>, <c>DOTNET_EnableAVX2=0</c>) narrow what the hardware is seen to
/// accelerate, and so the default too. Every width gives the same fields; only the speed differs.
/// </remarks>
public static class ParserVectorWidth
{
    /// <summary>The environment variable that forces a narrower width.</summary>
    public const string EnvironmentVariable = "CLV_FEATURIZE_VECTOR_BITS";

    /// <summary>Every width this machine can run, widest first, always ending with 0 (scalar).</summary>
    public static IReadOnlyList<int> Supported { get; } = [.. new[] { 512, 256, 128, 0 }.Where(IsSupported)];

    /// <summary>The width every parser uses unless told otherwise (set after <see cref="Supported"/>, which it reads).</summary>
    public static int Default { get; } = Choose(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Whether <paramref name="bits"/> (512, 256, 128 or 0) is accelerated on this machine.</summary>
    public static bool IsSupported(int bits) => bits switch
    {
        512 => Vector512.IsHardwareAccelerated,
        256 => Vector256.IsHardwareAccelerated,
        128 => Vector128.IsHardwareAccelerated,
        0 => true,
        _ => false,
    };

    /// <summary>The width for a value of <see cref="EnvironmentVariable"/>: the widest accelerated one when unset.</summary>
    /// <exception cref="InvalidOperationException">The value is not one of 512, 256, 128, 0, or names a width this machine does not accelerate.</exception>
    internal static int Choose(string? forced)
    {
        if (string.IsNullOrWhiteSpace(forced))
        {
            return Supported[0];
        }

        if (!int.TryParse(forced.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bits) || bits is not (512 or 256 or 128 or 0))
        {
            throw new InvalidOperationException($"{EnvironmentVariable}='{forced}' is not a vector width; expected 512, 256, 128 or 0 (scalar).");
        }

        if (!IsSupported(bits))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable}={bits}: this process does not accelerate {bits}-bit vectors (the CPU, or the runtime's DOTNET_Enable* settings, rule them out); it runs {string.Join(", ", Supported)}.");
        }

        return bits;
    }
}
