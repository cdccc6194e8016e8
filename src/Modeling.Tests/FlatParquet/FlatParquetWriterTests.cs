using System.Globalization;
using Clv.Modeling.FlatParquet;
using Parquet;
using Parquet.Schema;

namespace Clv.Modeling.Tests.FlatParquet;

/// <summary>
/// Files of <see cref="FlatParquetWriter"/> read back by Parquet.Net and by DuckDB: values, types, metadata and
/// statistics, at the edges of each type and of the footer's encoding.
/// </summary>
public sealed class FlatParquetWriterTests : IDisposable
{
    private static readonly FlatColumn[] Columns =
    [
        new("name", FlatColumnType.String),
        new("day", FlatColumnType.Date),
        new("amount", FlatColumnType.Double),
        new("count", FlatColumnType.Int32),
    ];

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("clv-flat-parquet-");

    public void Dispose() => _directory.Delete(recursive: true);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static EncodedRowGroup Group(string[] names, DateOnly[] days, double[] amounts, int[] counts)
    {
        var group = new EncodedRowGroup(names.Length);
        group.AddStrings(names);
        group.AddDates(days);
        group.AddDoubles(amounts);
        group.AddInt32s(counts);
        return group;
    }

    private async Task<string> WriteAsync(IReadOnlyList<FlatColumn> columns, IEnumerable<Func<EncodedRowGroup>> groups, params KeyValuePair<string, string>[] metadata)
    {
        var path = Path.Combine(_directory.FullName, $"{Guid.NewGuid():N}.parquet");
        await using var file = File.Create(path);
        var writer = await FlatParquetWriter.CreateAsync(file, columns, metadata, Token);
        foreach (var make in groups)
        {
            using var group = make();
            await writer.WriteRowGroupAsync(group, Token);
        }

        await writer.FinishAsync(Token);
        return path;
    }

    private static List<object?[]> Query(string sql) => DuckDbQuery.Rows(sql);

