using System.Text.Json;
using System.Text.Json.Serialization;
using Clv.Pipeline.Storage;

namespace Clv.Pipeline.Compact;

/// <summary>
/// A message of queue <c>compact-shards</c>: <c>{ "partial" }</c>, the blob name of an export's partial in
/// <c>features</c>. The message carries no version: compaction always merges the partial as it is now (or removes it
/// when it is gone), so a repeated, late or out-of-order message is harmless.
/// </summary>
/// <param name="Partial">Blob name of the partial, e.g. <c>orders-2026-11.parquet</c>.</param>
public sealed record CompactionMessage([property: JsonPropertyName("partial")] string Partial)
{
    /// <summary>The message as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, QueueMessageJsonContext.Default.CompactionMessage);

    /// <summary>Parses and checks a message.</summary>
    /// <exception cref="InvalidDataException">The text is not a valid compaction message; the message says why.</exception>
    public static CompactionMessage Parse(string json)
    {
        CompactionMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(json, QueueMessageJsonContext.Default.CompactionMessage);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"compact-shards message is not valid JSON ({ex.Message}): {Truncate(json)}", ex);
        }

        if (message is null || string.IsNullOrWhiteSpace(message.Partial) || !message.Partial.EndsWith(".parquet", StringComparison.Ordinal)
            || Storage.FeatureShardStore.IsShardBlob(message.Partial))
        {
            throw new InvalidDataException($"compact-shards message must name an export's partial ('partial': '{{export name}}.parquet', outside shards/): {Truncate(json)}");
        }

        return message;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
