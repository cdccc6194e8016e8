namespace Clv.Modeling.Ingest;

/// <summary>Keeps rejected rows in memory (small exports, tests, live requests).</summary>
public sealed class RejectedRowList : IRejectedRowSink
{
    private readonly List<RejectedRow> _rows = [];

    /// <summary>The rows rejected so far, in file order.</summary>
    public IReadOnlyList<RejectedRow> Rows => _rows;

    /// <inheritdoc/>
    public void Add(RejectedRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        _rows.Add(row);
    }

    internal void Clear() => _rows.Clear();
}
