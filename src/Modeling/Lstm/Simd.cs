using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Clv.Modeling.Lstm;

/// <summary>
/// The operations the kernel needs on one register of floats, at one width. The kernel's loops are generic
/// over an implementing struct, so the JIT compiles one specialised copy per width with every call inlined.
/// </summary>
/// <typeparam name="TVector">The register type: <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>,
/// <see cref="Vector128{T}"/> of <see cref="float"/>, or <see cref="float"/> itself.</typeparam>
internal unsafe interface ISimd<TVector>
    where TVector : struct
{
    /// <summary>Floats per register.</summary>
    static abstract int Count { get; }

    /// <summary>
    /// Whether the register file holds 32 registers of this width (AVX-512, AdvSimd), so that the matrix
    /// product can keep a 4 x 4-register tile of accumulators; otherwise (16 registers: AVX2, SSE, scalar)
    /// it uses 6 x 2-register tiles.
    /// </summary>
    static abstract bool WideRegisterFile { get; }

    static abstract TVector Zero { get; }

    static abstract TVector One { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(TVector value, float* destination);

    static abstract TVector Create(float value);

    /// <summary>The float at <paramref name="source"/> in every lane, read straight from memory where the hardware can.</summary>
    static abstract TVector Broadcast(float* source);

    static abstract TVector Add(TVector left, TVector right);

    static abstract TVector Subtract(TVector left, TVector right);

    static abstract TVector Multiply(TVector left, TVector right);

    /// <summary><c>a * b + c</c>, fused where the hardware has a fused multiply-add.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>The sum of the lanes.</summary>
    static abstract float Sum(TVector value);

    /// <summary><c>e^x</c> per lane; see <see cref="VectorMath"/> for the method and its error.</summary>
    static abstract TVector Exp(TVector x);

    /// <summary><c>1 / d</c> per lane for <c>d &gt;= 1</c>, to about one ulp.</summary>
    static abstract TVector Reciprocal(TVector d);
}

/// <summary>AVX-512: 16 floats, 32 registers.</summary>
internal readonly unsafe struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static bool WideRegisterFile => true;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    public static Vector512<float> One => Vector512<float>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float* source) => Vector512.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> left, Vector512<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> left, Vector512<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(VectorMath.ExpMin)), Vector512.Create(VectorMath.ExpMax));
        var n = Vector512.Round(x * Vector512.Create(VectorMath.Log2E));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-VectorMath.Ln2High), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-VectorMath.Ln2Low), r);
        var p = Vector512.Create(VectorMath.C7);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(VectorMath.C6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(VectorMath.C5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(VectorMath.C4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(VectorMath.C3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(VectorMath.C2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        return (p.AsInt32() + Vector512.ShiftLeft(Vector512.ConvertToInt32(n), 23)).AsSingle();
    }

    // 14-bit estimate and one Newton step.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reciprocal(Vector512<float> d)
    {
        if (!Avx512F.IsSupported)
        {
            return Vector512<float>.One / d;
        }

        var y = Avx512F.Reciprocal14(d);
        return y * Vector512.FusedMultiplyAdd(-d, y, Vector512.Create(2f));
    }
}

/// <summary>AVX2 with FMA: 8 floats, 16 registers.</summary>
internal readonly unsafe struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static bool WideRegisterFile => false;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    public static Vector256<float> One => Vector256<float>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float* source) => Vector256.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> left, Vector256<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> left, Vector256<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(VectorMath.ExpMin)), Vector256.Create(VectorMath.ExpMax));
        var n = Vector256.Round(x * Vector256.Create(VectorMath.Log2E));
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-VectorMath.Ln2High), x);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-VectorMath.Ln2Low), r);
        var p = Vector256.Create(VectorMath.C7);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(VectorMath.C6));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(VectorMath.C5));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(VectorMath.C4));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(VectorMath.C3));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(VectorMath.C2));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<float>.One);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<float>.One);
        return (p.AsInt32() + Vector256.ShiftLeft(Vector256.ConvertToInt32(n), 23)).AsSingle();
    }

    // 12-bit estimate and one Newton step.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Reciprocal(Vector256<float> d)
    {
        if (!Avx.IsSupported)
        {
            return Vector256<float>.One / d;
        }

        var y = Avx.Reciprocal(d);
        return y * Vector256.MultiplyAddEstimate(-d, y, Vector256.Create(2f));
    }
}

