using Microsoft.Extensions.Logging;

namespace Clv.Modeling.Scoring;

/// <summary>Log events of <see cref="ClvScorer"/>.</summary>
internal static partial class ScorerLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "CUDA execution provider requested but unavailable ({Reason}); scoring on CPU")]
    public static partial void CudaUnavailable(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Loaded model {ModelVersion} from {Source} on {ExecutionProvider}")]
    public static partial void ModelLoaded(ILogger logger, string modelVersion, string source, ScoringExecutionProvider executionProvider);
}
