using System.Buffers;

namespace Clv.Modeling.Features;

/// <summary>
/// One row group's cell columns (customer id, bucket start, net spend, orders, items, returns), rented from the shared
/// pool: what the partials writer and the shard rewriter fill row by row while they write, and what the shard reader
/// reads a row group into.
/// </summary>
/// <remarks>
/// Rented: the pipeline writes row group after row group, export after export, and fresh arrays each time were
/// large-object garbage that the runtime let pile up.
/// </remarks>
internal sealed class RentedCells : IDisposable
{
    /// <summary>Rents columns for at least <paramref name="capacity"/> rows.</summary>
    public RentedCells(int capacity)
    {
        Ids = ArrayPool<string>.Shared.Rent(capacity);
        Starts = ArrayPool<DateOnly>.Shared.Rent(capacity);
        NetSpend = ArrayPool<double>.Shared.Rent(capacity);
        Orders = ArrayPool<int>.Shared.Rent(capacity);
        Items = ArrayPool<double>.Shared.Rent(capacity);
        Returns = ArrayPool<int>.Shared.Rent(capacity);
    }

    /// <summary>Rows filled.</summary>
    public int Count { get; private set; }

    /// <summary>Customer ids; the first <see cref="Count"/> are rows.</summary>
    public string[] Ids { get; }

    /// <summary>First day of each row's bucket.</summary>
    public DateOnly[] Starts { get; }

    /// <summary>Net spend per row.</summary>
    public double[] NetSpend { get; }

    /// <summary>Orders per row.</summary>
    public int[] Orders { get; }

    /// <summary>Items per row.</summary>
    public double[] Items { get; }

    /// <summary>Returns per row.</summary>
    public int[] Returns { get; }

    /// <summary>Fills the next row; returns the rows filled.</summary>
    public int Add(string id, DateOnly start, double netSpend, int orders, double items, int returns)
    {
        var row = Count;
        Ids[row] = id;
        Starts[row] = start;
        NetSpend[row] = netSpend;
        Orders[row] = orders;
        Items[row] = items;
        Returns[row] = returns;
        return ++Count;
    }

    /// <summary>Empties the columns for the next row group (dropping the id references).</summary>
    public void Clear()
    {
        Array.Clear(Ids, 0, Count);
        Count = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<string>.Shared.Return(Ids, clearArray: true);
        ArrayPool<DateOnly>.Shared.Return(Starts);
        ArrayPool<double>.Shared.Return(NetSpend);
        ArrayPool<int>.Shared.Return(Orders);
        ArrayPool<double>.Shared.Return(Items);
        ArrayPool<int>.Shared.Return(Returns);
    }
}
