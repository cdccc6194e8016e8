using System.Text.Json;
using System.Text.Json.Serialization;
using Clv.Pipeline.Storage;

namespace Clv.Pipeline.Score;

/// <summary>
/// A message of queue <c>score-shards</c>: <c>{ "modelVersion", "asOf", "shard", "shardCount" }</c>.
/// Shard index <c>s</c> of <c>shardCount</c> scores the customers whose partition number is congruent to <c>s</c>.
/// </summary>
/// <param name="ModelVersion">The model to score with.</param>
/// <param name="AsOf">Last day of data, <c>yyyy-MM-dd</c>.</param>
/// <param name="ShardIndex">The shard, <c>0..shardCount-1</c> (JSON <c>shard</c>).</param>
/// <param name="ShardCount">Shards of the fan-out (256 when absent: one partition per message).</param>
public sealed record ScoreShardMessage(
    [property: JsonPropertyName("modelVersion")] string ModelVersion,
    [property: JsonPropertyName("asOf")] DateOnly AsOf,
    [property: JsonPropertyName("shard")] int ShardIndex,
    [property: JsonPropertyName("shardCount")] int ShardCount = Configuration.ScoringOptions.PartitionCount)
{
    /// <summary>The message as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, QueueMessageJsonContext.Default.ScoreShardMessage);

    /// <summary>Parses and checks a message.</summary>
    /// <exception cref="InvalidDataException">The text is not a valid shard message; the message says which field.</exception>
    public static ScoreShardMessage Parse(string json)
    {
        ScoreShardMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(json, QueueMessageJsonContext.Default.ScoreShardMessage);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"score-shards message is not valid JSON ({ex.Message}): {Truncate(json)}", ex);
        }

        if (message is null || string.IsNullOrWhiteSpace(message.ModelVersion))
        {
            throw new InvalidDataException($"score-shards message has no modelVersion: {Truncate(json)}");
        }

        if (message.ShardCount is < 1 or > Configuration.ScoringOptions.PartitionCount || message.ShardIndex < 0 || message.ShardIndex >= message.ShardCount)
        {
            throw new InvalidDataException($"score-shards message has shard {message.ShardIndex} of {message.ShardCount}; shard must be in 0..shardCount-1 and shardCount in 1..{Configuration.ScoringOptions.PartitionCount}: {Truncate(json)}");
        }

        return message;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
