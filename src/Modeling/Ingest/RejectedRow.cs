namespace Clv.Modeling.Ingest;

/// <summary>A row of an export that was not accepted, kept so that nothing is lost.</summary>
/// <param name="LineNumber">1-based line of the file where the row starts (the header is line 1).</param>
/// <param name="Reason">Why the row was rejected, naming the field and its value.</param>
/// <param name="RawText">The row as it appears in the file, without its line break.</param>
public sealed record RejectedRow(long LineNumber, string Reason, string RawText);
