using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Clv.Modeling.Lstm;

/// <summary>
/// Exponential, logistic sigmoid and tanh on 16 floats at a time, for the LSTM gate activations.
/// </summary>
/// <remarks>
/// <c>exp(x) = 2^n * p(r)</c> with <c>n = round(x / ln 2)</c>, <c>r = x - n ln 2</c> (ln 2 split in two
/// parts) and <c>p</c> the degree-7 Taylor polynomial, relative error about 2e-7 on <c>[-87, 88]</c>
/// (inputs are clamped there, so results saturate instead of overflowing).
/// <c>sigmoid(x) = 1 / (1 + exp(-x))</c> with a refined AVX-512 reciprocal estimate;
/// <c>tanh(x) = 2 sigmoid(2x) - 1</c>, absolute error about 2e-7. Shorter than the general-purpose
/// <c>Vector512.Exp</c>, which widens to double; the gate activations dominate the non-matrix time.
/// </remarks>
internal static class VectorMath
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;

    /// <summary><c>e^x</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87f)), Vector512.Create(88f));
        var n = Vector512.Round(x * Vector512.Create(Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        var p = Vector512.Create(1f / 5040);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 720));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n), 23);
        return (p.AsInt32() + scale).AsSingle();
    }

    /// <summary><c>1 / (1 + e^-x)</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => Reciprocal(Vector512<float>.One + Exp(-x));

    /// <summary><c>tanh(x)</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x) =>
        Vector512.FusedMultiplyAdd(Vector512.Create(2f), Sigmoid(x + x), -Vector512<float>.One);

    // 1 / d for d >= 1: 14-bit estimate and one Newton step (about 1 ulp), or a division without AVX-512F.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reciprocal(Vector512<float> d)
    {
        if (!Avx512F.IsSupported)
        {
            return Vector512<float>.One / d;
        }

        var y = Avx512F.Reciprocal14(d);
        return y * Vector512.FusedMultiplyAdd(-d, y, Vector512.Create(2f));
    }
}
