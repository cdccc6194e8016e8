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

    /// <summary>The deleted-export queue trigger; app setting <c>AzureWebJobs.ExportDeleted.Disabled</c> turns it off.</summary>
    public const string ExportDeleted = "ExportDeleted";

    /// <summary>The queue Event Grid delivers <c>BlobDeleted</c> events of <c>exports</c> to.</summary>
    public const string ExportEventsQueue = "export-events";

    /// <summary>Exports container path with the blob name bound as <c>{name}</c>.</summary>
    public const string ExportsPath = "exports/{name}";

    /// <summary>The fan-out queue.</summary>
    public const string ScoreShardsQueue = "score-shards";

    /// <summary>
    /// Training schedule, six-field NCRONTAB, read from the flat app setting <c>ClvTrainingSchedule</c> (infra sets it
    /// to the same value as <c>Clv__Training__Schedule</c>, which the pipeline validates).
    /// </summary>
    public const string TrainingSchedule = "%ClvTrainingSchedule%";
}
