namespace Clv.Pipeline.Featurize;

/// <summary>The deterministic names derived from an export blob's name.</summary>
public static class ExportNames
{
    private static readonly string[] Extensions = [".csv.gz", ".txt.gz", ".tsv.gz", ".gz", ".csv", ".txt", ".tsv"];

    /// <summary>The export name: the blob name without its <c>.csv</c>/<c>.txt</c>/<c>.tsv</c> and <c>.gz</c> suffix.</summary>
    public static string ExportName(string blobName)
    {
        ArgumentException.ThrowIfNullOrEmpty(blobName);
        foreach (var extension in Extensions)
        {
            if (blobName.Length > extension.Length && blobName.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return blobName[..^extension.Length];
            }
        }

        return blobName;
    }

    /// <summary>Name of the partial in container <c>features</c>: <c>{export name}.parquet</c>.</summary>
    public static string PartialBlob(string blobName) => ExportName(blobName) + ".parquet";

    /// <summary>Name of the rejected rows in container <c>rejected</c>: <c>{export name}.csv</c>.</summary>
    public static string RejectedBlob(string blobName) => ExportName(blobName) + ".csv";

    /// <summary>The suffix of a sidecar mapping: <c>exports/{export name}.mapping.json</c>.</summary>
    public const string MappingSuffix = ".mapping.json";

    /// <summary>Name of the sidecar mapping of an export in container <c>exports</c>: <c>{export name}.mapping.json</c>.</summary>
    public static string MappingBlob(string blobName) => ExportName(blobName) + MappingSuffix;

    /// <summary>Whether the blob is a sidecar mapping (read with its export, not featurized itself).</summary>
    public static bool IsMapping(string blobName) => blobName.EndsWith(MappingSuffix, StringComparison.OrdinalIgnoreCase);
}
