namespace Clv.Functions;

/// <summary>Function and binding names shared by the triggers; the values match the storage contract and the app settings of infra/bicep.</summary>
/// <remarks>
/// The blob and queue triggers use the host's default storage connection, <c>AzureWebJobsStorage</c>: identity-based
/// in Azure (<c>AzureWebJobsStorage__blobServiceUri</c>, <c>__queueServiceUri</c>, <c>__tableServiceUri</c>,
/// <c>__credential=managedidentity</c>, <c>__clientId</c>), a connection string locally.
/// </remarks>
internal static class FunctionNames
{
    /// <summary>The export blob trigger; app setting <c>AzureWebJobs.Featurize.Disabled</c> turns it off.</summary>
    public const string Featurize = "Featurize";

    /// <summary>The training timer; app setting <c>AzureWebJobs.Train.Disabled</c> turns it off.</summary>
    public const string Train = "Train";

    /// <summary>The shard-scoring queue trigger; app setting <c>AzureWebJobs.ScoreShard.Disabled</c> turns it off.</summary>
    public const string ScoreShard = "ScoreShard";

    /// <summary>The shard-compaction queue trigger; app setting <c>AzureWebJobs.CompactShards.Disabled</c> turns it off.</summary>
    public const string CompactShards = "CompactShards";

    /// <summary>The deleted-export queue trigger; app setting <c>AzureWebJobs.ExportDeleted.Disabled</c> turns it off.</summary>
    public const string ExportDeleted = "ExportDeleted";

    /// <summary>
    /// The queue Event Grid delivers <c>BlobDeleted</c> events of <c>exports</c> to, from app setting
    /// <c>ClvExportEventsQueue</c> (<c>export-events</c> after the name prefix).
    /// </summary>
    public const string ExportEventsQueue = "%" + BindingSettings.ExportEventsQueue + "%";

    /// <summary>
    /// Exports container path with the blob name bound as <c>{name}</c>. The container comes from the flat app
    /// setting <c>ClvExportsContainer</c> (<c>exports</c> after <c>Clv__Storage__NamePrefix</c>; infra sets both).
    /// </summary>
    public const string ExportsPath = "%" + BindingSettings.ExportsContainer + "%/{name}";

    /// <summary>The fan-out queue, from app setting <c>ClvScoreShardsQueue</c> (<c>score-shards</c> after the name prefix).</summary>
    public const string ScoreShardsQueue = "%" + BindingSettings.ScoreShardsQueue + "%";

    /// <summary>The compaction queue, from app setting <c>ClvCompactShardsQueue</c> (<c>compact-shards</c> after the name prefix).</summary>
    public const string CompactShardsQueue = "%" + BindingSettings.CompactShardsQueue + "%";

    /// <summary>
    /// Training schedule, six-field NCRONTAB, read from the flat app setting <c>ClvTrainingSchedule</c> (infra sets it
    /// to the same value as <c>Clv__Training__Schedule</c>, which the pipeline validates).
    /// </summary>
    public const string TrainingSchedule = "%" + BindingSettings.TrainingSchedule + "%";
}
