namespace Clv.Modeling.Ingest;

/// <summary>Receives every rejected row of an export, in file order.</summary>
public interface IRejectedRowSink
{
    /// <summary>Records one rejected row.</summary>
    void Add(RejectedRow row);
}
