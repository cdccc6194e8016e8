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
internal sealed record ExportLayout(ExportSyntax Syntax, ExportColumns Columns, DateLayout DateLayout);
