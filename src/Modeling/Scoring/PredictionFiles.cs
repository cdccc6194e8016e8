using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Clv.Modeling.Scoring;

/// <summary>Writes one prediction per customer as CSV (safe to open in a spreadsheet) and as Parquet.</summary>
/// <remarks>Columns: <c>customer_id</c>, <c>clv</c>, <c>p_purchase</c>, <c>clv_p10</c>, <c>clv_p50</c>, <c>clv_p90</c>, <c>model_version</c>, <c>as_of</c>.</remarks>
public static class PredictionFiles
{
    private static readonly DataField<string> CustomerIdField = new("customer_id", nullable: false);
    private static readonly DataField<float> ClvField = new("clv", nullable: false);
    private static readonly DataField<float> PPurchaseField = new("p_purchase", nullable: false);
    private static readonly DataField<float> ClvP10Field = new("clv_p10", nullable: false);
    private static readonly DataField<float> ClvP50Field = new("clv_p50", nullable: false);
    private static readonly DataField<float> ClvP90Field = new("clv_p90", nullable: false);
    private static readonly DataField<string> ModelVersionField = new("model_version", nullable: false);
    private static readonly DataField<DateOnly> AsOfField = new("as_of", nullable: false);

    /// <summary>Writes the scores as UTF-8 CSV; customer ids that a spreadsheet would run as formulas are quoted with a leading apostrophe.</summary>
    public static void WriteCsv(ClvPredictionBatch scores, string modelVersion, DateOnly asOf, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(destination);
        using var writer = new StreamWriter(destination, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        writer.Write("customer_id,clv,p_purchase,clv_p10,clv_p50,clv_p90,model_version,as_of\n");
        var asOfText = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var version = CsvField(modelVersion);
        for (var i = 0; i < scores.Count; i++)
        {
            writer.Write(CsvField(scores.CustomerIds[i]));
            writer.Write(',');
            writer.Write(scores.Clv[i].ToString("0.####", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(scores.PPurchase[i].ToString("0.######", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(scores.ClvP10[i].ToString("0.####", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(scores.ClvP50[i].ToString("0.####", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(scores.ClvP90[i].ToString("0.####", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(version);
            writer.Write(',');
            writer.Write(asOfText);
            writer.Write('\n');
        }
    }

    /// <summary>The Parquet columns, in file order.</summary>
    internal static ParquetSchema Schema { get; } = new(CustomerIdField, ClvField, PPurchaseField, ClvP10Field, ClvP50Field, ClvP90Field, ModelVersionField, AsOfField);

    /// <summary>Writes the scores as one Parquet file (one row group).</summary>
    public static async Task WriteParquetAsync(ClvPredictionBatch scores, string modelVersion, DateOnly asOf, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(destination);
        var writer = await PredictionFileWriter.CreateAsync(destination, modelVersion, asOf, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(scores, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes <paramref name="scores"/> as the next row group of <paramref name="writer"/>.</summary>
    internal static async Task WriteRowGroupAsync(ParquetWriter writer, ClvPredictionBatch scores, string modelVersion, DateOnly asOf, CancellationToken cancellationToken)
    {
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(CustomerIdField, scores.CustomerIds.ToArray()).ConfigureAwait(false);
        await group.WriteAsync<float>(ClvField, scores.Clv, cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<float>(PPurchaseField, scores.PPurchase, cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<float>(ClvP10Field, scores.ClvP10, cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<float>(ClvP50Field, scores.ClvP50, cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<float>(ClvP90Field, scores.ClvP90, cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync(ModelVersionField, Enumerable.Repeat(modelVersion, scores.Count).ToArray()).ConfigureAwait(false);
        await group.WriteAsync<DateOnly>(AsOfField, Enumerable.Repeat(asOf, scores.Count).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a file written by <see cref="WriteParquetAsync"/> back: the scores, their model version and as-of.</summary>
    /// <exception cref="InvalidDataException">A column is missing, or the file holds more than one model version or as-of.</exception>
    public static async Task<(ClvPredictionBatch Scores, string ModelVersion, DateOnly AsOf)> ReadParquetAsync(Stream source, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var reader = await ParquetReader.CreateAsync(source, new ParquetOptions { UseDateOnlyTypeForDates = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        DataField[] wanted = [CustomerIdField, ClvField, PPurchaseField, ClvP10Field, ClvP50Field, ClvP90Field, ModelVersionField, AsOfField];
        var found = reader.Schema.GetDataFields().Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var missing = wanted.Where(f => !found.Contains(f.Name)).Select(f => f.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"Predictions file '{name}' lacks column(s) {string.Join(", ", missing)}; found {string.Join(", ", found)}.");
        }

        var ids = new List<string>();
        var columns = new List<float>[5];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = [];
        }

        var versions = new HashSet<string>(StringComparer.Ordinal);
        var asOfs = new HashSet<DateOnly>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            var groupIds = new string?[rows];
            await group.ReadAsync(CustomerIdField, groupIds.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            ids.AddRange(groupIds.Select((id, i) => id ?? throw new InvalidDataException($"Predictions file '{name}' has a row without customer_id (row group {g}, row {i}).")));
            for (var c = 0; c < columns.Length; c++)
            {
                var values = new float[rows];
                await group.ReadAsync(wanted[c + 1], values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
                columns[c].AddRange(values);
            }

            var groupVersions = new string?[rows];
            await group.ReadAsync(ModelVersionField, groupVersions.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            versions.UnionWith(groupVersions.Select(v => v ?? string.Empty));
            var groupAsOf = new DateOnly[rows];
            await group.ReadAsync(AsOfField, groupAsOf.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            asOfs.UnionWith(groupAsOf);
        }

        if (versions.Count > 1 || asOfs.Count > 1)
        {
            throw new InvalidDataException($"Predictions file '{name}' mixes model versions [{string.Join(", ", versions)}] or as-of days [{string.Join(", ", asOfs)}].");
        }

        var scores = new ClvPredictionBatch(ids, [.. columns[0]], [.. columns[1]], [.. columns[2]], [.. columns[3]], [.. columns[4]]);
        return (scores, versions.FirstOrDefault() ?? string.Empty, asOfs.FirstOrDefault());
    }

    /// <summary>
    /// One CSV field: quoted when it holds a delimiter, quote or line break; prefixed with <c>'</c> when it starts
    /// with a character that spreadsheets treat as a formula (<c>= + - @</c>, tab, carriage return).
    /// </summary>
    public static string CsvField(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
