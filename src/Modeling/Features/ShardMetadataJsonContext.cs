using System.Text.Json.Serialization;

namespace Clv.Modeling.Features;

/// <summary>
/// The JSON of a shard file's <see cref="PartialShard.SourcesMetadataKey"/> metadata (each source and its version, an
/// object of strings), generated at build time with the serializer's defaults: compact, keys as they are.
/// </summary>
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ShardMetadataJsonContext : JsonSerializerContext;
