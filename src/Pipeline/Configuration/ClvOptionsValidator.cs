using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Clv.Modeling.Lstm;
using Clv.Modeling.Scoring;
using Microsoft.Extensions.Configuration;

namespace Clv.Pipeline.Configuration;

/// <summary>Binds <see cref="ClvOptions"/> from configuration and checks every setting, naming the bad one.</summary>
public static class ClvOptionsValidator
{
    /// <summary>Binds the <c>Clv</c> section and validates it.</summary>
    /// <remarks>
    /// Binding goes through the configuration binder, which reflects over <see cref="ClvOptions"/> and the records it
    /// holds. The binder's build-time alternative cannot set <c>init</c> properties, which every one of these records
    /// has, so this method is not trim- or AOT-safe and says so to its callers.
    /// </remarks>
    /// <exception cref="ClvConfigurationException">A setting is missing, malformed or out of range; the message names it.</exception>
    [RequiresUnreferencedCode(BinderRequirement)]
    [RequiresDynamicCode(BinderRequirement)]
    public static ClvOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ClvOptions.SectionName);

        // The execution provider is read by the scorer's own parser, so a bad value gets the same message as the tool's flag.
        var provider = section[$"{ScoringSection}:{nameof(ScorerOptions.ExecutionProvider)}"];
        if (provider is not null && Check(() => ScorerOptions.ParseExecutionProvider(provider), ScoringSection) is { } providerError)
        {
            throw new ClvConfigurationException("Invalid configuration: " + providerError);
        }

        ClvOptions options;
        try
        {
            options = section.Get<ClvOptions>(binder => binder.ErrorOnUnknownConfiguration = false) ?? new ClvOptions();
            var trainer = section.GetSection(TrainingSection).Get<TrainerOptions>(binder => binder.ErrorOnUnknownConfiguration = false) ?? new TrainerOptions();
            options = options with { Model = options.Model with { Trainer = trainer } };
        }
        catch (InvalidOperationException ex)
        {
            throw new ClvConfigurationException($"Configuration section '{ClvOptions.SectionName}' could not be read: {ex.Message}", ex);
        }

        Validate(options);
        return options;
    }

    /// <summary>Why binding the settings needs reflection (<see cref="Load"/> and its callers).</summary>
    public const string BinderRequirement =
        "Binds ClvOptions with Microsoft.Extensions.Configuration's reflection-based binder (ConfigurationBinder.Get<T>), which needs the options records' public properties at run time and may create generic collections.";

    /// <summary>Section of the time grid and the backtest (<see cref="ClvOptions.Model"/>).</summary>
    public const string FeaturesSection = "Features";

    /// <summary>Section of the trainer (<see cref="ClvOptions.Model"/>'s <c>Trainer</c>) and of <see cref="ClvOptions.Training"/>.</summary>
    public const string TrainingSection = "Training";

    /// <summary>Section of the scorer (<see cref="ClvOptions.Scorer"/>) and of <see cref="ClvOptions.Scoring"/>.</summary>
    public const string ScoringSection = "Scoring";

    /// <summary>Throws <see cref="ClvConfigurationException"/> naming the first invalid setting.</summary>
    public static void Validate(ClvOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = Errors(options).ToList();
        if (errors.Count > 0)
        {
            throw new ClvConfigurationException("Invalid configuration: " + string.Join("; ", errors));
        }
    }

    /// <summary>Every problem found, each starting with the setting's key, e.g. <c>Clv:Scoring:BatchSize</c>.</summary>
    public static IEnumerable<string> Errors(ClvOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storage = options.Storage;
        if (string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            if (storage.BlobServiceUri is null || storage.TableServiceUri is null || storage.QueueServiceUri is null)
            {
                yield return "Clv:Storage:ConnectionString is empty, so Clv:Storage:BlobServiceUri, TableServiceUri and QueueServiceUri must all be set";
            }

            foreach (var (name, uri) in new[] { ("BlobServiceUri", storage.BlobServiceUri), ("TableServiceUri", storage.TableServiceUri), ("QueueServiceUri", storage.QueueServiceUri) })
            {
                if (uri is not null && (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
                {
                    yield return $"Clv:Storage:{name} must be an absolute http(s) URI, was '{uri}'";
                }
            }
        }

        if (storage.NamePrefix.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))) || storage.NamePrefix.Length > 24)
        {
            yield return $"Clv:Storage:NamePrefix must be at most 24 lowercase letters and digits, was '{storage.NamePrefix}'";
        }

        if (storage.MaxRetries is < 0 or > 20)
        {
            yield return $"Clv:Storage:MaxRetries must be in 0..20, was {storage.MaxRetries}";
        }

        if (storage.RetryDelay <= TimeSpan.Zero || storage.MaxRetryDelay < storage.RetryDelay)
        {
            yield return $"Clv:Storage:RetryDelay must be positive and at most Clv:Storage:MaxRetryDelay, was {storage.RetryDelay} (max {storage.MaxRetryDelay})";
        }

        // The model's and the scorer's ranges are their records' own checks, the ones the tool runs on its flags.
        if (Check(options.Model.Trainer.Validate, TrainingSection) is { } trainerError)
        {
            yield return trainerError;
        }

        if (Check((options.Model with { Trainer = new TrainerOptions() }).Validate, FeaturesSection) is { } modelError)
        {
            yield return modelError;
        }

        if (Check(options.Scorer.Validate, ScoringSection) is { } scorerError)
        {
            yield return scorerError;
        }

        if (!TryParseSchedule(options.Training.Schedule, out var scheduleError))
        {
            yield return $"Clv:Training:Schedule '{options.Training.Schedule}' is not a six-field cron expression (second minute hour day month weekday): {scheduleError}";
        }

        if (options.Training.SampleCustomers is < 100 or > 50_000_000)
        {
            yield return $"Clv:Training:SampleCustomers must be in 100..50000000, was {options.Training.SampleCustomers}";
        }

        if (options.Scoring.WriteBatchCustomers is < 100 or > 1_000_000)
        {
            yield return $"Clv:Scoring:WriteBatchCustomers must be in 100..1000000, was {options.Scoring.WriteBatchCustomers}";
        }

        var shards = options.Scoring.ShardCount;
        if (shards is < 1 or > ScoringOptions.PartitionCount || (shards & (shards - 1)) != 0)
        {
            yield return $"Clv:Scoring:ShardCount must be a power of two in 1..{ScoringOptions.PartitionCount}, was {shards}";
        }

        var threshold = options.Ingest.RejectedShareThreshold;
        if (!(threshold >= 0 && threshold <= 1))
        {
            yield return $"Clv:Ingest:RejectedShareThreshold must be in [0, 1], was {threshold.ToString(CultureInfo.InvariantCulture)}";
        }

        if (options.Ingest.CustomerIdKey is { Length: > 0 } key && System.Text.Encoding.UTF8.GetByteCount(key) < Clv.Modeling.Ingest.CustomerIdHasher.MinKeyBytes)
        {
            yield return $"Clv:Ingest:CustomerIdKey must be at least {Clv.Modeling.Ingest.CustomerIdHasher.MinKeyBytes} bytes long (the value is not shown)";
        }

        if (options.Ingest.Currency is { Length: > 0 } currency && !Clv.Modeling.Ingest.ExportMapping.IsCurrencyCode(currency))
        {
            yield return $"Clv:Ingest:Currency must be a three-letter currency code such as EUR, was '{currency}'";
        }

        var ingest = options.Ingest;
        if (!(ingest.MaxAmount > 0 && ingest.MaxAmount <= 1e15))
        {
            yield return $"Clv:Ingest:MaxAmount must be above 0 and at most 1e15, was {ingest.MaxAmount.ToString(CultureInfo.InvariantCulture)}";
        }

        if (ingest.MaxDecompressedBytes < 1)
        {
            yield return $"Clv:Ingest:MaxDecompressedBytes must be positive, was {ingest.MaxDecompressedBytes}";
        }

        if (!(ingest.MaxCompressionRatio >= 1))
        {
            yield return $"Clv:Ingest:MaxCompressionRatio must be at least 1, was {ingest.MaxCompressionRatio.ToString(CultureInfo.InvariantCulture)}";
        }

        if (options.Http.MaxScoreRequestBytes < 64)
        {
            yield return $"Clv:Http:MaxScoreRequestBytes must be at least 64, was {options.Http.MaxScoreRequestBytes}";
        }

        if (options.Http.MaxTransactions < 1)
        {
            yield return $"Clv:Http:MaxTransactions must be positive, was {options.Http.MaxTransactions}";
        }

        if (options.Http.ModelRefreshInterval < TimeSpan.Zero)
        {
            yield return $"Clv:Http:ModelRefreshInterval must not be negative, was {options.Http.ModelRefreshInterval}";
        }
    }

    /// <summary>
    /// Runs a record's own check; its <see cref="ArgumentOutOfRangeException"/> becomes one error that starts with the
    /// setting's key, <c>Clv:{section}:{setting}</c>.
    /// </summary>
    private static string? Check(Action validate, string section)
    {
        try
        {
            validate();
            return null;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            var message = ex.Message.Split('\n')[0].Split(" (Parameter", StringSplitOptions.None)[0];
            var actual = ex.ActualValue is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : ex.ActualValue?.ToString();
            var was = actual is null || message.Contains("was '", StringComparison.Ordinal) ? string.Empty : $" (was {actual})";
            return $"{ClvOptions.SectionName}:{section}:{ex.ParamName} is invalid: {message}{was}";
        }
    }

    private static bool TryParseSchedule(string schedule, [NotNullWhen(false)] out string? error)
    {
        try
        {
            _ = Cronos.CronExpression.Parse(schedule, Cronos.CronFormat.IncludeSeconds);
            error = null;
            return true;
        }
        catch (Cronos.CronFormatException ex)
        {
            error = ex.Message;
            return false;
        }
        catch (ArgumentNullException)
        {
            error = "it is empty";
            return false;
        }
    }
}

/// <summary>Invalid configuration found at start-up; the message names the setting.</summary>
public sealed class ClvConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClvConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message naming the setting.</summary>
    public ClvConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ClvConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
