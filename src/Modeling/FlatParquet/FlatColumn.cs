namespace Clv.Modeling.FlatParquet;

/// <summary>The physical and logical type of a flat, required Parquet column.</summary>
internal enum FlatColumnType
{
    /// <summary>BYTE_ARRAY annotated as a UTF-8 string.</summary>
    String,

    /// <summary>INT32 annotated as a date: days since 1970-01-01.</summary>
    Date,

    /// <summary>DOUBLE.</summary>
    Double,

    /// <summary>INT32 annotated as a signed 32-bit integer.</summary>
    Int32,
}

/// <summary>One column of a flat file: a name and a type, never null, never repeated.</summary>
internal sealed record FlatColumn(string Name, FlatColumnType Type);
