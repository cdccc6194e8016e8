using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Clv.Cli.Local;
using Clv.Modeling.Ingest;
using Spectre.Console;

namespace Clv.Cli.Commands;

/// <summary>
/// <c>clv inspect</c>: how an export would be read, without writing anything: the detected profile, the columns and
/// mapping in use, the first parsed rows, and the rows that would be rejected with their reasons.
/// </summary>
internal static class InspectCommand
{
    private const int SampleRows = 10;

    public static Command Create(IAnsiConsole console)
    {
        var input = new Option<string>("--input", "-i") { Description = "The export file (.csv, .txt, .csv.gz)." };
        var reader = new ExportOptionSet();
        var json = new Option<bool>("--json") { Description = "Print a machine-readable result." };
        var command = new Command("inspect", "Show how an export would be read: profile, columns, mapping, ten parsed rows and what would be rejected. Writes nothing.");
        foreach (var option in new Option[] { input }.Concat(reader.All).Append(json))
        {
            command.Options.Add(option);
        }

        command.SetAction(parseResult =>
        {
            var file = parseResult.GetValue(input);
            LocalFeaturizer.RequireInputs(file is null ? [] : [file], "clv inspect --input orders.csv");
            return Run(console, file!, reader.Bind(parseResult), parseResult.GetValue(json));
        });
        return command;
    }

    private static int Run(IAnsiConsole console, string file, ExportReaderOptions options, bool json)
    {
        ExportInspection inspection;
        try
        {
            using var stream = File.OpenRead(file);
            inspection = ExportInspector.Inspect(stream, Path.GetFileName(file), options, SampleRows);
        }
        catch (ExportFormatException ex)
        {
            throw new CliUserException(ex.Message, LocalFeaturizer.LayoutHint);
        }

        if (json)
        {
            using var mappingDocument = JsonDocument.Parse(inspection.Mapping.ToJson());
            var report = new InspectReport(
                inspection.SourceName,
                inspection.Profile,
                inspection.Platform,
                inspection.Columns.ToDictionary(c => c.Key, c => c.Value),
                inspection.NonRevenue.ToDictionary(c => c.Key, c => c.Value),
                inspection.DateFormat,
                inspection.Currency,
                inspection.HashedIds,
                mappingDocument.RootElement,
                inspection.Counts.Rows,
                inspection.Counts.Accepted,
                inspection.Counts.Rejected,
                inspection.Counts.Skipped,
                inspection.Counts.Excluded,
                Math.Round(inspection.TotalSpend, 2),
                [.. inspection.Rows.Select(r => new InspectSampleRow(r.CustomerId, r.Timestamp.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), r.Amount, r.OrderId, r.Quantity))],
                [.. inspection.Rejected.Select(r => new InspectRejectedRow(r.LineNumber, r.Reason, r.RawText))],
                inspection.Failure);
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.InspectReport));
            return inspection.Failure is null ? ExitCodes.Success : ExitCodes.Failed;
        }

        console.MarkupLineInterpolated($"[bold]{inspection.SourceName}[/]: profile [bold]{inspection.Profile}[/]{(inspection.Platform is null ? string.Empty : $" ({inspection.Platform})")}, dates {inspection.DateFormat}{(inspection.Currency is null ? string.Empty : $", counted in {inspection.Currency}")}{(inspection.HashedIds ? ", e-mail and phone ids keyed (HMAC-SHA256)" : string.Empty)}");
        var columns = new Table().AddColumns("role", "column");
        foreach (var (role, column) in inspection.Columns)
        {
            columns.AddRow(Markup.Escape(role), Markup.Escape(column));
        }

        foreach (var (column, values) in inspection.NonRevenue)
        {
            columns.AddRow("not revenue", Markup.Escape($"{column}: {string.Join(", ", values)}"));
        }

        console.Write(columns);
        var mapping = inspection.Mapping.ToJson();
        if (mapping != "{}")
        {
            console.MarkupLine("mapping in use:");
            console.WriteLine(mapping);
        }

        var rows = new Table().AddColumns("customer", "time (UTC)", "amount", "order", "items");
        foreach (var row in inspection.Rows)
        {
            rows.AddRow(
                Markup.Escape(row.CustomerId),
                row.Timestamp.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                row.Amount.ToString("N2", CultureInfo.InvariantCulture),
                Markup.Escape(row.OrderId ?? string.Empty),
                row.Quantity.ToString(CultureInfo.InvariantCulture));
        }

        console.MarkupLineInterpolated($"first {inspection.Rows.Count} rows as counted:");
        console.Write(rows);
        var counts = inspection.Counts;
        console.MarkupLineInterpolated(
            $"{counts.Rows:N0} rows: {counts.Accepted:N0} counted ({inspection.TotalSpend:N2}), {counts.Rejected:N0} rejected, {counts.Skipped:N0} skipped (further lines of an order, guests), {counts.Excluded:N0} not revenue");
        foreach (var row in inspection.Rejected)
        {
            console.MarkupLineInterpolated($"[yellow]would reject[/] line {row.LineNumber}: {row.Reason}");
        }

        if (inspection.Failure is { } failure)
        {
            console.MarkupLineInterpolated($"[red]would fail:[/] {failure}");
            return ExitCodes.Failed;
        }

        return ExitCodes.Success;
    }
}
