namespace Clv.Modeling.Tests;

/// <summary>Locates the shared reference data (CDNOW, Complete Journey) (<c>../shared/data</c> from the repository root), skipping the test when it is absent.</summary>
internal static class ReferenceData
{
    public static string CdnowFile(string name) => SharedFile("cdnow", name);

    public static string CompleteJourneyFile(string name) => SharedFile("completejourney", name);

    private static string SharedFile(string dataset, string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Serverless.sln")))
        {
            directory = directory.Parent;
        }

        var path = directory is null ? null : Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", dataset, name));
        if (path is null || !File.Exists(path))
        {
            Assert.Skip($"reference data {name} not found (expected ../shared/data/{dataset}/{name} beside the repository)");
        }

        return path!;
    }
}