    [Fact]
    public async Task RowGroups_ReadByParquetNet_GiveBackEveryValueTypeAndTheMetadata()
    {
        string[] names = ["", "a", "naïve", "\U0001F600 emoji", "C0001", "C0002", "日本", "z"];
        DateOnly[] days = [DateOnly.MinValue, new(1969, 12, 31), new(1970, 1, 1), new(2024, 2, 29), DateOnly.MaxValue, new(2000, 1, 1), new(2010, 6, 15), new(1999, 12, 31)];
        double[] amounts = [-0.0, 0.0, -5.5, 1e308, double.Epsilon, 12.34, -1e-300, 7];
        int[] counts = [int.MinValue, int.MaxValue, 0, -1, 1, 42, 7, 3];
        int[] sizes = [3, 1, 4];
        var path = await WriteAsync(
            Columns,
            sizes.Select((size, g) => (Func<EncodedRowGroup>)(() =>
            {
                var start = sizes.Take(g).Sum();
                return Group(names[start..(start + size)], days[start..(start + size)], amounts[start..(start + size)], counts[start..(start + size)]);
            })),
            new KeyValuePair<string, string>("clv.bucket", "day"));

        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file, new ParquetOptions { UseDateOnlyTypeForDates = true }, cancellationToken: Token);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["name", "day", "amount", "count"], fields.Select(f => f.Name));
        Assert.All(fields, f => Assert.False(f.IsNullable));
        Assert.Equal("day", reader.CustomMetadata["clv.bucket"]);
        Assert.Equal(sizes.Length, reader.RowGroupCount);
        var (readNames, readDays, readAmounts, readCounts) = (new List<string>(), new List<DateOnly>(), new List<double>(), new List<int>());
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = (int)group.RowCount;
            Assert.Equal(sizes[g], rows);
            var (n, d, a, c) = (new string?[rows], new DateOnly[rows], new double[rows], new int[rows]);
            await group.ReadAsync(fields[0], n.AsMemory(), null, Token);
            await group.ReadAsync(fields[1], d.AsMemory(), null, Token);
            await group.ReadAsync(fields[2], a.AsMemory(), null, Token);
            await group.ReadAsync(fields[3], c.AsMemory(), null, Token);
            (readNames, readDays, readAmounts, readCounts) = ([.. readNames, .. n.Select(x => x!)], [.. readDays, .. d], [.. readAmounts, .. a], [.. readCounts, .. c]);
        }

        Assert.Equal(names, readNames);
        Assert.Equal(days, readDays);
        Assert.Equal(amounts.Select(BitConverter.DoubleToInt64Bits), readAmounts.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(counts, readCounts);
    }

    [Fact]
    public async Task Statistics_ReadByDuckDb_AreEachRowGroupsLeastAndGreatestInTheColumnsOwnOrder()
    {
        // UTF-16 ordinal order puts the emoji (a surrogate pair, 0xD83D...) before U+FF61; Parquet orders UTF-8 bytes,
        // where U+FF61 (0xEF...) comes first.
        var path = await WriteAsync(
            Columns,
            [
                () => Group(["b", "\U0001F600", "\uFF61", "a"], [new(2024, 5, 1), new(1960, 1, 2), new(2030, 1, 1), new(2000, 1, 1)], [2.5, 0.0, 1.0, 3.0], [5, -7, 9, 0]),
                () => Group(["m"], [new(2020, 1, 1)], [double.NaN], [1]),
            ]);

        var stats = Query($"SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value FROM parquet_metadata('{path}') ORDER BY row_group_id, column_id")
            .Select(row => (Group: Convert.ToInt64(row[0], CultureInfo.InvariantCulture), Column: (string)row[1]!, Min: (string?)row[2], Max: (string?)row[3]))
            .ToList();

        Assert.Equal(("a", "\U0001F600"), (stats[0].Min, stats[0].Max));
        Assert.Equal(("1960-01-02", "2030-01-01"), (stats[1].Min, stats[1].Max));
        Assert.Equal(("-0.0", "3.0"), (stats[2].Min, stats[2].Max));
        Assert.Equal(("-7", "9"), (stats[3].Min, stats[3].Max));
        Assert.Equal("amount", stats[6].Column);
        Assert.Equal(((string?)null, (string?)null), (stats[6].Min, stats[6].Max));
        var rows = Query($"SELECT count(*), min(name), max(name), sum(count)::BIGINT FROM read_parquet('{path}')").Single();
        Assert.Equal(5L, Convert.ToInt64(rows[0], CultureInfo.InvariantCulture));
        Assert.Equal("\U0001F600", rows[2]);
        Assert.Equal(8L, Convert.ToInt64(rows[3], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ManyColumnsAndRowGroups_TheFootersLongListsReadBack()
    {
        // Thrift's compact protocol writes lists of 15 or more elements, and field ids more than 15 apart, differently.
        var columns = Enumerable.Range(0, 17).Select(c => new FlatColumn($"c{c}", FlatColumnType.Int32)).ToArray();
        var path = await WriteAsync(
            columns,
            Enumerable.Range(0, 20).Select(g => (Func<EncodedRowGroup>)(() =>
            {
                var group = new EncodedRowGroup(2);
                for (var c = 0; c < columns.Length; c++)
                {
                    group.AddInt32s([g * 100 + c, -c]);
                }

                return group;
            })));

        var sums = Query($"SELECT count(*), sum(c0)::BIGINT, sum(c16)::BIGINT, min(c16) FROM read_parquet('{path}')").Single();
        Assert.Equal(40L, Convert.ToInt64(sums[0], CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(0, 20).Sum(g => g * 100), Convert.ToInt64(sums[1], CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(0, 20).Sum(g => g * 100 + 16) - (20 * 16), Convert.ToInt64(sums[2], CultureInfo.InvariantCulture));
        Assert.Equal(-16, Convert.ToInt32(sums[3], CultureInfo.InvariantCulture));
        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file, cancellationToken: Token);
        Assert.Equal(20, reader.RowGroupCount);
        Assert.Equal(17, reader.Schema.GetDataFields().Length);
    }

    [Fact]
    public async Task NoRowGroups_IsAnEmptyFileWithTheColumns()
    {
        var path = await WriteAsync(Columns, []);

        var types = Query($"DESCRIBE SELECT * FROM read_parquet('{path}')").Select(row => ((string)row[0]!, (string)row[1]!));
        Assert.Equal([("name", "VARCHAR"), ("day", "DATE"), ("amount", "DOUBLE"), ("count", "INTEGER")], types);
        Assert.Equal(0L, Convert.ToInt64(Query($"SELECT count(*) FROM read_parquet('{path}')").Single()[0], CultureInfo.InvariantCulture));
        await using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file, cancellationToken: Token);
        Assert.Equal(0, reader.RowGroupCount);
    }

    [Fact]
    public async Task RowGroupOfOtherColumns_IsRefusedNamingTheColumn()
    {
        await using var stream = new MemoryStream();
        var writer = await FlatParquetWriter.CreateAsync(stream, Columns, [], Token);
        using var group = new EncodedRowGroup(1);
        group.AddStrings(["a"]);
        group.AddDoubles([1.0]);
        group.AddDoubles([2.0]);
        group.AddInt32s([3]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteRowGroupAsync(group, Token));
        Assert.Contains("'day'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ColumnOfAnotherLength_IsRefused()
    {
        using var group = new EncodedRowGroup(2);
        var error = Assert.Throws<ArgumentException>(() => group.AddInt32s([1, 2, 3]));
        Assert.Contains("3 values", error.Message, StringComparison.Ordinal);
    }
}
