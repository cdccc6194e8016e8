using System.Text.Json;

namespace Clv.Cli.Commands;

/// <summary>What <c>clv inspect --json</c> prints (<see cref="Modeling.Ingest.ExportInspection"/> as JSON).</summary>
/// <param name="File">The file name.</param>
/// <param name="Profile">The profile the export is read with, or <c>generic</c>.</param>
/// <param name="Platform">The profile's platform in words, or <see langword="null"/> for <c>generic</c>.</param>
/// <param name="Columns">Each role and the header name it is read from.</param>
/// <param name="NonRevenue">Each status column and the values that make a row not revenue.</param>
/// <param name="DateFormat">The date layout in use.</param>
/// <param name="Currency">The currency amounts are counted in, or <see langword="null"/>.</param>
/// <param name="HashedIds">Whether e-mail and phone customer ids are keyed.</param>
/// <param name="Mapping">The mapping in use, as a mapping file would hold it.</param>
/// <param name="Rows">Data rows read.</param>
/// <param name="Accepted">Rows that would count.</param>
/// <param name="Rejected">Rows that would be rejected.</param>
/// <param name="Skipped">Further lines of orders counted once, and guest rows.</param>
/// <param name="Excluded">Rows that are not revenue.</param>
/// <param name="TotalSpend">The sum of accepted amounts, rounded to cents.</param>
/// <param name="Sample">The first accepted rows, as they would be counted.</param>
/// <param name="RejectedRows">The first rejected rows with their reasons.</param>
/// <param name="Failure">Why the file would fail as a whole, or <see langword="null"/>.</param>
internal sealed record InspectReport(
    string File,
    string Profile,
    string? Platform,
    IReadOnlyDictionary<string, string> Columns,
    IReadOnlyDictionary<string, IReadOnlyList<string>> NonRevenue,
    string DateFormat,
    string? Currency,
    bool HashedIds,
    JsonElement Mapping,
    long Rows,
    long Accepted,
    long Rejected,
    long Skipped,
    long Excluded,
    double TotalSpend,
    IReadOnlyList<InspectSampleRow> Sample,
    IReadOnlyList<InspectRejectedRow> RejectedRows,
    string? Failure);

/// <summary>An accepted row of <see cref="InspectReport"/>.</summary>
/// <param name="CustomerId">The customer id as counted (keyed when ids are hashed).</param>
/// <param name="Timestamp">When the order was placed, <c>yyyy-MM-dd HH:mm:ss</c>.</param>
/// <param name="Amount">Net amount.</param>
/// <param name="OrderId">The order id, or <see langword="null"/>.</param>
/// <param name="Quantity">Items; 0 when the export has no quantity column.</param>
internal sealed record InspectSampleRow(string CustomerId, string Timestamp, double Amount, string? OrderId, double Quantity);

/// <summary>A rejected row of <see cref="InspectReport"/>.</summary>
/// <param name="Line">The line number in the file.</param>
/// <param name="Reason">Why it would be rejected.</param>
/// <param name="Raw">The line as read.</param>
internal sealed record InspectRejectedRow(long Line, string Reason, string Raw);
