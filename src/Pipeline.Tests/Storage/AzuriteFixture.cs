namespace Clv.Pipeline.Tests.Storage;

/// <summary>
/// The storage account of the test run: Azurite started by <c>./test.sh</c>, whose connection string
/// arrives in <c>CLV_TEST_STORAGE</c>.
/// </summary>
public static class AzuriteFixture
{
    /// <summary>The connection string, or a skip (a failure when <c>CLV_REQUIRE_STORAGE=1</c>) stating why there is none.</summary>
    public static string ConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable("CLV_TEST_STORAGE");
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value;
            }

            const string Reason = "no Azurite: CLV_TEST_STORAGE is not set (./test.sh starts Azurite and sets it)";
            if (Environment.GetEnvironmentVariable("CLV_REQUIRE_STORAGE") == "1")
            {
                Assert.Fail(Reason);
            }

            Assert.Skip(Reason);
            return string.Empty;
        }
    }

    /// <summary>A name unique to one test, valid for containers, tables and queues.</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 20, 63)].ToLowerInvariant();
}
