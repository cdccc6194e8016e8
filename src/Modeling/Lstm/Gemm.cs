using System.Runtime.CompilerServices;

namespace Clv.Modeling.Lstm;

/// <summary>
/// Single-threaded, register-blocked matrix multiply-accumulate for the LSTM kernel, fp32, row-major, at
/// any <see cref="VectorWidth"/>.
/// </summary>
/// <remarks>
/// <c>C[m, n] (+)= sum_k A(m, k) * B[k, n]</c>. <c>A</c> is addressed through two strides so the same
/// kernel serves <c>A</c> stored <c>[M, K]</c> (<see cref="MultiplyAdd{TSimd, TVector}"/>) and stored
/// <c>[K, M]</c> (<see cref="MultiplyAddTransposedA{TSimd, TVector}"/>). The work is cut into tiles whose
/// accumulators stay in registers for the whole <c>K</c> loop: one broadcast of <c>A</c> per row, one load
/// of <c>B</c> per register of columns, one multiply-add per pair. With 32 registers (AVX-512, AdvSimd)
/// tiles are 4 rows by 4, 2 or 1 registers (16 accumulators); with 16 (AVX2, SSE) they are 6 rows by 2 or
/// 1 registers (12 accumulators, 2 of <c>B</c> and the broadcast), then 4 rows; rows left over go
/// through one-row tiles of 4 and 1 registers and columns left over (fewer than one register) through a
/// scalar loop. <c>K</c> is walked in blocks of 128 so the strip of <c>B</c> that a column block reads
/// stays in L1 while every row tile passes over it; the strip is first copied into contiguous rows (when a
/// row of it is at least a cache line), because rows of <c>B</c> lie 4H floats apart (1 KiB at H = 64),
/// fall into few cache sets and would evict each other. Inside a tile, pointers step through <c>k</c> (no
/// index arithmetic per step): at 128 bits without a fused multiply-add the loop issues two instructions
/// per pair, and integer work would compete with them for issue slots. The summation order over <c>k</c>
/// is fixed, so results are reproducible run to run at a given width.
/// </remarks>
[SkipLocalsInit]
internal static unsafe class Gemm
{
    private const int DepthBlock = 128;

    // Panels narrower than a cache line are read in place: each row of B is then one line either way.
    private const int CacheLineBytes = 64;

