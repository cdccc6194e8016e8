using Clv.Modeling.Ingest;

namespace Clv.Modeling.Baselines;

/// <summary>Transactions merged into one net amount per customer per day.</summary>
internal static class CustomerDays
{
    /// <summary>
    /// Net amount per customer and day, days ascending, customers ordered by id (ordinal),
    /// keeping days on or before <paramref name="lastDay"/>.
    /// </summary>
    public static SortedDictionary<string, List<(DateOnly Day, double Amount)>> Merge(IEnumerable<Transaction> transactions, DateOnly lastDay)
    {
        var perCustomer = new Dictionary<string, SortedDictionary<DateOnly, double>>(StringComparer.Ordinal);
        foreach (var transaction in transactions)
        {
            var day = DateOnly.FromDateTime(transaction.Timestamp);
            if (day > lastDay)
            {
                continue;
            }

            if (!perCustomer.TryGetValue(transaction.CustomerId, out var days))
            {
                days = [];
                perCustomer.Add(transaction.CustomerId, days);
            }

            days[day] = days.GetValueOrDefault(day) + transaction.Amount;
        }

        var merged = new SortedDictionary<string, List<(DateOnly Day, double Amount)>>(StringComparer.Ordinal);
        foreach (var (customerId, days) in perCustomer)
        {
            merged.Add(customerId, days.Select(d => (d.Key, d.Value)).ToList());
        }

        return merged;
    }
}
