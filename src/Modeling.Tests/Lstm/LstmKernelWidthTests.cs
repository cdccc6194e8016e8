using System.Runtime.Intrinsics;
using Clv.Modeling.Lstm;

namespace Clv.Modeling.Tests.Lstm;

public class LstmKernelWidthTests
{
    [Fact]
    public void AcceleratedWidths_FollowTheHardware_WidestFirst()
    {
        var widths = LstmKernels.AcceleratedWidths;

        Assert.Equal(Vector512.IsHardwareAccelerated, widths.Contains(VectorWidth.Bits512));
        Assert.Equal(Vector256.IsHardwareAccelerated, widths.Contains(VectorWidth.Bits256));
        Assert.Equal(Vector128.IsHardwareAccelerated, widths.Contains(VectorWidth.Bits128));
        Assert.Equal(VectorWidth.Scalar, widths[^1]);
        Assert.Equal(widths.OrderByDescending(w => (int)w), widths);
    }

    [Fact]
    public void RuntimeSwitches_NarrowTheAcceleratedWidths()
    {
        // The test command runs this class again under each switch; unset, the hardware decides.
        // .NET 10 reads DOTNET_EnableAVX512 (DOTNET_EnableAVX512F no longer switches AVX-512 off).
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Assert.DoesNotContain(VectorWidth.Bits512, LstmKernels.AcceleratedWidths);
        }

        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.DoesNotContain(VectorWidth.Bits256, LstmKernels.AcceleratedWidths);
            Assert.DoesNotContain(VectorWidth.Bits512, LstmKernels.AcceleratedWidths);
        }

        Assert.Contains(VectorWidth.Scalar, LstmKernels.AcceleratedWidths);
    }

    [Fact]
    public void Width_WithoutTheVariable_IsTheWidestAccelerated()
    {
        Assert.Equal(LstmKernels.AcceleratedWidths[0], LstmKernels.Select(null));
        Assert.Equal(LstmKernels.AcceleratedWidths[0], LstmKernels.Select(" "));
    }

    [Fact]
    public void Width_IsChosenOncePerProcess_FromTheVariableOrTheHardware()
    {
        var expected = LstmKernels.Select(Environment.GetEnvironmentVariable(LstmKernels.WidthVariable));

        Assert.Equal(expected, LstmKernels.Width);
    }

    [Theory]
    [InlineData("scalar", VectorWidth.Scalar)]
    [InlineData("SCALAR", VectorWidth.Scalar)]
    public void Select_NamesScalar_OnEveryMachine(string value, VectorWidth expected) =>
        Assert.Equal(expected, LstmKernels.Select(value));

    [Theory]
    [InlineData("avx512", VectorWidth.Bits512)]
    [InlineData("512", VectorWidth.Bits512)]
    [InlineData("avx2", VectorWidth.Bits256)]
    [InlineData("256", VectorWidth.Bits256)]
    [InlineData("sse", VectorWidth.Bits128)]
    [InlineData("neon", VectorWidth.Bits128)]
    [InlineData("128", VectorWidth.Bits128)]
    public void Select_ForcesANamedWidth_OrSaysTheMachineLacksIt(string value, VectorWidth expected)
    {
        if (LstmKernels.AcceleratedWidths.Contains(expected))
        {
            Assert.Equal(expected, LstmKernels.Select(value));
        }
        else
        {
            var error = Assert.Throws<InvalidOperationException>(() => LstmKernels.Select(value));
            Assert.Contains("does not accelerate", error.Message, StringComparison.Ordinal);
            Assert.Contains(LstmKernels.WidthVariable, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Select_WithAnUnknownName_ThrowsNamingTheVariableAndTheChoices()
    {
        var error = Assert.Throws<InvalidOperationException>(() => LstmKernels.Select("avx10"));

        Assert.Contains("CLV_KERNEL='avx10'", error.Message, StringComparison.Ordinal);
        Assert.Contains("avx512, avx2, sse, neon or scalar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FastLstm_AtAWidthTheMachineLacks_Throws()
    {
        var missing = new[] { VectorWidth.Bits512, VectorWidth.Bits256, VectorWidth.Bits128 }
            .Where(w => !LstmKernels.AcceleratedWidths.Contains(w))
            .ToArray();
        if (missing.Length == 0)
        {
            Assert.Skip("This machine accelerates every vector width, so none can be refused.");
        }

        Assert.Throws<NotSupportedException>(() => new FastLstm(new LstmShape(3, 4), 5, 1, missing[0]));
    }
}
