using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clv.Modeling.Lstm;

/// <summary>
/// Exponential, logistic sigmoid and tanh for the LSTM gate activations, at every <see cref="VectorWidth"/>.
/// </summary>
/// <remarks>
/// <c>exp(x) = 2^n * p(r)</c> with <c>n = round(x / ln 2)</c>, <c>r = x - n ln 2</c> (ln 2 split in two
/// parts) and <c>p</c> the degree-7 Taylor polynomial, relative error about 2e-7 on <c>[-87, 88]</c>
/// (inputs are clamped there, so results saturate instead of overflowing).
/// <c>sigmoid(x) = 1 / (1 + exp(-x))</c> with a refined reciprocal estimate where the width has one;
/// <c>tanh(x) = 2 sigmoid(2x) - 1</c>, absolute error about 2e-7. The same formulas run at every width
/// (<see cref="ISimd{TVector}"/>), so only the rounding of fused against separate multiply-adds differs.
/// These sit inside the kernel's fused per-step loops, where <c>TensorPrimitives.Sigmoid</c> and
/// <c>Tanh</c> (one pass per call, and an exp accurate to the last ulp) would cost extra passes over
/// the gates.
/// </remarks>
internal static unsafe class VectorMath
{
    internal const float Log2E = 1.44269504088896341f;
    internal const float Ln2High = 0.693359375f;
    internal const float Ln2Low = -2.12194440e-4f;
    internal const float ExpMin = -87f;
    internal const float ExpMax = 88f;
    internal const float C2 = 0.5f;
    internal const float C3 = 1f / 6;
    internal const float C4 = 1f / 24;
    internal const float C5 = 1f / 120;
    internal const float C6 = 1f / 720;
    internal const float C7 = 1f / 5040;

    /// <summary><c>1 / (1 + e^-x)</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Sigmoid<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.Reciprocal(TSimd.Add(TSimd.One, TSimd.Exp(TSimd.Subtract(TSimd.Zero, x))));

    /// <summary><c>tanh(x)</c> per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Tanh<TSimd, TVector>(TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        TSimd.MultiplyAdd(TSimd.Create(2f), Sigmoid<TSimd, TVector>(TSimd.Add(x, x)), TSimd.Create(-1f));

    /// <summary><c>e^x</c> of each element at the given width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Exp(VectorWidth width, ReadOnlySpan<float> x, Span<float> destination) => Apply(width, Function.Exp, x, destination);

    /// <summary><c>1 / (1 + e^-x)</c> of each element at the given width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Sigmoid(VectorWidth width, ReadOnlySpan<float> x, Span<float> destination) => Apply(width, Function.Sigmoid, x, destination);

    /// <summary><c>tanh(x)</c> of each element at the given width.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Tanh(VectorWidth width, ReadOnlySpan<float> x, Span<float> destination) => Apply(width, Function.Tanh, x, destination);

    private enum Function
    {
        Exp,
        Sigmoid,
        Tanh,
    }

    private static void Apply(VectorWidth width, Function function, ReadOnlySpan<float> x, Span<float> destination)
    {
        if (destination.Length < x.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} elements; the input has {x.Length}.", nameof(destination));
        }

        LstmKernels.ThrowIfNotAccelerated(width);
        fixed (float* source = x)
        fixed (float* target = destination)
        {
            switch (width)
            {
                case VectorWidth.Bits512:
                    Apply<Simd512, Vector512<float>>(function, source, target, x.Length);
                    break;
                case VectorWidth.Bits256:
                    Apply<Simd256, Vector256<float>>(function, source, target, x.Length);
                    break;
                case VectorWidth.Bits128:
                    Apply<Simd128, Vector128<float>>(function, source, target, x.Length);
                    break;
                default:
                    Apply<SimdScalar, float>(function, source, target, x.Length);
                    break;
            }
        }
    }

    // Whole registers at the width, the tail one float at a time with the same formulas.
    private static void Apply<TSimd, TVector>(Function function, float* source, float* target, int length)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var i = 0;
        for (; i + TSimd.Count <= length; i += TSimd.Count)
        {
            TSimd.Store(Apply<TSimd, TVector>(function, TSimd.Load(source + i)), target + i);
        }

        for (; i < length; i++)
        {
            target[i] = Apply<SimdScalar, float>(function, source[i]);
        }
    }

    private static TVector Apply<TSimd, TVector>(Function function, TVector x)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct => function switch
        {
            Function.Exp => TSimd.Exp(x),
            Function.Sigmoid => Sigmoid<TSimd, TVector>(x),
            _ => Tanh<TSimd, TVector>(x),
        };
}
