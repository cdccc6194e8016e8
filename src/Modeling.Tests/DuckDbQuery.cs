using DuckDB.NET.Data;

namespace Clv.Modeling.Tests;

/// <summary>DuckDB in process, an independent reader of the Parquet files the product writes.</summary>
internal static class DuckDbQuery
{
    /// <summary>Every row of <paramref name="sql"/>, each as its values (null for SQL NULL).</summary>
    public static List<object?[]> Rows(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
