using Clv.Pipeline.Storage;

namespace Clv.Pipeline.Tests.Configuration;

public class StorageKeyTests
{
    [Theory]
    [InlineData("plain-42")]
    [InlineData("a/b\\c#d?e%f")]
    [InlineData("tab\there\u0001\u007f\u0085")]
    [InlineData("%41")]
    public void TableKey_RoundTripsAndContainsNoForbiddenCharacter(string id)
    {
        var key = TableKey.Escape(id);

        Assert.Equal(id, TableKey.Unescape(key));
        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
    }

    [Fact]
    public void TableKey_LeavesOrdinaryIdsAsTheyAre() => Assert.Equal("customer-42_x.y", TableKey.Escape("customer-42_x.y"));

    [Fact]
    public void ShardKey_IsTwoLowercaseHexDigits_AndSpreadsCustomersOverEveryPartition()
    {
        var keys = Enumerable.Range(0, 20_000).Select(i => ShardKey.For($"customer-{i}")).ToList();

        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{2}$", k));
        Assert.Equal(256, keys.Distinct().Count());
    }

    [Fact]
    public void ShardKey_DependsOnlyOnTheUtf8BytesOfTheId()
    {
        var id = "émile-" + new string('x', 300);

        Assert.Equal(ShardKey.For(id), ShardKey.For(new string(id.ToCharArray())));
        Assert.Equal(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(id)) % 256, (uint)ShardKey.Partition(id));
    }
}
