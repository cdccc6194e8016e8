namespace Clv.Modeling.Ingest;

/// <summary>One accepted order line (or order) of a transaction export, after parsing.</summary>
/// <param name="CustomerId">The customer's id as it appears in the export.</param>
/// <param name="Timestamp">When the order was placed (UTC, or the export's local time when it carries no offset).</param>
/// <param name="Amount">Net amount of the line; negative for returns and cancellations.</param>
/// <param name="OrderId">The order id, or <see langword="null"/> when the export has none (one order per customer per day).</param>
/// <param name="Quantity">Items on the line; 0 when the export has no quantity column.</param>
public readonly record struct Transaction(
    string CustomerId,
    DateTime Timestamp,
    double Amount,
    string? OrderId = null,
    double Quantity = 0);
