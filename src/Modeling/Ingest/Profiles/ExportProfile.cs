namespace Clv.Modeling.Ingest;

/// <summary>
/// What a shop platform's export means: which columns are the customer, the order, the time and the amount, which
/// statuses are not revenue, how refunds net out, and how order-level fields that appear once per order are read.
/// </summary>
/// <param name="Name">The profile's name, shown in summaries (e.g. <c>shopify-orders</c>).</param>
/// <param name="Platform">The platform and export, in words.</param>
/// <param name="Signature">Header names that must all be present for the profile to be detected.</param>
/// <param name="Customer">The customer column.</param>
/// <param name="Timestamp">The order time column.</param>
/// <param name="Amount">The order or payment amount column.</param>
/// <param name="OrderId">The order id column.</param>
/// <param name="CustomerFallback">A column read when <paramref name="Customer"/> is blank (e.g. the e-mail of a guest payment), or <see langword="null"/>.</param>
/// <param name="Refund">Refunded amount, subtracted from the amount (netting partial refunds), or <see langword="null"/>.</param>
/// <param name="Currency">Currency code column, or <see langword="null"/>.</param>
/// <param name="Quantity">Items column, or <see langword="null"/>.</param>
/// <param name="Exclusions">Columns whose listed values mark a row as not revenue (compared case-insensitively).</param>
/// <param name="OncePerOrder">
/// One row per line item, with the order's amount and customer on its first row only: rows whose amount is blank
/// but whose order id is set are further lines of an order already counted, and are skipped.
/// </param>
public sealed record ExportProfile(
    string Name,
    string Platform,
    IReadOnlyList<string> Signature,
    string Customer,
    string Timestamp,
    string Amount,
    string? OrderId,
    string? CustomerFallback = null,
    string? Refund = null,
    string? Currency = null,
    string? Quantity = null,
    IReadOnlyList<StatusRule>? Exclusions = null,
    bool OncePerOrder = false);

/// <summary>Rows whose <paramref name="Column"/> holds one of <paramref name="Values"/> are not revenue.</summary>
/// <param name="Column">The status (or mode, or flag) column.</param>
/// <param name="Values">Values that exclude a row, compared case-insensitively after trimming.</param>
public sealed record StatusRule(string Column, IReadOnlyList<string> Values);

/// <summary>The built-in export profiles of the common shop platforms.</summary>
public static class ExportProfiles
{
    /// <summary>The name of the fallback that uses the common header names only.</summary>
    public const string Generic = "generic";

    /// <summary>
    /// Shopify Admin, Orders, Export (CSV for Excel or plain CSV): one row per line item; <c>Email</c>, <c>Financial Status</c>,
    /// <c>Total</c>, <c>Refunded Amount</c> and <c>Currency</c> on each order's first row only. Spend is <c>Total</c> minus
    /// <c>Refunded Amount</c>; <c>pending</c>, <c>voided</c> and <c>refunded</c> orders are not revenue.
    /// </summary>
    public static ExportProfile Shopify { get; } = new(
        "shopify-orders",
        "Shopify orders export",
        ["Name", "Email", "Financial Status", "Total", "Created at", "Lineitem name"],
        Customer: "Email",
        Timestamp: "Created at",
        Amount: "Total",
        OrderId: "Name",
        Refund: "Refunded Amount",
        Currency: "Currency",
        Exclusions: [new StatusRule("Financial Status", ["pending", "voided", "refunded", "expired"])],
        OncePerOrder: true);

    /// <summary>
    /// WooCommerce orders export (Customer/Order CSV Export, default format): one row per order, keyed by <c>billing_email</c>
    /// (guests have <c>customer_id</c> 0); spend is <c>order_total</c> minus <c>refunded_total</c>.
    /// </summary>
    public static ExportProfile WooCommerce { get; } = new(
        "woocommerce-orders",
        "WooCommerce orders export",
        ["order_id", "order_date", "status", "order_total", "billing_email"],
        Customer: "billing_email",
        Timestamp: "order_date",
        Amount: "order_total",
        OrderId: "order_id",
        Refund: "refunded_total",
        Currency: "order_currency",
        Exclusions: [new StatusRule("status", ["pending", "on-hold", "cancelled", "refunded", "failed", "checkout-draft", "trash"])]);

