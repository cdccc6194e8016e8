namespace Clv.Functions;

/// <summary>Binding names shared by the triggers; the values match the storage contract and the app settings of infra/bicep.</summary>
internal static class FunctionNames
{
    /// <summary>
    /// Connection setting prefix of the triggers: <c>ClvStorage__blobServiceUri</c>, <c>ClvStorage__queueServiceUri</c>,
    /// <c>ClvStorage__credential=managedidentity</c>, <c>ClvStorage__clientId</c> (or <c>ClvStorage</c> = a connection string).
    /// </summary>
    public const string Connection = "ClvStorage";

    /// <summary>Exports container path with the blob name bound as <c>{name}</c>.</summary>
    public const string ExportsPath = "exports/{name}";

    /// <summary>The fan-out queue.</summary>
    public const string ScoreShardsQueue = "score-shards";

    /// <summary>Training schedule, read from app setting <c>Clv__Training__Schedule</c>.</summary>
    public const string TrainingSchedule = "%Clv:Training:Schedule%";
}
