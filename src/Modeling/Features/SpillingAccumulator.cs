namespace Clv.Modeling.Features;

/// <summary>
/// One featurize thread's aggregation under a memory budget. Rows are summed into cells in memory
/// (<see cref="PartialAccumulator"/>) until its tables hold more than the budget; then the cells, sorted, go to a local
/// run file, and every later row is kept as it is, in a buffer that is sorted and spilled each time it fills.
/// </summary>
/// <remarks>
/// Later rows are spilled one by one, not summed into further cells, because a cell whose rows fall on both sides of a
/// spill must end with the sums the in-memory path gives: each row added, in file order, to the sums so far (floating
/// point addition is not associative, and partials are compared byte for byte), and each order counted once however
/// its lines fall (the spilled cells carry their order keys). <see cref="CellRunMerger"/> replays the rows onto the
/// spilled cells.
/// </remarks>
internal sealed class SpillingAccumulator(BucketSize bucket, long budgetBytes, SpillFolder folder)
{
    private readonly List<CellRun> _runs = [];
    private PartialAccumulator? _cells = new(bucket);
    private RowBuffer? _rows;

    public BucketSize Bucket => bucket;

    /// <summary>The cells, while nothing was spilled; <see langword="null"/> after.</summary>
    public PartialAccumulator? Cells => _cells;

    /// <summary>Whether anything went to a run file.</summary>
    public bool Spilled => _runs.Count > 0;

    /// <summary>The run files, oldest first: the cells, then the rows after them.</summary>
    public IReadOnlyList<CellRun> Runs => _runs;

    /// <summary>Adds every row of <paramref name="block"/>, in order, spilling when the budget is exceeded.</summary>
    public void Add(RowBlock block)
    {
        if (_cells is not null)
        {
            _cells.Add(block);
            if (_cells.HeldBytes > budgetBytes)
            {
                SpillCells();
            }

            return;
        }

        _rows!.Add(block);
        if (_rows.HeldBytes > budgetBytes)
        {
            SpillRows();
        }
    }

    /// <summary>Spills what is still in memory (once every row is in, when this or another thread spilled).</summary>
    public void SpillRest()
    {
        if (_cells is not null)
        {
            if (_cells.CustomerCount > 0)
            {
                SpillCells();
            }
        }
        else if (_rows!.Count > 0)
        {
            SpillRows();
        }

        _cells = null;
        _rows = null;
    }

    private void SpillCells()
    {
        var cells = _cells!;
        var path = folder.NextPath();
        var count = 0L;
        var orderKeys = cells.SortedOrderKeys();
        using (var writer = SpillFolder.Create(path))
        {
            var customerCells = new List<PartialAccumulator.Cell>();
            foreach (var customer in SortedCustomers(cells))
            {
                customerCells.Clear();
                var open = cells.OpenCellOf(customer);
                if (cells.HasOpenCell(customer))
                {
                    customerCells.Add(open);
                }

                for (var index = open.Previous; index >= 0; index = cells.CellAt(index).Previous)
                {
                    customerCells.Add(cells.CellAt(index));
                }

                customerCells.Sort(static (a, b) => a.Bucket.CompareTo(b.Bucket));
                var id = cells.Id(customer);
                foreach (var cell in customerCells)
                {
                    writer.Write7BitEncodedInt(id.Length);
                    writer.Write(id);
                    writer.Write(cell.Bucket);
                    writer.Write(cell.NetSpend);
                    writer.Write(cell.Items);
                    writer.Write(cell.Orders);
                    writer.Write(cell.Returns);
                    if (cell.Orders == 1)
                    {
                        writer.Write(cell.LastOrderKey);
                    }
                    else if (cell.Orders > 1)
                    {
                        // A cell with two or more orders has exactly that many keys in the set.
                        var cellId = PartialAccumulator.CellId(customer, cell.Bucket);
                        var first = FirstOf(orderKeys, cellId);
                        for (var k = 0; k < cell.Orders; k++)
                        {
                            writer.Write(orderKeys[first + k].Key);
                        }
                    }

                    count++;
                }
            }
        }

        _runs.Add(new CellRun(path, count, HoldsCells: true));
        _cells = null;
        _rows = new RowBuffer();
    }

    private void SpillRows()
    {
        var path = folder.NextPath();
        using (var writer = SpillFolder.Create(path))
        {
            _rows!.WriteSorted(writer);
        }

        _runs.Add(new CellRun(path, _rows.Count, HoldsCells: false));
        _rows.Clear();
    }

    /// <summary>The customers in ordinal order of their ids.</summary>
    private static int[] SortedCustomers(PartialAccumulator cells)
    {
        var keys = new IdSortKey[cells.CustomerCount];
        var order = new int[keys.Length];
        for (var customer = 0; customer < keys.Length; customer++)
        {
            var (high, low, _) = cells.SortKey(customer);
            keys[customer] = new IdSortKey(high, low, System.Text.Ascii.IsValid(cells.Id(customer)));
            order[customer] = customer;
        }

        order.AsSpan().Sort((a, b) => IdOrder.Compare(keys[a], cells.Id(a), keys[b], cells.Id(b)));
        return order;
    }

    private static int FirstOf((long Cell, ulong Key)[] orderKeys, long cellId)
    {
        int low = 0, high = orderKeys.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (orderKeys[middle].Cell < cellId)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}

/// <summary>One sorted run file spilled by a featurize thread: (customer, bucket) records in ascending order.</summary>
/// <param name="Path">The local file.</param>
/// <param name="Count">Records in it.</param>
/// <param name="HoldsCells">
/// True: summed cells with their order keys (at most one record per cell); false: single rows, those of one cell in
/// file order.
/// </param>
internal sealed record CellRun(string Path, long Count, bool HoldsCells);

/// <summary>A folder of run files under the temporary path, made at the first spill and deleted with everything in it.</summary>
internal sealed class SpillFolder : IDisposable
{
    private readonly string _path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "clv-featurize-runs-" + Guid.NewGuid().ToString("N"));
    private int _next;

    /// <summary>A new file name in the folder (thread-safe).</summary>
    public string NextPath()
    {
        Directory.CreateDirectory(_path);
        return System.IO.Path.Combine(_path, Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".run");
    }

    /// <summary>A writer over a new file at <paramref name="path"/>.</summary>
    public static BinaryWriter Create(string path) =>
        new(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16));

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_path))
            {
                Directory.Delete(_path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover folder of run files is harmless; the next export uses a new one.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
