using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Clv.Modeling.Lstm;

/// <summary>
/// Single-threaded, register-blocked matrix multiply-accumulate for the LSTM kernel, fp32, row-major.
/// </summary>
/// <remarks>
/// <c>C[m, n] (+)= sum_k A(m, k) * B[k, n]</c>. <c>A</c> is addressed through two strides so the same
/// kernel serves <c>A</c> stored <c>[M, K]</c> (<see cref="MultiplyAdd"/>) and stored <c>[K, M]</c>
/// (<see cref="MultiplyAddTransposedA"/>). With AVX-512 the work is cut into tiles of 4 rows by 64, 32
/// or 16 columns whose accumulators stay in registers for the whole <c>K</c> loop (one broadcast of
/// <c>A</c> per row, one load of <c>B</c> per 16 columns, one fused multiply-add per pair); rows and
/// columns left over go through a one-row vector tile and a scalar loop. <c>K</c> is walked in blocks of
/// 128 so the strip of <c>B</c> that a column block reads stays in L1 while every row tile passes over it. Without AVX-512 every row is
/// a sequence of <see cref="TensorPrimitives.MultiplyAdd(ReadOnlySpan{float}, float, ReadOnlySpan{float}, Span{float})"/>
/// calls. The summation order over <c>k</c> is fixed, so results are reproducible run to run.
/// </remarks>
internal static unsafe class Gemm
{
    private const int Rows = 4;
    private const int Lanes = 16;
    private const int DepthBlock = 128;

    /// <summary><c>C[M, N] = A[M, K] * B[K, N]</c>.</summary>
    public static void Multiply(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k) =>
        Run(a, lda, 1, b, ldb, c, ldc, m, n, k, accumulate: false);

    /// <summary><c>C[M, N] += A[M, K] * B[K, N]</c>.</summary>
    public static void MultiplyAdd(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k) =>
        Run(a, lda, 1, b, ldb, c, ldc, m, n, k, accumulate: true);

    /// <summary><c>C[M, N] += A[K, M]^T * B[K, N]</c>.</summary>
    public static void MultiplyAddTransposedA(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k) =>
        Run(a, 1, lda, b, ldb, c, ldc, m, n, k, accumulate: true);

    private static void Run(float* a, int aRowStride, int aDepthStride, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (m <= 0 || n <= 0)
        {
            return;
        }

        if (k <= 0 || !Vector512.IsHardwareAccelerated)
        {
            if (!accumulate)
            {
                for (var row = 0; row < m; row++)
                {
                    new Span<float>(c + (row * ldc), n).Clear();
                }
            }

            RunPortable(a, aRowStride, aDepthStride, b, ldb, c, ldc, m, n, Math.Max(k, 0));
            return;
        }

        // Depth in blocks so the panel of B a column strip reads stays in L1 across all row tiles.
        var column = 0;
        for (var depth = 0; depth < k; depth += DepthBlock)
        {
            var chunk = Math.Min(DepthBlock, k - depth);
            column = RunVector512(a + (depth * aDepthStride), aRowStride, aDepthStride, b + (depth * ldb), ldb, c, ldc, m, n, chunk, accumulate || depth > 0);
        }

        if (column < n)
        {
            if (!accumulate)
            {
                for (var row = 0; row < m; row++)
                {
                    new Span<float>(c + (row * ldc) + column, n - column).Clear();
                }
            }

            RunPortable(a, aRowStride, aDepthStride, b + column, ldb, c + column, ldc, m, n - column, k);
        }
    }

    // Returns the first column not covered (a multiple of 16).
    private static int RunVector512(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        var fullRows = m - (m % Rows);
        var column = 0;
        for (; column + (4 * Lanes) <= n; column += 4 * Lanes)
        {
            for (var row = 0; row < fullRows; row += Rows)
            {
                Tile4x64(a + (row * rs), rs, ds, b + column, ldb, c + (row * ldc) + column, ldc, k, accumulate);
            }
        }

        for (; column + (2 * Lanes) <= n; column += 2 * Lanes)
        {
            for (var row = 0; row < fullRows; row += Rows)
            {
                Tile4x32(a + (row * rs), rs, ds, b + column, ldb, c + (row * ldc) + column, ldc, k, accumulate);
            }
        }

        for (; column + Lanes <= n; column += Lanes)
        {
            for (var row = 0; row < fullRows; row += Rows)
            {
                Tile4x16(a + (row * rs), rs, ds, b + column, ldb, c + (row * ldc) + column, ldc, k, accumulate);
            }
        }

        for (var row = fullRows; row < m; row++)
        {
            for (var j = 0; j < column; j += Lanes)
            {
                Tile1x16(a + (row * rs), ds, b + j, ldb, c + (row * ldc) + j, k, accumulate);
            }
        }

        return column;
    }

