using System.Text.Json.Serialization;
using Clv.Cli.Local;

namespace Clv.Cli.Commands;

/// <summary>
/// The serializers of what the commands print with <c>--json</c>, generated at build time: camelCase names, no
/// reflection at run time, so a command on a small export does not pay for building them.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FeaturizeReport))]
[JsonSerializable(typeof(LocalCompaction))]
[JsonSerializable(typeof(GenerateReport))]
[JsonSerializable(typeof(InspectReport))]
[JsonSerializable(typeof(ScoreReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
