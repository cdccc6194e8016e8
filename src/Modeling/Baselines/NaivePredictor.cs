using Clv.Modeling.Evaluation;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Baselines;

/// <summary>
/// The naive baseline: a customer keeps spending at their calibration rate. Predicted spend =
/// net calibration spend / calibration length x horizon (floored at 0), and likewise for purchase days.
/// </summary>
/// <remarks>
/// The calibration period runs from <paramref name="calibrationStart"/> (by default the day of the
/// earliest calibration transaction) to the calibration end, both days included, and is the same for
/// every customer: with equal calibration and horizon lengths the prediction is last period's spend.
/// </remarks>
/// <param name="calibrationStart">First day of the calibration period; <see langword="null"/> for the earliest transaction's day.</param>
public sealed class NaivePredictor(DateTime? calibrationStart = null) : IBaselinePredictor
{
    /// <inheritdoc/>
    public string ModelName => ModelNames.Naive;

    /// <inheritdoc/>
    public IReadOnlyList<BaselinePrediction> Predict(IEnumerable<Transaction> calibration, DateTime calibrationEnd, TimeSpan horizon)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        var endDay = DateOnly.FromDateTime(calibrationEnd);
        var inPeriod = calibration.Where(t => DateOnly.FromDateTime(t.Timestamp) <= endDay).ToArray();
        if (inPeriod.Length == 0)
        {
            return [];
        }

        var startDay = calibrationStart is { } start
            ? DateOnly.FromDateTime(start)
            : DateOnly.FromDateTime(inPeriod.Min(t => t.Timestamp));
        var periodDays = endDay.DayNumber - startDay.DayNumber + 1;
        if (periodDays <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(calibrationEnd), calibrationEnd, $"The calibration end is before the calibration start {startDay:yyyy-MM-dd}.");
        }

        var scale = horizon.TotalDays / periodDays;
        return RfmSummary.Build(inPeriod.Where(t => DateOnly.FromDateTime(t.Timestamp) >= startDay), calibrationEnd)
            .Select(c => new BaselinePrediction(c.CustomerId, (c.Frequency + 1) * scale, Math.Max(0, c.CalibrationSpend * scale)))
            .ToArray();
    }
}