    /// <summary>
    /// Stripe Dashboard, Payments, Export (unified payments): one row per payment, keyed by <c>Customer ID</c>, or by
    /// <c>Customer Email</c> for payments without a customer; spend is <c>Amount</c> minus <c>Amount Refunded</c>.
    /// Failed, refunded and canceled payments, uncaptured ones and test-mode ones are not revenue.
    /// </summary>
    public static ExportProfile Stripe { get; } = new(
        "stripe-payments",
        "Stripe payments export",
        ["id", "Created date (UTC)", "Amount", "Amount Refunded", "Status"],
        Customer: "Customer ID",
        Timestamp: "Created date (UTC)",
        Amount: "Amount",
        OrderId: "id",
        CustomerFallback: "Customer Email",
        Refund: "Amount Refunded",
        Currency: "Currency",
        Exclusions:
        [
            new StatusRule("Status", ["failed", "refunded", "canceled", "cancelled", "pending", "requires_payment_method", "incomplete"]),
            new StatusRule("Mode", ["test"]),
            new StatusRule("Captured", ["false"]),
        ]);

    /// <summary>
    /// Magento 2 / Adobe Commerce admin Sales, Orders grid, Export CSV: one row per order, keyed by <c>Customer Email</c>;
    /// spend is <c>Grand Total (Base)</c> (the base currency, so one currency per store) minus <c>Total Refunded</c>.
    /// </summary>
    public static ExportProfile Magento { get; } = new(
        "magento-orders",
        "Magento 2 / Adobe Commerce order grid export",
        ["ID", "Purchase Date", "Grand Total (Base)", "Status", "Customer Email"],
        Customer: "Customer Email",
        Timestamp: "Purchase Date",
        Amount: "Grand Total (Base)",
        OrderId: "ID",
        Refund: "Total Refunded",
        Exclusions: [new StatusRule("Status", ["pending", "canceled", "cancelled", "closed", "on hold", "holded", "suspected fraud", "fraud", "payment review", "pending payment"])]);

    /// <summary>
    /// BigCommerce Orders, Export (default template): one row per order, keyed by <c>Customer Email</c> (guests have
    /// <c>Customer ID</c> 0); spend is <c>Order Total (inc tax)</c> minus <c>Refund Amount</c> when the export has it.
    /// </summary>
    public static ExportProfile BigCommerce { get; } = new(
        "bigcommerce-orders",
        "BigCommerce orders export",
        ["Order ID", "Customer Email", "Order Date", "Order Status", "Order Total (inc tax)"],
        Customer: "Customer Email",
        Timestamp: "Order Date",
        Amount: "Order Total (inc tax)",
        OrderId: "Order ID",
        Refund: "Refund Amount",
        Currency: "Order Currency Code",
        Quantity: "Total Quantity",
        Exclusions: [new StatusRule("Order Status", ["pending", "incomplete", "awaiting payment", "cancelled", "declined", "refunded", "disputed", "manual verification required"])]);

    /// <summary>Every built-in profile, in detection order.</summary>
    public static IReadOnlyList<ExportProfile> All { get; } = [Shopify, WooCommerce, Stripe, Magento, BigCommerce];

    /// <summary>The names <see cref="ExportReaderOptions.Profile"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name), Generic];

    /// <summary>The profile named <paramref name="name"/> (case-insensitive); <see langword="null"/> for <c>generic</c>.</summary>
    /// <exception cref="ArgumentException">No profile has that name.</exception>
    public static ExportProfile? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.Equals(name, Generic, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"unknown export profile '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>The first profile whose signature columns are all in <paramref name="header"/>, or <see langword="null"/>.</summary>
    public static ExportProfile? Detect(IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var names = header.Select(ExportColumns.Normalize).ToHashSet(StringComparer.Ordinal);
        return All.FirstOrDefault(p => p.Signature.All(c => names.Contains(ExportColumns.Normalize(c))));
    }
}