/// <summary>SSE on x64 (16 registers), AdvSimd on ARM64 (32 registers): 4 floats.</summary>
internal readonly unsafe struct Simd128 : ISimd<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static bool WideRegisterFile => AdvSimd.Arm64.IsSupported;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    public static Vector128<float> One => Vector128<float>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float value) => Vector128.Create(value);

    // AVX's vbroadcastss reads from memory on a load port; without it the JIT moves the float in and shuffles it, which
    // takes a slot on the port the additions need when there is no fused multiply-add.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float* source) =>
        Avx.IsSupported ? Avx.BroadcastScalarToVector128(source) : Vector128.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> left, Vector128<float> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> left, Vector128<float> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> left, Vector128<float> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(VectorMath.ExpMin)), Vector128.Create(VectorMath.ExpMax));
        var n = Vector128.Round(x * Vector128.Create(VectorMath.Log2E));
        var r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-VectorMath.Ln2High), x);
        r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-VectorMath.Ln2Low), r);
        var p = Vector128.Create(VectorMath.C7);
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(VectorMath.C6));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(VectorMath.C5));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(VectorMath.C4));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(VectorMath.C3));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(VectorMath.C2));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128<float>.One);
        p = Vector128.MultiplyAddEstimate(p, r, Vector128<float>.One);
        return (p.AsInt32() + Vector128.ShiftLeft(Vector128.ConvertToInt32(n), 23)).AsSingle();
    }

    // SSE: 12-bit estimate and one Newton step; AdvSimd: 8-bit estimate and two Newton steps.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Reciprocal(Vector128<float> d)
    {
        if (Sse.IsSupported)
        {
            var y = Sse.Reciprocal(d);
            return y * Vector128.MultiplyAddEstimate(-d, y, Vector128.Create(2f));
        }

        if (AdvSimd.IsSupported)
        {
            var y = AdvSimd.ReciprocalEstimate(d);
            y *= AdvSimd.ReciprocalStep(d, y);
            return y * AdvSimd.ReciprocalStep(d, y);
        }

        return Vector128<float>.One / d;
    }
}

/// <summary>One float: the kernel's loops without vector instructions.</summary>
internal readonly unsafe struct SimdScalar : ISimd<float>
{
    public static int Count => 1;

    public static bool WideRegisterFile => false;

    public static float Zero => 0f;

    public static float One => 1f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, float* destination) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Create(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float left, float right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float left, float right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float left, float right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float c) => float.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x)
    {
        x = Math.Min(Math.Max(x, VectorMath.ExpMin), VectorMath.ExpMax);
        var n = MathF.Round(x * VectorMath.Log2E);
        var r = float.MultiplyAddEstimate(n, -VectorMath.Ln2High, x);
        r = float.MultiplyAddEstimate(n, -VectorMath.Ln2Low, r);
        var p = VectorMath.C7;
        p = float.MultiplyAddEstimate(p, r, VectorMath.C6);
        p = float.MultiplyAddEstimate(p, r, VectorMath.C5);
        p = float.MultiplyAddEstimate(p, r, VectorMath.C4);
        p = float.MultiplyAddEstimate(p, r, VectorMath.C3);
        p = float.MultiplyAddEstimate(p, r, VectorMath.C2);
        p = float.MultiplyAddEstimate(p, r, 1f);
        p = float.MultiplyAddEstimate(p, r, 1f);
        return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(p) + ((int)n << 23));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Reciprocal(float d) => 1f / d;
}
