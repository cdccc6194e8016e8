using System.Globalization;
using Clv.Modeling.Ingest;

namespace Clv.Modeling.Baselines;

/// <summary>
/// A customer's purchase history up to the end of a calibration period, as the BG/NBD and
/// Gamma-Gamma models read it. All of one customer's purchases on one day count as one transaction;
/// the first purchase is not a repeat.
/// </summary>
/// <param name="CustomerId">The customer's id.</param>
/// <param name="Frequency">Repeat transactions in the calibration period (purchase days after the first), <c>x</c>.</param>
/// <param name="Recency">Time from the first to the last purchase, <c>t_x</c>, in time units; 0 without repeats.</param>
/// <param name="Age">Time from the first purchase to the end of the calibration period, <c>T</c>, in time units.</param>
/// <param name="MeanRepeatSpend">Mean spend of a repeat transaction; 0 without repeats.</param>
/// <param name="CalibrationSpend">Net spend over the whole calibration period, first purchase and returns included.</param>
public sealed record RfmSummary(
    string CustomerId,
    int Frequency,
    double Recency,
    double Age,
    double MeanRepeatSpend,
    double CalibrationSpend)
{
    /// <summary>
    /// Summarises transactions up to and including the day of <paramref name="calibrationEnd"/>; later
    /// transactions are ignored. Amounts of one customer on one day are summed into one transaction;
    /// a day whose net amount is negative (returns only) is not a purchase but still counts in
    /// <see cref="CalibrationSpend"/>. Customers without a purchase day are left out.
    /// </summary>
    /// <returns>One summary per customer, ordered by customer id (ordinal).</returns>
    public static IReadOnlyList<RfmSummary> Build(IEnumerable<Transaction> transactions, DateTime calibrationEnd, BaselineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var unitDays = (options ?? BaselineOptions.Default).TimeUnit.TotalDays;
        if (!(unitDays > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), unitDays, "The time unit must be positive.");
        }

        var endDay = DateOnly.FromDateTime(calibrationEnd);
        var summaries = new List<RfmSummary>();
        foreach (var (customerId, days) in CustomerDays.Merge(transactions, endDay))
        {
            var netSpend = 0.0;
            DateOnly? first = null;
            var last = default(DateOnly);
            var repeats = 0;
            var repeatSpend = 0.0;
            foreach (var (day, amount) in days)
            {
                netSpend += amount;
                if (amount < 0)
                {
                    continue;
                }

                if (first is null)
                {
                    first = day;
                }
                else
                {
                    repeats++;
                    repeatSpend += amount;
                }

                last = day;
            }

            if (first is { } firstDay)
            {
                summaries.Add(new RfmSummary(
                    customerId,
                    repeats,
                    (last.DayNumber - firstDay.DayNumber) / unitDays,
                    (endDay.DayNumber - firstDay.DayNumber) / unitDays,
                    repeats == 0 ? 0 : repeatSpend / repeats,
                    netSpend));
            }
        }

        return summaries;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{CustomerId}: x={Frequency}, t_x={Recency:G4}, T={Age:G4}, m={MeanRepeatSpend:G4}");
}
