namespace Clv.Modeling.Synthetic;

/// <summary>What a generated export contains: the ground truth to check a reader against.</summary>
/// <param name="Customers">Customers with at least one line.</param>
/// <param name="Rows">Data rows written, dirty rows included.</param>
/// <param name="DirtyRows">Rows a reader must reject.</param>
/// <param name="TextBytes">Bytes of text written (before any compression).</param>
/// <param name="TotalSpend">Sum of the amounts of the clean rows, as written (returns negative).</param>
public sealed record SyntheticExportSummary(int Customers, long Rows, long DirtyRows, long TextBytes, double TotalSpend);
