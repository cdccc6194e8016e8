using Clv.Pipeline.Train;
using Microsoft.Azure.Functions.Worker;

namespace Clv.Functions;

/// <summary>Trains, evaluates, promotes and fans out scoring on app setting <c>ClvTrainingSchedule</c>.</summary>
public sealed class TrainingTimer(TrainJob job)
{
    /// <summary>Runs one training; never on start-up.</summary>
    [Function(FunctionNames.Train)]
    public async Task RunAsync(
        [TimerTrigger(FunctionNames.TrainingSchedule, RunOnStartup = false)] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await job.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