    /// <summary><c>C[M, N] = A[M, K] * B[K, N]</c>.</summary>
    public static void Multiply<TSimd, TVector>(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        Run<TSimd, TVector>(a, lda, 1, b, ldb, c, ldc, m, n, k, accumulate: false);

    /// <summary><c>C[M, N] += A[M, K] * B[K, N]</c>.</summary>
    public static void MultiplyAdd<TSimd, TVector>(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        Run<TSimd, TVector>(a, lda, 1, b, ldb, c, ldc, m, n, k, accumulate: true);

    /// <summary><c>C[M, N] += A[K, M]^T * B[K, N]</c>.</summary>
    public static void MultiplyAddTransposedA<TSimd, TVector>(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct =>
        Run<TSimd, TVector>(a, 1, lda, b, ldb, c, ldc, m, n, k, accumulate: true);

    private static void Run<TSimd, TVector>(float* a, int aRowStride, int aDepthStride, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        if (m <= 0 || n <= 0)
        {
            return;
        }

        k = Math.Max(k, 0);
        var covered = n - (n % TSimd.Count);
        if (k == 0 || covered == 0)
        {
            covered = 0;
        }
        else
        {
            // Depth in blocks so the panel of B a column strip reads stays in L1 across all row tiles.
            for (var depth = 0; depth < k; depth += DepthBlock)
            {
                var chunk = Math.Min(DepthBlock, k - depth);
                var aBlock = a + (depth * aDepthStride);
                var bBlock = b + (depth * ldb);
                var add = accumulate || depth > 0;
                if (TSimd.WideRegisterFile)
                {
                    RunWide<TSimd, TVector>(aBlock, aRowStride, aDepthStride, bBlock, ldb, c, ldc, m, covered, chunk, add);
                }
                else
                {
                    RunNarrow<TSimd, TVector>(aBlock, aRowStride, aDepthStride, bBlock, ldb, c, ldc, m, covered, chunk, add);
                }
            }
        }

        if (covered < n)
        {
            RunScalar(a, aRowStride, aDepthStride, b + covered, ldb, c + covered, ldc, m, n - covered, k, accumulate);
        }
    }

    // 32 registers: 4-row tiles of 4, 2 and 1 registers; n is a multiple of the register width.
    private static void RunWide<TSimd, TVector>(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var lanes = TSimd.Count;
        var fullRows = m - (m % 4);
        var column = 0;
        var width = 4 * lanes;
        var panel = stackalloc float[DepthBlock * width];
        for (; column + width <= n; column += width)
        {
            Pack(b + column, ldb, panel, width, k);
            for (var row = 0; row < fullRows; row += 4)
            {
                Tile4x4<TSimd, TVector>(a + (row * rs), rs, ds, panel, width, c + (row * ldc) + column, ldc, k, accumulate);
            }
        }

        for (; column + (2 * lanes) <= n; column += 2 * lanes)
        {
            for (var row = 0; row < fullRows; row += 4)
            {
                Tile4x2<TSimd, TVector>(a + (row * rs), rs, ds, b + column, ldb, c + (row * ldc) + column, ldc, k, accumulate);
            }
        }

        for (; column < n; column += lanes)
        {
            for (var row = 0; row < fullRows; row += 4)
            {
                Tile4x1<TSimd, TVector>(a + (row * rs), rs, ds, b + column, ldb, c + (row * ldc) + column, ldc, k, accumulate);
            }
        }

        RemainingRows<TSimd, TVector>(a, rs, ds, b, ldb, c, ldc, fullRows, m, n, k, accumulate);
    }

    // 16 registers: 6-row tiles of 2 and 1 registers, then a 4-row tile; n is a multiple of the register width.
    private static void RunNarrow<TSimd, TVector>(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var lanes = TSimd.Count;
        var sixRows = m - (m % 6);
        var fullRows = m - sixRows >= 4 ? sixRows + 4 : sixRows;
        var column = 0;
        var width = 2 * lanes;
        var pack = width * sizeof(float) >= CacheLineBytes;
        var panel = stackalloc float[pack ? DepthBlock * width : 0];
        for (; column + width <= n; column += width)
        {
            var strip = b + column;
            var stride = ldb;
            if (pack)
            {
                Pack(strip, ldb, panel, width, k);
                strip = panel;
                stride = width;
            }

            for (var row = 0; row < sixRows; row += 6)
            {
                Tile6x2<TSimd, TVector>(a + (row * rs), rs, ds, strip, stride, c + (row * ldc) + column, ldc, k, accumulate);
            }

            if (fullRows > sixRows)
            {
                Tile4x2<TSimd, TVector>(a + (sixRows * rs), rs, ds, strip, stride, c + (sixRows * ldc) + column, ldc, k, accumulate);
            }
        }

        for (; column < n; column += lanes)
        {
            for (var row = 0; row < sixRows; row += 6)
            {
                Tile6x1<TSimd, TVector>(a + (row * rs), rs, ds, b + column, ldb, c + (row * ldc) + column, ldc, k, accumulate);
            }

            if (fullRows > sixRows)
            {
                Tile4x1<TSimd, TVector>(a + (sixRows * rs), rs, ds, b + column, ldb, c + (sixRows * ldc) + column, ldc, k, accumulate);
            }
        }

        RemainingRows<TSimd, TVector>(a, rs, ds, b, ldb, c, ldc, fullRows, m, n, k, accumulate);
    }

    // Copies the panel B[0..k, 0..width] into contiguous rows, so the panel every row tile rereads is one block
    // of memory (see the remarks above).
    private static void Pack(float* b, int ldb, float* panel, int width, int k)
    {
        var bytes = (uint)(width * sizeof(float));
        for (var depth = 0; depth < k; depth++)
        {
            Unsafe.CopyBlockUnaligned(panel + (depth * width), b + (depth * ldb), bytes);
        }
    }

    private static void RemainingRows<TSimd, TVector>(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int firstRow, int m, int n, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var lanes = TSimd.Count;
        for (var row = firstRow; row < m; row++)
        {
            var column = 0;
            for (; column + (4 * lanes) <= n; column += 4 * lanes)
            {
                Tile1x4<TSimd, TVector>(a + (row * rs), ds, b + column, ldb, c + (row * ldc) + column, k, accumulate);
            }

            for (; column < n; column += lanes)
            {
                Tile1x1<TSimd, TVector>(a + (row * rs), ds, b + column, ldb, c + (row * ldc) + column, k, accumulate);
            }
        }
    }

    // Columns narrower than one register: one float at a time, the same summation order over k.
    private static void RunScalar(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        for (var row = 0; row < m; row++)
        {
            var aRow = a + (row * rs);
            var cRow = c + (row * ldc);
            for (var column = 0; column < n; column++)
            {
                var sum = accumulate ? cRow[column] : 0f;
                for (var depth = 0; depth < k; depth++)
                {
                    sum = float.MultiplyAddEstimate(aRow[depth * ds], b[(depth * ldb) + column], sum);
                }

                cRow[column] = sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Start<TSimd, TVector>(float* c, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct => accumulate ? TSimd.Load(c) : TSimd.Zero;

    private static void Tile4x4<TSimd, TVector>(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var l = TSimd.Count;
        float* c0 = c, c1 = c + ldc, c2 = c + (2 * ldc), c3 = c + (3 * ldc);
        var s00 = Start<TSimd, TVector>(c0, accumulate); var s01 = Start<TSimd, TVector>(c0 + l, accumulate); var s02 = Start<TSimd, TVector>(c0 + (2 * l), accumulate); var s03 = Start<TSimd, TVector>(c0 + (3 * l), accumulate);
        var s10 = Start<TSimd, TVector>(c1, accumulate); var s11 = Start<TSimd, TVector>(c1 + l, accumulate); var s12 = Start<TSimd, TVector>(c1 + (2 * l), accumulate); var s13 = Start<TSimd, TVector>(c1 + (3 * l), accumulate);
        var s20 = Start<TSimd, TVector>(c2, accumulate); var s21 = Start<TSimd, TVector>(c2 + l, accumulate); var s22 = Start<TSimd, TVector>(c2 + (2 * l), accumulate); var s23 = Start<TSimd, TVector>(c2 + (3 * l), accumulate);
        var s30 = Start<TSimd, TVector>(c3, accumulate); var s31 = Start<TSimd, TVector>(c3 + l, accumulate); var s32 = Start<TSimd, TVector>(c3 + (2 * l), accumulate); var s33 = Start<TSimd, TVector>(c3 + (3 * l), accumulate);
        nint r1 = rs, r2 = 2 * (nint)rs, r3 = 3 * (nint)rs, aStep = ds, bStep = ldb;
        var aColumn = a;
        var bRow = b;
        for (var depth = 0; depth < k; depth++)
        {
            var b0 = TSimd.Load(bRow); var b1 = TSimd.Load(bRow + l); var b2 = TSimd.Load(bRow + (2 * l)); var b3 = TSimd.Load(bRow + (3 * l));
            var x = TSimd.Broadcast(aColumn);
            s00 = TSimd.MultiplyAdd(x, b0, s00); s01 = TSimd.MultiplyAdd(x, b1, s01); s02 = TSimd.MultiplyAdd(x, b2, s02); s03 = TSimd.MultiplyAdd(x, b3, s03);
            x = TSimd.Broadcast(aColumn + r1);
            s10 = TSimd.MultiplyAdd(x, b0, s10); s11 = TSimd.MultiplyAdd(x, b1, s11); s12 = TSimd.MultiplyAdd(x, b2, s12); s13 = TSimd.MultiplyAdd(x, b3, s13);
            x = TSimd.Broadcast(aColumn + r2);
            s20 = TSimd.MultiplyAdd(x, b0, s20); s21 = TSimd.MultiplyAdd(x, b1, s21); s22 = TSimd.MultiplyAdd(x, b2, s22); s23 = TSimd.MultiplyAdd(x, b3, s23);
            x = TSimd.Broadcast(aColumn + r3);
            s30 = TSimd.MultiplyAdd(x, b0, s30); s31 = TSimd.MultiplyAdd(x, b1, s31); s32 = TSimd.MultiplyAdd(x, b2, s32); s33 = TSimd.MultiplyAdd(x, b3, s33);
            aColumn += aStep;
            bRow += bStep;
        }

        TSimd.Store(s00, c0); TSimd.Store(s01, c0 + l); TSimd.Store(s02, c0 + (2 * l)); TSimd.Store(s03, c0 + (3 * l));
        TSimd.Store(s10, c1); TSimd.Store(s11, c1 + l); TSimd.Store(s12, c1 + (2 * l)); TSimd.Store(s13, c1 + (3 * l));
        TSimd.Store(s20, c2); TSimd.Store(s21, c2 + l); TSimd.Store(s22, c2 + (2 * l)); TSimd.Store(s23, c2 + (3 * l));
        TSimd.Store(s30, c3); TSimd.Store(s31, c3 + l); TSimd.Store(s32, c3 + (2 * l)); TSimd.Store(s33, c3 + (3 * l));
    }

    private static void Tile6x2<TSimd, TVector>(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var l = TSimd.Count;
        var s00 = Start<TSimd, TVector>(c, accumulate); var s01 = Start<TSimd, TVector>(c + l, accumulate);
        var s10 = Start<TSimd, TVector>(c + ldc, accumulate); var s11 = Start<TSimd, TVector>(c + ldc + l, accumulate);
        var s20 = Start<TSimd, TVector>(c + (2 * ldc), accumulate); var s21 = Start<TSimd, TVector>(c + (2 * ldc) + l, accumulate);
        var s30 = Start<TSimd, TVector>(c + (3 * ldc), accumulate); var s31 = Start<TSimd, TVector>(c + (3 * ldc) + l, accumulate);
        var s40 = Start<TSimd, TVector>(c + (4 * ldc), accumulate); var s41 = Start<TSimd, TVector>(c + (4 * ldc) + l, accumulate);
        var s50 = Start<TSimd, TVector>(c + (5 * ldc), accumulate); var s51 = Start<TSimd, TVector>(c + (5 * ldc) + l, accumulate);

        nint r1 = rs, r2 = 2 * (nint)rs, r3 = 3 * (nint)rs, r4 = 4 * (nint)rs, r5 = 5 * (nint)rs, aStep = ds, bStep = ldb;
        var aColumn = a;
        var bRow = b;
        for (var depth = 0; depth < k; depth++)
        {
            var b0 = TSimd.Load(bRow); var b1 = TSimd.Load(bRow + l);
            var x = TSimd.Broadcast(aColumn);
            s00 = TSimd.MultiplyAdd(x, b0, s00); s01 = TSimd.MultiplyAdd(x, b1, s01);
            x = TSimd.Broadcast(aColumn + r1);
            s10 = TSimd.MultiplyAdd(x, b0, s10); s11 = TSimd.MultiplyAdd(x, b1, s11);
            x = TSimd.Broadcast(aColumn + r2);
            s20 = TSimd.MultiplyAdd(x, b0, s20); s21 = TSimd.MultiplyAdd(x, b1, s21);
            x = TSimd.Broadcast(aColumn + r3);
            s30 = TSimd.MultiplyAdd(x, b0, s30); s31 = TSimd.MultiplyAdd(x, b1, s31);
            x = TSimd.Broadcast(aColumn + r4);
            s40 = TSimd.MultiplyAdd(x, b0, s40); s41 = TSimd.MultiplyAdd(x, b1, s41);
            x = TSimd.Broadcast(aColumn + r5);
            s50 = TSimd.MultiplyAdd(x, b0, s50); s51 = TSimd.MultiplyAdd(x, b1, s51);
            aColumn += aStep;
            bRow += bStep;
        }

        TSimd.Store(s00, c); TSimd.Store(s01, c + l);
        TSimd.Store(s10, c + ldc); TSimd.Store(s11, c + ldc + l);
        TSimd.Store(s20, c + (2 * ldc)); TSimd.Store(s21, c + (2 * ldc) + l);
        TSimd.Store(s30, c + (3 * ldc)); TSimd.Store(s31, c + (3 * ldc) + l);
        TSimd.Store(s40, c + (4 * ldc)); TSimd.Store(s41, c + (4 * ldc) + l);
        TSimd.Store(s50, c + (5 * ldc)); TSimd.Store(s51, c + (5 * ldc) + l);
    }

    private static void Tile6x1<TSimd, TVector>(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var s0 = Start<TSimd, TVector>(c, accumulate);
        var s1 = Start<TSimd, TVector>(c + ldc, accumulate);
        var s2 = Start<TSimd, TVector>(c + (2 * ldc), accumulate);
        var s3 = Start<TSimd, TVector>(c + (3 * ldc), accumulate);
        var s4 = Start<TSimd, TVector>(c + (4 * ldc), accumulate);
        var s5 = Start<TSimd, TVector>(c + (5 * ldc), accumulate);
        nint r1 = rs, r2 = 2 * (nint)rs, r3 = 3 * (nint)rs, r4 = 4 * (nint)rs, r5 = 5 * (nint)rs, aStep = ds, bStep = ldb;
        var aColumn = a;
        var bRow = b;
        for (var depth = 0; depth < k; depth++)
        {
            var b0 = TSimd.Load(bRow);
            s0 = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn), b0, s0);
            s1 = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn + r1), b0, s1);
            s2 = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn + r2), b0, s2);
            s3 = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn + r3), b0, s3);
            s4 = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn + r4), b0, s4);
            s5 = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn + r5), b0, s5);
            aColumn += aStep;
            bRow += bStep;
        }

        TSimd.Store(s0, c);
        TSimd.Store(s1, c + ldc);
        TSimd.Store(s2, c + (2 * ldc));
        TSimd.Store(s3, c + (3 * ldc));
        TSimd.Store(s4, c + (4 * ldc));
        TSimd.Store(s5, c + (5 * ldc));
    }

    private static void Tile4x2<TSimd, TVector>(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var l = TSimd.Count;
        float* c0 = c, c1 = c + ldc, c2 = c + (2 * ldc), c3 = c + (3 * ldc);
        var s00 = Start<TSimd, TVector>(c0, accumulate); var s01 = Start<TSimd, TVector>(c0 + l, accumulate);
        var s10 = Start<TSimd, TVector>(c1, accumulate); var s11 = Start<TSimd, TVector>(c1 + l, accumulate);
        var s20 = Start<TSimd, TVector>(c2, accumulate); var s21 = Start<TSimd, TVector>(c2 + l, accumulate);
        var s30 = Start<TSimd, TVector>(c3, accumulate); var s31 = Start<TSimd, TVector>(c3 + l, accumulate);
        nint r1 = rs, r2 = 2 * (nint)rs, r3 = 3 * (nint)rs, aStep = ds, bStep = ldb;
        var aColumn = a;
        var bRow = b;
        for (var depth = 0; depth < k; depth++)
        {
            var b0 = TSimd.Load(bRow); var b1 = TSimd.Load(bRow + l);
            var x = TSimd.Broadcast(aColumn);
            s00 = TSimd.MultiplyAdd(x, b0, s00); s01 = TSimd.MultiplyAdd(x, b1, s01);
            x = TSimd.Broadcast(aColumn + r1);
            s10 = TSimd.MultiplyAdd(x, b0, s10); s11 = TSimd.MultiplyAdd(x, b1, s11);
            x = TSimd.Broadcast(aColumn + r2);
            s20 = TSimd.MultiplyAdd(x, b0, s20); s21 = TSimd.MultiplyAdd(x, b1, s21);
            x = TSimd.Broadcast(aColumn + r3);
            s30 = TSimd.MultiplyAdd(x, b0, s30); s31 = TSimd.MultiplyAdd(x, b1, s31);
            aColumn += aStep;
            bRow += bStep;
        }

        TSimd.Store(s00, c0); TSimd.Store(s01, c0 + l);
        TSimd.Store(s10, c1); TSimd.Store(s11, c1 + l);
        TSimd.Store(s20, c2); TSimd.Store(s21, c2 + l);
        TSimd.Store(s30, c3); TSimd.Store(s31, c3 + l);
    }

    private static void Tile4x1<TSimd, TVector>(float* a, int rs, int ds, float* b, int ldb, float* c, int ldc, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var s0 = Start<TSimd, TVector>(c, accumulate);
        var s1 = Start<TSimd, TVector>(c + ldc, accumulate);
        var s2 = Start<TSimd, TVector>(c + (2 * ldc), accumulate);
        var s3 = Start<TSimd, TVector>(c + (3 * ldc), accumulate);
        nint r1 = rs, r2 = 2 * (nint)rs, r3 = 3 * (nint)rs, aStep = ds, bStep = ldb;
        var aColumn = a;
        var bRow = b;
        for (var depth = 0; depth < k; depth++)
        {
            var b0 = TSimd.Load(bRow);
            s0 = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn), b0, s0);
            s1 = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn + r1), b0, s1);
            s2 = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn + r2), b0, s2);
            s3 = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn + r3), b0, s3);
            aColumn += aStep;
            bRow += bStep;
        }

        TSimd.Store(s0, c);
        TSimd.Store(s1, c + ldc);
        TSimd.Store(s2, c + (2 * ldc));
        TSimd.Store(s3, c + (3 * ldc));
    }

    // One row, four registers: four independent sums, so the adds of one row do not wait on each other.
    private static void Tile1x4<TSimd, TVector>(float* a, int ds, float* b, int ldb, float* c, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var l = TSimd.Count;
        var s0 = Start<TSimd, TVector>(c, accumulate);
        var s1 = Start<TSimd, TVector>(c + l, accumulate);
        var s2 = Start<TSimd, TVector>(c + (2 * l), accumulate);
        var s3 = Start<TSimd, TVector>(c + (3 * l), accumulate);
        nint aStep = ds, bStep = ldb;
        var aColumn = a;
        var bRow = b;
        for (var depth = 0; depth < k; depth++)
        {
            var x = TSimd.Broadcast(aColumn);
            s0 = TSimd.MultiplyAdd(x, TSimd.Load(bRow), s0);
            s1 = TSimd.MultiplyAdd(x, TSimd.Load(bRow + l), s1);
            s2 = TSimd.MultiplyAdd(x, TSimd.Load(bRow + (2 * l)), s2);
            s3 = TSimd.MultiplyAdd(x, TSimd.Load(bRow + (3 * l)), s3);
            aColumn += aStep;
            bRow += bStep;
        }

        TSimd.Store(s0, c);
        TSimd.Store(s1, c + l);
        TSimd.Store(s2, c + (2 * l));
        TSimd.Store(s3, c + (3 * l));
    }

    private static void Tile1x1<TSimd, TVector>(float* a, int ds, float* b, int ldb, float* c, int k, bool accumulate)
        where TSimd : struct, ISimd<TVector>
        where TVector : struct
    {
        var s = Start<TSimd, TVector>(c, accumulate);
        nint aStep = ds, bStep = ldb;
        var aColumn = a;
        var bRow = b;
        for (var depth = 0; depth < k; depth++)
        {
            s = TSimd.MultiplyAdd(TSimd.Broadcast(aColumn), TSimd.Load(bRow), s);
            aColumn += aStep;
            bRow += bStep;
        }

        TSimd.Store(s, c);
    }
}
