namespace Clv.Modeling.FlatParquet;

/// <summary>The values of <c>parquet.thrift</c>'s enums and union members that flat files use.</summary>
internal static class ParquetFormat
{
    /// <summary><c>FileMetaData.version</c>.</summary>
    public const int Version = 1;

    /// <summary><c>PageType.DATA_PAGE</c>.</summary>
    public const int DataPage = 0;

    /// <summary><c>Encoding.PLAIN</c>.</summary>
    public const int PlainEncoding = 0;

    /// <summary><c>Encoding.RLE</c> (of levels; a flat, required column has none, but pages name it).</summary>
    public const int RleEncoding = 3;

    /// <summary><c>CompressionCodec.SNAPPY</c>.</summary>
    public const int SnappyCodec = 1;

    /// <summary><c>FieldRepetitionType.REQUIRED</c>.</summary>
    public const int Required = 0;

    /// <summary><c>Type.INT32</c>.</summary>
    public const int Int32Type = 1;

    /// <summary><c>Type.DOUBLE</c>.</summary>
    public const int DoubleType = 5;

    /// <summary><c>Type.BYTE_ARRAY</c>.</summary>
    public const int ByteArrayType = 6;

    /// <summary><c>ConvertedType.UTF8</c>.</summary>
    public const int Utf8Converted = 0;

    /// <summary><c>ConvertedType.DATE</c>.</summary>
    public const int DateConverted = 6;

    /// <summary><c>ConvertedType.INT_32</c>.</summary>
    public const int Int32Converted = 17;

    /// <summary><c>LogicalType.STRING</c>, the union member's field id.</summary>
    public const short StringLogical = 1;

    /// <summary><c>LogicalType.DATE</c>.</summary>
    public const short DateLogical = 6;

    /// <summary><c>LogicalType.INTEGER</c>.</summary>
    public const short IntegerLogical = 10;
}
