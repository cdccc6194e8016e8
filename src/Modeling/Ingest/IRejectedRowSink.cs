namespace Clv.Modeling.Ingest;

/// <summary>
/// Receives every rejected row of an export, in file order. Calls never overlap, but when an export is featurized on
/// several threads they may come from any of them.
/// </summary>
public interface IRejectedRowSink
{
    /// <summary>Records one rejected row.</summary>
    void Add(RejectedRow row);
}
