using System.Text.Json.Serialization;

namespace Clv.Cli.Commands;

/// <summary>What <c>clv featurize --json</c> prints: totals over every file, then one entry per file.</summary>
/// <param name="VectorBits">The vector width, in bits, records were split with (512, 256, 128, or 0 for scalar).</param>
internal sealed record FeaturizeReport(
    long Rows,
    long Accepted,
    long Rejected,
    int Customers,
    double TotalSpend,
    double Seconds,
    int VectorBits,
    IReadOnlyList<FeaturizeFileReport> Files,
    IReadOnlyList<string> Failed);

/// <summary>One file of <see cref="FeaturizeReport"/>.</summary>
internal sealed record FeaturizeFileReport(
    string Name,
    long Rows,
    long Accepted,
    long Rejected,
    int Customers,
    double TotalSpend,
    long Bytes,
    double MegabytesPerSecond);

/// <summary>
/// Serializers for the featurize report, generated at build time: no reflection at run time, so a featurize of a small
/// export does not pay for building them.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FeaturizeReport))]
internal sealed partial class FeaturizeJsonContext : JsonSerializerContext;
