namespace Clv.LocalHost;

/// <summary>What the local host runs besides the HTTP routes.</summary>
public sealed record LocalHostOptions
{
    /// <summary>Loopback port of the HTTP API; 0 picks a free one.</summary>
    public int Port { get; init; } = 7071;

    /// <summary>Watch container <c>exports</c> and featurize new or changed blobs.</summary>
    public bool WatchExports { get; init; } = true;

    /// <summary>How often <c>exports</c> is listed.</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Train on <c>Clv:Training:Schedule</c>.</summary>
    public bool TrainOnSchedule { get; init; } = true;

    /// <summary>Handle <c>score-shards</c> and <c>compact-shards</c> messages.</summary>
    public bool ListenToQueue { get; init; } = true;

    /// <summary>Longest wait between two polls of an empty queue.</summary>
    public TimeSpan MaxQueuePollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A local folder whose files are uploaded to <c>exports</c> as they appear, or <see langword="null"/> for none.</summary>
    public string? DropFolder { get; init; }

    /// <summary>Create missing containers, tables and queues at start-up.</summary>
    public bool CreateStorage { get; init; } = true;
}
