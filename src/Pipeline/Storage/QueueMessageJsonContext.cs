using System.Text.Json;
using System.Text.Json.Serialization;
using Clv.Pipeline.Compact;
using Clv.Pipeline.Score;

namespace Clv.Pipeline.Storage;

/// <summary>
/// The JSON of the queue messages (<c>score-shards</c>, <c>compact-shards</c>), generated at build time with the web
/// defaults: camelCase names, names read in any case, numbers also read from strings.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ScoreShardMessage))]
[JsonSerializable(typeof(CompactionMessage))]
internal sealed partial class QueueMessageJsonContext : JsonSerializerContext;
