namespace Clv.Modeling.Ingest;

/// <summary>How an export's text splits into fields: delimiter (or runs of whitespace) and number format.</summary>
/// <param name="Source">The file or blob name, used in messages.</param>
/// <param name="Delimiter">The field delimiter byte (ignored when <paramref name="Whitespace"/>).</param>
/// <param name="Whitespace">Fields are separated by runs of spaces and tabs, and quotes have no meaning.</param>
/// <param name="DecimalComma">Numbers use a decimal comma.</param>
internal sealed record ExportSyntax(string Source, byte Delimiter, bool Whitespace, bool DecimalComma);

/// <summary>Everything learnt from an export's first lines that the rows are then read with.</summary>
/// <param name="Syntax">How fields split.</param>
/// <param name="Columns">Where each semantic column sits.</param>
/// <param name="DateLayout">The layout of the timestamp column.</param>
/// <param name="Limits">The bounds a row's values must keep.</param>
internal sealed record ExportLayout(ExportSyntax Syntax, ExportColumns Columns, DateLayout DateLayout, RowLimits Limits);

/// <summary>The bounds a row's values must keep; a row outside them is rejected with its reason.</summary>
/// <param name="FirstDay">Day number of the earliest date accepted.</param>
/// <param name="LastDay">Day number of the latest date accepted (the day after ingestion).</param>
/// <param name="MaxAmount">Largest absolute amount, quantity, or quantity x unit price.</param>
internal sealed record RowLimits(int FirstDay, int LastDay, double MaxAmount)
{
    /// <summary>The limits <paramref name="options"/> set, with the ingestion time taken now when it does not say.</summary>
    public static RowLimits From(in ExportReaderOptions options)
    {
        var ingested = DateOnly.FromDateTime((options.IngestedAt ?? DateTimeOffset.UtcNow).UtcDateTime);
        var lastDay = ingested == DateOnly.MaxValue ? ingested.DayNumber : ingested.DayNumber + 1;
        return new RowLimits(ExportReaderOptions.EarliestDate.DayNumber, lastDay, options.MaxAmount);
    }

    /// <summary>The latest date accepted.</summary>
    public DateOnly Last => DateOnly.FromDayNumber(LastDay);
}
