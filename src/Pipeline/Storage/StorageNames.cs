namespace Clv.Pipeline.Storage;

/// <summary>Containers, tables and the queue of the storage contract (README, "Azure pipeline"), with an optional prefix.</summary>
/// <param name="Prefix">Put before every name; lowercase letters and digits.</param>
public sealed record StorageNames(string Prefix = "")
{
    /// <summary>Dropped CSV exports; never modified.</summary>
    public string Exports => Prefix + "exports";

    /// <summary>Partial aggregates, <c>{export name}.parquet</c>, and the same merged by customer shard, <c>shards/{partition}.parquet</c>.</summary>
    public string Features => Prefix + "features";

    /// <summary>Rejected rows, <c>{export name}.csv</c>.</summary>
    public string Rejected => Prefix + "rejected";

    /// <summary>Model versions and <c>current.json</c>.</summary>
    public string Models => Prefix + "models";

    /// <summary>One prediction per customer.</summary>
    public string Predictions => Prefix + "Predictions";

    /// <summary>One row per export blob and ETag.</summary>
    public string Ingestions => Prefix + "Ingestions";

    /// <summary>One row per training or scoring run.</summary>
    public string Runs => Prefix + "Runs";

    /// <summary>Score fan-out messages.</summary>
    public string ScoreShards => Prefix + "score-shards";

    /// <summary>Compaction messages: one per featurized or deleted export, naming its partial.</summary>
    public string CompactShards => Prefix + "compact-shards";

    /// <summary>Compaction messages that failed too often.</summary>
    public string CompactShardsPoison => CompactShards + "-poison";

    /// <summary>Event Grid <c>BlobDeleted</c> events of <c>exports</c>, delivered as queue messages.</summary>
    public string ExportEvents => Prefix + "export-events";

    /// <summary>Score messages that failed too often.</summary>
    public string ScoreShardsPoison => ScoreShards + "-poison";
}