    // Any width: one row at a time, each k a vectorised axpy over the row of B.
    private static void RunPortable(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int m, int n, int k)
    {
        for (var row = 0; row < m; row++)
        {
            var cRow = new Span<float>(c + (row * ldc), n);
            var aRow = a + (row * rs);
            for (var depth = 0; depth < k; depth++)
            {
                var bRow = new ReadOnlySpan<float>(b + (depth * ldb), n);
                TensorPrimitives.MultiplyAdd(bRow, aRow[depth * ds], cRow, cRow);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Start(float* c, bool accumulate) => accumulate ? Vector512.Load(c) : Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    private static void Tile4x64(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
    {
        float* c0 = c, c1 = c + ldc, c2 = c + (2 * ldc), c3 = c + (3 * ldc);
        var s00 = Start(c0, accumulate); var s01 = Start(c0 + 16, accumulate); var s02 = Start(c0 + 32, accumulate); var s03 = Start(c0 + 48, accumulate);
        var s10 = Start(c1, accumulate); var s11 = Start(c1 + 16, accumulate); var s12 = Start(c1 + 32, accumulate); var s13 = Start(c1 + 48, accumulate);
        var s20 = Start(c2, accumulate); var s21 = Start(c2 + 16, accumulate); var s22 = Start(c2 + 32, accumulate); var s23 = Start(c2 + 48, accumulate);
        var s30 = Start(c3, accumulate); var s31 = Start(c3 + 16, accumulate); var s32 = Start(c3 + 32, accumulate); var s33 = Start(c3 + 48, accumulate);
        var a1 = a + rs;
        var a2 = a + (2 * rs);
        var a3 = a + (3 * rs);
        for (var depth = 0; depth < k; depth++)
        {
            var bRow = b + (depth * ldb);
            var b0 = Vector512.Load(bRow); var b1 = Vector512.Load(bRow + 16); var b2 = Vector512.Load(bRow + 32); var b3 = Vector512.Load(bRow + 48);
            var offset = depth * ds;
            var x = Vector512.Create(a[offset]);
            s00 = Fma(x, b0, s00); s01 = Fma(x, b1, s01); s02 = Fma(x, b2, s02); s03 = Fma(x, b3, s03);
            x = Vector512.Create(a1[offset]);
            s10 = Fma(x, b0, s10); s11 = Fma(x, b1, s11); s12 = Fma(x, b2, s12); s13 = Fma(x, b3, s13);
            x = Vector512.Create(a2[offset]);
            s20 = Fma(x, b0, s20); s21 = Fma(x, b1, s21); s22 = Fma(x, b2, s22); s23 = Fma(x, b3, s23);
            x = Vector512.Create(a3[offset]);
            s30 = Fma(x, b0, s30); s31 = Fma(x, b1, s31); s32 = Fma(x, b2, s32); s33 = Fma(x, b3, s33);
        }

        s00.Store(c0); s01.Store(c0 + 16); s02.Store(c0 + 32); s03.Store(c0 + 48);
        s10.Store(c1); s11.Store(c1 + 16); s12.Store(c1 + 32); s13.Store(c1 + 48);
        s20.Store(c2); s21.Store(c2 + 16); s22.Store(c2 + 32); s23.Store(c2 + 48);
        s30.Store(c3); s31.Store(c3 + 16); s32.Store(c3 + 32); s33.Store(c3 + 48);
    }

    private static void Tile4x32(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
    {
        float* c0 = c, c1 = c + ldc, c2 = c + (2 * ldc), c3 = c + (3 * ldc);
        var s00 = Start(c0, accumulate); var s01 = Start(c0 + 16, accumulate);
        var s10 = Start(c1, accumulate); var s11 = Start(c1 + 16, accumulate);
        var s20 = Start(c2, accumulate); var s21 = Start(c2 + 16, accumulate);
        var s30 = Start(c3, accumulate); var s31 = Start(c3 + 16, accumulate);
        var a1 = a + rs;
        var a2 = a + (2 * rs);
        var a3 = a + (3 * rs);
        for (var depth = 0; depth < k; depth++)
        {
            var bRow = b + (depth * ldb);
            var b0 = Vector512.Load(bRow); var b1 = Vector512.Load(bRow + 16);
            var offset = depth * ds;
            var x = Vector512.Create(a[offset]);
            s00 = Fma(x, b0, s00); s01 = Fma(x, b1, s01);
            x = Vector512.Create(a1[offset]);
            s10 = Fma(x, b0, s10); s11 = Fma(x, b1, s11);
            x = Vector512.Create(a2[offset]);
            s20 = Fma(x, b0, s20); s21 = Fma(x, b1, s21);
            x = Vector512.Create(a3[offset]);
            s30 = Fma(x, b0, s30); s31 = Fma(x, b1, s31);
        }

        s00.Store(c0); s01.Store(c0 + 16);
        s10.Store(c1); s11.Store(c1 + 16);
        s20.Store(c2); s21.Store(c2 + 16);
        s30.Store(c3); s31.Store(c3 + 16);
    }

    private static void Tile4x16(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
    {
        float* c0 = c, c1 = c + ldc, c2 = c + (2 * ldc), c3 = c + (3 * ldc);
        var s0 = Start(c0, accumulate);
        var s1 = Start(c1, accumulate);
        var s2 = Start(c2, accumulate);
        var s3 = Start(c3, accumulate);
        var a1 = a + rs;
        var a2 = a + (2 * rs);
        var a3 = a + (3 * rs);
        for (var depth = 0; depth < k; depth++)
        {
            var b0 = Vector512.Load(b + (depth * ldb));
            var offset = depth * ds;
            s0 = Fma(Vector512.Create(a[offset]), b0, s0);
            s1 = Fma(Vector512.Create(a1[offset]), b0, s1);
            s2 = Fma(Vector512.Create(a2[offset]), b0, s2);
            s3 = Fma(Vector512.Create(a3[offset]), b0, s3);
        }

        s0.Store(c0);
        s1.Store(c1);
        s2.Store(c2);
        s3.Store(c3);
    }

    private static void Tile1x16(float* a, int ds, float* b, int ldb, float* c, int k, bool accumulate)
    {
        var s = Start(c, accumulate);
        for (var depth = 0; depth < k; depth++)
        {
            s = Fma(Vector512.Create(a[depth * ds]), Vector512.Load(b + (depth * ldb)), s);
        }

        s.Store(c);
    }
}
