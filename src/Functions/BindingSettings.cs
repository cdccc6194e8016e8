using Clv.Pipeline.Configuration;
using Clv.Pipeline.Storage;
using Microsoft.Extensions.Configuration;

namespace Clv.Functions;

/// <summary>
/// The flat app settings that the triggers' binding expressions read (<c>%ClvExportsContainer%</c>,
/// <c>%ClvScoreShardsQueue%</c>, <c>%ClvCompactShardsQueue%</c>, <c>%ClvExportEventsQueue%</c>, <c>%ClvTrainingSchedule%</c>), checked at start-up against the <c>Clv</c> options
/// so that the host triggers on the same container, queue and schedule that the jobs use.
/// </summary>
internal static class BindingSettings
{
    /// <summary>Container of the blob trigger: the contract's <c>exports</c> after the name prefix.</summary>
    public const string ExportsContainer = "ClvExportsContainer";

    /// <summary>Queue of the shard-scoring trigger: <c>score-shards</c> after the name prefix.</summary>
    public const string ScoreShardsQueue = "ClvScoreShardsQueue";

    /// <summary>Queue of the shard-compaction trigger: <c>compact-shards</c> after the name prefix.</summary>
    public const string CompactShardsQueue = "ClvCompactShardsQueue";

    /// <summary>Queue of the deleted-export trigger: <c>export-events</c> after the name prefix.</summary>
    public const string ExportEventsQueue = "ClvExportEventsQueue";

    /// <summary>NCRONTAB schedule of the training timer: the same as <c>Clv__Training__Schedule</c>.</summary>
    public const string TrainingSchedule = "ClvTrainingSchedule";

    /// <summary>Throws <see cref="ClvConfigurationException"/> naming each binding setting that is missing or disagrees with <paramref name="options"/>.</summary>
    public static void Validate(IConfiguration configuration, ClvOptions options)
    {
        var names = new StorageNames(options.Storage.NamePrefix);
        var errors = new List<string>();
        Expect(ExportsContainer, names.Exports, $"the exports container after Clv__Storage__NamePrefix '{options.Storage.NamePrefix}'");
        Expect(ScoreShardsQueue, names.ScoreShards, $"the score-shards queue after Clv__Storage__NamePrefix '{options.Storage.NamePrefix}'");
        Expect(CompactShardsQueue, names.CompactShards, $"the compact-shards queue after Clv__Storage__NamePrefix '{options.Storage.NamePrefix}'");
        Expect(ExportEventsQueue, names.ExportEvents, $"the export-events queue after Clv__Storage__NamePrefix '{options.Storage.NamePrefix}'");
        Expect(TrainingSchedule, options.Training.Schedule, "the value of Clv__Training__Schedule");
        if (errors.Count > 0)
        {
            throw new ClvConfigurationException("Invalid configuration: " + string.Join("; ", errors));
        }

        void Expect(string setting, string expected, string meaning)
        {
            var value = configuration[setting];
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"App setting {setting} is missing; set it to '{expected}' ({meaning})");
            }
            else if (!string.Equals(value, expected, StringComparison.Ordinal))
            {
                errors.Add($"App setting {setting} must be '{expected}' ({meaning}), was '{value}'");
            }
        }
    }
}
