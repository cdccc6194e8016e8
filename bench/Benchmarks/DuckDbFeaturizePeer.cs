using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Clv.Benchmarks;

/// <summary>
/// The featurize benchmark's peer: DuckDB, in process, doing the work of <c>clv featurize</c> (day partials) the way a
/// DuckDB user would write it: <c>read_csv</c> with explicit column types, one <c>GROUP BY</c> customer and day, and
/// <c>COPY ... TO</c> Parquet (Snappy).
/// <list type="bullet">
/// <item><c>duckdb featurize PATH OUT.parquet synthetic|retail [THREADS]</c>: writes the partials and prints one JSON line
/// with the seconds from process start to the Parquet file written.</item>
/// <item><c>duckdb summarize PARQUET</c>: prints the cells and the total net spend of a partials file (ours or DuckDB's),
/// read by DuckDB, so the two runs can be checked to agree.</item>
/// <item><c>duckdb retail-generate PATH BYTES [SEED]</c>: writes a retail-shaped export (<see cref="RetailExportGenerator"/>).</item>
/// </list>
/// </summary>
internal static class DuckDbFeaturizePeer
{
    public static int Run(string[] args)
    {
        if (args.Length >= 4 && args[0] == "featurize")
        {
            var threads = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 2;
            return Featurize(args[1], args[2], args[3], threads);
        }

        if (args.Length == 2 && args[0] == "summarize")
        {
            return Summarize(args[1]);
        }

        if (args.Length >= 3 && args[0] == "retail-generate")
        {
            var clock = Stopwatch.StartNew();
            var seed = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
            var (rows, guests, cancelled) = RetailExportGenerator.WriteFile(args[1], long.Parse(args[2], CultureInfo.InvariantCulture), seed);
            Console.WriteLine(JsonSerializer.Serialize(new { rows, guests, cancelled, bytes = new FileInfo(args[1]).Length, seconds = clock.Elapsed.TotalSeconds }));
            return 0;
        }

        Console.Error.WriteLine("usage: Clv.Benchmarks duckdb featurize PATH OUT.parquet synthetic|retail [THREADS] | duckdb summarize PARQUET | duckdb retail-generate PATH BYTES [SEED]");
        return 2;
    }

    /// <summary>
    /// The query for each export shape. Rows whose values do not parse are skipped (<c>ignore_errors</c>), rows without a
    /// customer are left out; per (customer, day): net spend, distinct orders among purchase lines, items (returned items
    /// subtract) and return lines, as <c>clv featurize</c> counts them.
    /// </summary>
    internal static string Query(string path, string output, string shape)
    {
        var (columns, customer, timestamp, amount, quantity, order) = shape switch
        {
            "synthetic" => (
                "{'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'order_date': 'TIMESTAMP', 'product': 'VARCHAR', 'quantity': 'DOUBLE', 'amount': 'DOUBLE'}",
                "customer_id", "order_date", "amount", "quantity", "order_id"),
            "retail" => (
                "{'InvoiceNo': 'VARCHAR', 'StockCode': 'VARCHAR', 'Description': 'VARCHAR', 'Quantity': 'DOUBLE', 'InvoiceDate': 'TIMESTAMP', 'UnitPrice': 'DOUBLE', 'CustomerID': 'VARCHAR', 'Country': 'VARCHAR'}",
                "CustomerID", "InvoiceDate", "Quantity * UnitPrice", "Quantity", "InvoiceNo"),
            _ => throw new ArgumentException($"unknown shape '{shape}'; expected synthetic or retail", nameof(shape)),
        };
        return $"""
            COPY (
              SELECT {customer} AS customer_id,
                     CAST({timestamp} AS DATE) AS bucket_start,
                     SUM({amount}) AS net_spend,
                     COUNT(DISTINCT {order}) FILTER (WHERE {amount} >= 0) AS orders,
                     SUM(CASE WHEN {amount} >= 0 THEN abs({quantity}) ELSE -abs({quantity}) END) AS items,
                     COUNT(*) FILTER (WHERE {amount} < 0) AS returns
              FROM read_csv('{path.Replace("'", "''", StringComparison.Ordinal)}', header = true, delim = ',', quote = '"', escape = '"',
                            columns = {columns}, ignore_errors = true)
              WHERE {customer} IS NOT NULL AND {timestamp} IS NOT NULL AND {amount} IS NOT NULL
              GROUP BY ALL
            ) TO '{output.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet, COMPRESSION snappy)
            """;
    }

    private static int Featurize(string path, string output, string shape, int threads)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        Execute(connection, $"SET threads = {threads}");
        Execute(connection, "SET preserve_insertion_order = false");
        Execute(connection, Query(path, output, shape));
        var seconds = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            file = Path.GetFileName(path),
            bytes = new FileInfo(path).Length,
            threads,
            secondsFromProcessStart = seconds,
            duckdb = connection.ServerVersion,
        }));
        return 0;
    }

    private static int Summarize(string parquet)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), round(sum(net_spend), 2), count(DISTINCT customer_id) FROM read_parquet('{parquet.Replace("'", "''", StringComparison.Ordinal)}')";
        using var reader = command.ExecuteReader();
        reader.Read();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            cells = reader.GetInt64(0),
            totalSpend = reader.GetDouble(1),
            customers = reader.GetInt64(2),
        }));
        return 0;
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
