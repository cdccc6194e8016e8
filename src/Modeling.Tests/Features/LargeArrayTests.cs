using Clv.Modeling.Features;

namespace Clv.Modeling.Tests.Features;

public class LargeArrayTests
{
    [Fact]
    public void Zeroed_IsAllZerosEvenWhenHugePagesAreAdvised()
    {
        // 32 MiB: large enough for the huge-page advice.
        var array = LargeArray.Zeroed<long>(4 << 20);

        Assert.Equal(4 << 20, array.Length);
        Assert.True(array.AsSpan().IndexOfAnyExcept(0L) < 0);
    }

    [Fact]
    public void SegmentedArray_KeepsEveryValueAcrossGrowth()
    {
        var array = new SegmentedArray<long>();
        const int Count = 700_000;

        for (var i = 0; i < Count; i++)
        {
            array.EnsureIndex(i);
            array[i] = i * 3L;
        }

        Assert.True(array.Capacity >= Count);
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(i * 3L, array[i]);
        }
    }
}
