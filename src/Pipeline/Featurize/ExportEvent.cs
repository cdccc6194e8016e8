using System.Text.Json;

namespace Clv.Pipeline.Featurize;

/// <summary>An Event Grid blob event of the <c>exports</c> container, as the storage-queue delivery writes it.</summary>
/// <param name="EventType">For example <c>Microsoft.Storage.BlobDeleted</c>.</param>
/// <param name="BlobName">The blob's name inside the container.</param>
public sealed record ExportEvent(string EventType, string BlobName)
{
    /// <summary>The event type of a deleted blob.</summary>
    public const string BlobDeleted = "Microsoft.Storage.BlobDeleted";

    /// <summary>
    /// Reads one event (Event Grid schema, or a one-element array of it) whose subject is
    /// <c>/blobServices/default/containers/{container}/blobs/{name}</c>; <see langword="null"/> for another container.
    /// </summary>
    /// <exception cref="FormatException">The message is not an Event Grid blob event; the message says what is missing.</exception>
    public static ExportEvent? Parse(string message, string container)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(container);
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement.ValueKind == JsonValueKind.Array && document.RootElement.GetArrayLength() == 1 ? document.RootElement[0] : document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("eventType", out var type) || type.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("subject", out var subject) || subject.ValueKind != JsonValueKind.String)
            {
                throw new FormatException("The message is not an Event Grid event: it needs string members eventType and subject.");
            }

            var prefix = $"/blobServices/default/containers/{container}/blobs/";
            var path = subject.GetString()!;
            return path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length
                ? new ExportEvent(type.GetString()!, path[prefix.Length..])
                : null;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The message is not JSON: {ex.Message}", ex);
        }
    }
}
