using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;

namespace Clv.Modeling.Ingest;

/// <summary>
/// Splits text into records and records into fields, and turns data records into rows or rejections. One instance per
/// thread: it keeps the field positions of the current record and scratch space for unquoted values.
/// </summary>
internal sealed partial class RecordParser
{
    /// <summary>More fields than this in one record is an error (the delimiter is probably wrong).</summary>
    public const int MaxFields = 512;

    private const int MaxValueInMessage = 60;

    private readonly ExportSyntax _syntax;
    private readonly int _vectorBits;
    private readonly int[] _fieldStarts = new int[MaxFields + 1];
    private readonly int[] _fieldEnds = new int[MaxFields + 1];
    private byte[] _scratch = new byte[256];
    private bool _recordHasQuotes;
    private ExportColumns? _columns;
    private DateLayout _dateLayout;
    private readonly RowLimits _limits = new(int.MinValue, int.MaxValue, double.MaxValue);

    /// <summary>A parser that can split records and fields (for reading the header and sampling dates).</summary>
    /// <param name="syntax">How fields split.</param>
    /// <param name="vectorBits">The vector width to split with (512, 256, 128 or 0); <see cref="ParserVectorWidth.Default"/> when omitted.</param>
    /// <exception cref="ArgumentOutOfRangeException">This machine does not accelerate <paramref name="vectorBits"/>.</exception>
    public RecordParser(ExportSyntax syntax, int? vectorBits = null)
    {
        _syntax = syntax;
        _vectorBits = vectorBits ?? ParserVectorWidth.Default;
        if (!ParserVectorWidth.IsSupported(_vectorBits))
        {
            throw new ArgumentOutOfRangeException(nameof(vectorBits), _vectorBits, $"not a vector width this machine accelerates ({string.Join(", ", ParserVectorWidth.Supported)})");
        }
    }

    /// <summary>A parser for the data rows of an export whose layout is known.</summary>
    public RecordParser(ExportLayout layout, int? vectorBits = null)
        : this(layout.Syntax, vectorBits)
    {
        _limits = layout.Limits;
        UseColumns(layout.Columns, layout.DateLayout);
    }

    /// <summary>Sets the columns and date layout that <see cref="ParseChunk"/> reads rows with.</summary>
    public void UseColumns(ExportColumns columns, DateLayout dateLayout)
    {
        _columns = columns;
        _dateLayout = dateLayout;
    }

    /// <summary>
    /// Parses every record of <paramref name="chunk"/>, which starts at a record boundary; accepted rows go to
    /// <paramref name="consumer"/>, rejected ones to <paramref name="rejected"/>, in order.
    /// </summary>
    /// <param name="chunk">Whole records; only the file's last record may lack its line break.</param>
    /// <param name="firstLine">The 1-based line number where <paramref name="chunk"/> starts.</param>
    /// <param name="consumer">Receives accepted rows.</param>
    /// <param name="rejected">Receives rejected rows.</param>
    /// <exception cref="ExportFormatException">A quoted field is never closed (possible only in the file's last chunk).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ParseCounts ParseChunk<TConsumer>(ReadOnlySpan<byte> chunk, long firstLine, ref TConsumer consumer, IRejectedRowSink rejected)
        where TConsumer : struct, IRowConsumer
    {
        var columns = _columns ?? throw new InvalidOperationException("The columns are not resolved yet.");
        var rules = columns.Rules;
        long rows = 0, accepted = 0, rejectedRows = 0, skipped = 0, excluded = 0;
        var line = firstLine;
        var position = 0;
        while (position < chunk.Length)
        {
            if (!TrySplitRecord(chunk[position..], final: true, out var length, out var consumed, out var lineBreaks))
            {
                throw new ExportFormatException(_syntax.Source, $"line {line}: a quoted field is never closed (the file ends inside quotes).");
            }

            var record = chunk.Slice(position, length);
            if (!IsBlank(record))
            {
                rows++;
                if (rules is not null)
                {
                    switch (ProcessRuledRecord(record, columns, rules, line, ref consumer, rejected))
                    {
                        case RowOutcome.Accepted: accepted++; break;
                        case RowOutcome.Rejected: rejectedRows++; break;
                        case RowOutcome.Skipped: skipped++; break;
                        default: excluded++; break;
                    }
                }
                else
                {
                    switch (ProcessRecord(record, columns, line, ref consumer, rejected))
                    {
                        case RowOutcome.Accepted:
                            accepted++;
                            break;
                        case RowOutcome.Rejected:
                            rejectedRows++;
                            break;
                        default:
                            skipped++;
                            break;
                    }
                }
            }

            position += consumed;
            line += lineBreaks + 1;
        }

        return new ParseCounts(rows, accepted, rejectedRows, skipped, chunk.Length) { Excluded = excluded };
    }

    /// <summary>Whether a record is empty or only spaces and tabs (such lines are skipped, not counted).</summary>
    public static bool IsBlank(ReadOnlySpan<byte> record) => record.IsEmpty || record.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0;

    /// <summary>A value for a message: decoded, and cut after 60 bytes.</summary>
    public static string Show(ReadOnlySpan<byte> value)
    {
        var text = Encoding.UTF8.GetString(value.Length > MaxValueInMessage ? value[..MaxValueInMessage] : value);
        return value.Length > MaxValueInMessage ? text + "..." : text;
    }

    /// <summary>
    /// Splits one record off the front of <paramref name="data"/>: <c>data[..length]</c> without its line break (and
    /// without a trailing CR). False when the record is incomplete, or when <paramref name="data"/> is empty.
    /// A line break ends a record when an even number of quotes precedes it in the record (RFC 4180; doubled quotes
    /// inside quotes count twice); with whitespace-separated fields quotes have no meaning.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TrySplitRecord(ReadOnlySpan<byte> data, bool final, out int length, out int consumed, out int lineBreaks)
    {
        lineBreaks = 0;
        length = 0;
        consumed = 0;
        if (data.IsEmpty)
        {
            return false;
        }

        int index = _syntax.Whitespace ? data.IndexOf((byte)'\n') : data.IndexOfAny((byte)'\n', (byte)'"');
        if (index >= 0 && data[index] == (byte)'"')
        {
            return TrySplitQuotedRecord(data, final, out length, out consumed, out lineBreaks);
        }

        _recordHasQuotes = false;
        if (index < 0)
        {
            if (!final)
            {
                return false;
            }

            index = data.Length;
            consumed = data.Length;
        }
        else
        {
            consumed = index + 1;
        }

        length = index > 0 && data[index - 1] == (byte)'\r' ? index - 1 : index;
        return true;
    }

    /// <summary>Splits <paramref name="record"/> into fields; returns the field count (more than <see cref="MaxFields"/> means too many).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int SplitFields(ReadOnlySpan<byte> record)
    {
        if (_syntax.Whitespace)
        {
            return SplitWhitespace(record);
        }

        var quoted = _recordHasQuotes;
        var delimiter = _syntax.Delimiter;
        if (_vectorBits >= 512 && record.Length >= Block512.Count)
        {
            return SplitBlocks<Block512>(record, delimiter, quoted);
        }

        if (_vectorBits >= 256 && record.Length >= Block256.Count)
        {
            return SplitBlocks<Block256>(record, delimiter, quoted);
        }

        if (_vectorBits >= 128 && record.Length >= Block128.Count)
        {
            return SplitBlocks<Block128>(record, delimiter, quoted);
        }

        return quoted ? SplitQuoted(record) : SplitDelimited(record, delimiter);
    }

    /// <summary>The vector width, in bits, this parser splits fields with (see <see cref="ParserVectorWidth"/>).</summary>
    public int VectorBits => _vectorBits;

    /// <summary>
    /// Splits a record at every delimiter outside quotes, one block of <typeparamref name="TBlock"/> bytes at a time: the
    /// delimiters' and quotes' positions come from one vector compare each as bit masks; a prefix XOR of the quote mask
    /// marks the bytes inside quotes (a doubled quote toggles twice, so it never ends the quoted span), carried from block
    /// to block. The last block is loaded flush with the record's end and the bits already seen are shifted out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SplitBlocks<TBlock>(ReadOnlySpan<byte> record, byte delimiter, bool quoted)
        where TBlock : struct, IByteBlock
    {
        var count = 0;
        var fieldStart = 0;
        var offset = 0;
        var insideQuotes = 0UL;
        ref var first = ref MemoryMarshal.GetReference(record);
        while (offset < record.Length)
        {
            ulong delimiters;
            var quotes = 0UL;
            var width = TBlock.Count;
            if (record.Length - offset >= TBlock.Count)
            {
                delimiters = TBlock.Equals(ref first, (nuint)offset, delimiter);
                if (quoted)
                {
                    quotes = TBlock.Equals(ref first, (nuint)offset, (byte)'"');
                }
            }
            else
            {
                var last = record.Length - TBlock.Count;
                var seen = offset - last;
                delimiters = TBlock.Equals(ref first, (nuint)last, delimiter) >> seen;
                if (quoted)
                {
                    quotes = TBlock.Equals(ref first, (nuint)last, (byte)'"') >> seen;
                }

                width = record.Length - offset;
            }

            if (quoted)
            {
                var inside = PrefixXor(quotes) ^ insideQuotes;
                delimiters &= ~inside;
                insideQuotes = ((inside >> (width - 1)) & 1) == 0 ? 0UL : ulong.MaxValue;
            }

            while (delimiters != 0)
            {
                if (count == MaxFields)
                {
                    return MaxFields + 1;
                }

                var position = offset + BitOperations.TrailingZeroCount(delimiters);
                _fieldStarts[count] = fieldStart;
                _fieldEnds[count] = position;
                count++;
                fieldStart = position + 1;
                delimiters &= delimiters - 1;
            }

            offset += width;
        }

        if (count == MaxFields)
        {
            return MaxFields + 1;
        }

        _fieldStarts[count] = fieldStart;
        _fieldEnds[count] = record.Length;
        return count + 1;
    }

    /// <summary>Bit i of the result is the XOR of bits 0..i of <paramref name="mask"/>: set inside a quoted span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong PrefixXor(ulong mask)
    {
        mask ^= mask << 1;
        mask ^= mask << 2;
        mask ^= mask << 4;
        mask ^= mask << 8;
        mask ^= mask << 16;
        mask ^= mask << 32;
        return mask;
    }

    /// <summary>Splits a record without quotes at every delimiter, a byte at a time (the scalar path, and records shorter than a vector).</summary>
    private int SplitDelimited(ReadOnlySpan<byte> record, byte delimiter)
    {
        var count = 0;
        var fieldStart = 0;
        for (var offset = 0; offset < record.Length; offset++)
        {
            if (record[offset] == delimiter)
            {
                if (count == MaxFields)
                {
                    return MaxFields + 1;
                }

                _fieldStarts[count] = fieldStart;
                _fieldEnds[count] = offset;
                count++;
                fieldStart = offset + 1;
            }
        }

        if (count == MaxFields)
        {
            return MaxFields + 1;
        }

        _fieldStarts[count] = fieldStart;
        _fieldEnds[count] = record.Length;
        return count + 1;
    }

    /// <summary>Equality masks of one block of bytes, one bit per byte, low bit first.</summary>
    private interface IByteBlock
    {
        /// <summary>Bytes in one block.</summary>
        static abstract int Count { get; }

        /// <summary>The mask of the bytes at <paramref name="offset"/> equal to <paramref name="value"/>.</summary>
        static abstract ulong Equals(ref byte source, nuint offset, byte value);
    }

    /// <summary>64 bytes, one 512-bit compare (AVX-512).</summary>
    private readonly struct Block512 : IByteBlock
    {
        public static int Count => Vector512<byte>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Equals(ref byte source, nuint offset, byte value) =>
            Vector512.Equals(Vector512.LoadUnsafe(ref source, offset), Vector512.Create(value)).ExtractMostSignificantBits();
    }

    /// <summary>32 bytes, one 256-bit compare (AVX2).</summary>
    private readonly struct Block256 : IByteBlock
    {
        public static int Count => Vector256<byte>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Equals(ref byte source, nuint offset, byte value) =>
            Vector256.Equals(Vector256.LoadUnsafe(ref source, offset), Vector256.Create(value)).ExtractMostSignificantBits();
    }

    /// <summary>16 bytes, one 128-bit compare (SSE2, NEON).</summary>
    private readonly struct Block128 : IByteBlock
    {
        public static int Count => Vector128<byte>.Count;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static ulong Equals(ref byte source, nuint offset, byte value) =>
            Vector128.Equals(Vector128.LoadUnsafe(ref source, offset), Vector128.Create(value)).ExtractMostSignificantBits();
    }

    /// <summary>Field <paramref name="index"/> of the record last split, trimmed of spaces and, when quoted, of its quotes (doubled quotes undone into scratch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Value(ReadOnlySpan<byte> record, int index, ref int scratchUsed)
    {
        var value = record[_fieldStarts[index].._fieldEnds[index]];
        if (_recordHasQuotes)
        {
            return Unquote(TrimSpaces(value), ref scratchUsed);
        }

        return TrimSpaces(value);
    }

    /// <summary>
    /// <paramref name="value"/> without leading and trailing spaces. Most fields have none, and two byte compares say so
    /// without a call: trimming every field was a few percent of featurizing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> TrimSpaces(ReadOnlySpan<byte> value) =>
        value.IsEmpty || (value[0] != (byte)' ' && value[^1] != (byte)' ') ? value : value.Trim((byte)' ');

    /// <summary>Field <paramref name="index"/> of the record last split, as text.</summary>
    public string FieldText(ReadOnlySpan<byte> record, int index)
    {
        var scratchUsed = 0;
        return Encoding.UTF8.GetString(Value(record, index, ref scratchUsed));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private RowOutcome ProcessRecord<TConsumer>(ReadOnlySpan<byte> record, ExportColumns columns, long line, ref TConsumer consumer, IRejectedRowSink rejected)
        where TConsumer : struct, IRowConsumer
    {
        var fieldCount = SplitFields(record);
        if (fieldCount != columns.FieldCount)
        {
            return Reject(record, line, rejected, $"expected {columns.FieldCount} fields, found {Math.Min(fieldCount, MaxFields)}");
        }

        var scratchUsed = 0;
        var customer = Value(record, columns.Customer, ref scratchUsed);
        if (customer.IsEmpty)
        {
            return RowOutcome.Skipped;
        }

        if (ReadCustomerAndDate(record, columns, columns.Customer, customer, ref scratchUsed, out var dayNumber, out var secondOfDay) is { } problem)
        {
            return Reject(record, line, rejected, problem);
        }

        if (ReadQuantity(record, columns, ref scratchUsed, out var quantity) is { } quantityProblem)
        {
            return Reject(record, line, rejected, quantityProblem);
        }

        var decimalComma = _syntax.DecimalComma;
        double amount;
        if (columns.Amount >= 0)
        {
            var text = Value(record, columns.Amount, ref scratchUsed);
            if (!Utf8Number.TryParse(text, decimalComma, out amount))
            {
                return Reject(record, line, rejected, $"unparseable amount '{Show(text)}' in column '{columns.Name(columns.Amount)}'");
            }

            if (!(Math.Abs(amount) <= _limits.MaxAmount))
            {
                return Reject(record, line, rejected, $"amount '{Show(text)}' in column '{columns.Name(columns.Amount)}' is beyond the limit of {_limits.MaxAmount:G} (MaxAmount)");
            }
        }
        else
        {
            var text = Value(record, columns.UnitPrice, ref scratchUsed);
            if (!Utf8Number.TryParse(text, decimalComma, out var unitPrice))
            {
                return Reject(record, line, rejected, $"unparseable unit price '{Show(text)}' in column '{columns.Name(columns.UnitPrice)}'");
            }

            amount = quantity * unitPrice;
            if (!(Math.Abs(amount) <= _limits.MaxAmount))
            {
                return Reject(record, line, rejected, $"quantity x unit price ({quantity:G} x '{Show(text)}' in column '{columns.Name(columns.UnitPrice)}') is beyond the limit of {_limits.MaxAmount:G} (MaxAmount)");
            }
        }

        var orderId = columns.OrderId >= 0 ? Value(record, columns.OrderId, ref scratchUsed) : default;
        consumer.Accept(new ParsedRow
        {
            CustomerId = customer,
            DayNumber = dayNumber,
            SecondOfDay = secondOfDay,
            Amount = amount,
            Quantity = quantity,
            OrderId = orderId,
        });
        return RowOutcome.Accepted;
    }

    /// <summary>
    /// Checks a (non-empty) customer id and reads the row's date, or says why the row is rejected: an id that is not
    /// UTF-8, too long or holding control characters; a date that does not parse or lies outside the accepted range.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private string? ReadCustomerAndDate(ReadOnlySpan<byte> record, ExportColumns columns, int customerColumn, ReadOnlySpan<byte> customer, ref int scratchUsed, out int dayNumber, out int secondOfDay)
    {
        dayNumber = 0;
        secondOfDay = 0;

        // Ids are compared as bytes but reported as text: two ids that differ only in invalid bytes would become one.
        if (!Utf8.IsValid(customer))
        {
            return $"customer id in column '{columns.Name(customerColumn)}' is not valid UTF-8 (save the export as UTF-8)";
        }

        if (CustomerIdProblem(customer) is { } problem)
        {
            return $"customer id '{Show(customer)}' in column '{columns.Name(customerColumn)}' {problem}";
        }

        var dateText = Value(record, columns.Timestamp, ref scratchUsed);
        if (!DateLayouts.TryParse(dateText, _dateLayout, out dayNumber, out secondOfDay))
        {
            return $"unparseable date '{Show(dateText)}' in column '{columns.Name(columns.Timestamp)}' (expected {DateLayouts.Name(_dateLayout)})";
        }

        return dayNumber < _limits.FirstDay || dayNumber > _limits.LastDay ? DateOutOfRange(dayNumber, dateText, columns.Name(columns.Timestamp)) : null;
    }

    /// <summary>Reads the row's quantity (0 without a quantity column), or says why the row is rejected.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private string? ReadQuantity(ReadOnlySpan<byte> record, ExportColumns columns, ref int scratchUsed, out double quantity)
    {
        quantity = 0.0;
        if (columns.Quantity < 0)
        {
            return null;
        }

        var text = Value(record, columns.Quantity, ref scratchUsed);
        if (!text.IsEmpty && !Utf8Number.TryParse(text, _syntax.DecimalComma, out quantity))
        {
            return $"unparseable quantity '{Show(text)}' in column '{columns.Name(columns.Quantity)}'";
        }

        if (!(Math.Abs(quantity) <= _limits.MaxAmount))
        {
            return $"quantity '{Show(text)}' in column '{columns.Name(columns.Quantity)}' is beyond the limit of {_limits.MaxAmount:G} (MaxAmount)";
        }

        return text.IsEmpty && columns.Amount < 0 ? $"missing quantity in column '{columns.Name(columns.Quantity)}' (needed for quantity x unit price)" : null;
    }

    private static RowOutcome Reject(ReadOnlySpan<byte> record, long line, IRejectedRowSink rejected, string reason)
    {
        rejected.Add(new RejectedRow(line, reason, Encoding.UTF8.GetString(record)));
        return RowOutcome.Rejected;
    }

    /// <summary>Why a (valid UTF-8) customer id cannot be a key, or <see langword="null"/>: too long, or holding control characters.</summary>
    private static string? CustomerIdProblem(ReadOnlySpan<byte> customer)
    {
        if (customer.Length > ExportReaderOptions.MaxCustomerIdBytes)
        {
            return $"is {customer.Length} bytes long, over the limit of {ExportReaderOptions.MaxCustomerIdBytes} bytes";
        }

        // Printable ASCII (nearly every id) needs one vectorized scan. Otherwise: C0 controls and DEL are single bytes;
        // C1 controls (U+0080..U+009F) are C2 80..C2 9F in UTF-8.
        if (customer.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) >= 0
            && (customer.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || customer.Contains((byte)0x7F) || HasC1Control(customer)))
        {
            return "holds control characters";
        }

        return null;
    }

    private static bool HasC1Control(ReadOnlySpan<byte> customer)
    {
        for (var index = customer.IndexOf((byte)0xC2); index >= 0 && index + 1 < customer.Length; )
        {
            if (customer[index + 1] is >= 0x80 and <= 0x9F)
            {
                return true;
            }

            var next = customer[(index + 1)..].IndexOf((byte)0xC2);
            index = next < 0 ? -1 : index + 1 + next;
        }

        return false;
    }

    /// <summary>The reason for a date outside the limits (its day number may lie outside the calendar, after a UTC offset).</summary>
    private string DateOutOfRange(int dayNumber, ReadOnlySpan<byte> dateText, string column) =>
        dayNumber < _limits.FirstDay
            ? $"date '{Show(dateText)}' in column '{column}' is before {DateOnly.FromDayNumber(_limits.FirstDay):yyyy-MM-dd}"
            : $"date '{Show(dateText)}' in column '{column}' is after the time of ingestion (the latest date accepted is {_limits.Last:yyyy-MM-dd}, a day after it)";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SplitWhitespace(ReadOnlySpan<byte> record)
    {
        var count = 0;
        var position = 0;
        while (true)
        {
            while (position < record.Length && (record[position] == (byte)' ' || record[position] == (byte)'\t'))
            {
                position++;
            }

            if (position == record.Length)
            {
                return count;
            }

            if (count == MaxFields)
            {
                return MaxFields + 1;
            }

            var index = record[position..].IndexOfAny((byte)' ', (byte)'\t');
            var end = index < 0 ? record.Length : position + index;
            _fieldStarts[count] = position;
            _fieldEnds[count] = end;
            count++;
            position = end;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SplitQuoted(ReadOnlySpan<byte> record)
    {
        var count = 0;
        var position = 0;
        var delimiter = _syntax.Delimiter;
        while (true)
        {
            if (count == MaxFields)
            {
                return MaxFields + 1;
            }

            _fieldStarts[count] = position;
            var inQuotes = false;
            while (position < record.Length)
            {
                var c = record[position];
                if (inQuotes)
                {
                    if (c == (byte)'"')
                    {
                        if (position + 1 < record.Length && record[position + 1] == (byte)'"')
                        {
                            position++;
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                }
                else if (c == delimiter)
                {
                    break;
                }
                else if (c == (byte)'"')
                {
                    inQuotes = true;
                }

                position++;
            }

            _fieldEnds[count] = position;
            count++;
            if (position >= record.Length)
            {
                return count;
            }

            position++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> value, ref int scratchUsed)
    {
        if (value.Length < 2 || value[0] != (byte)'"' || value[^1] != (byte)'"')
        {
            return value;
        }

        var inner = value[1..^1];
        if (inner.IndexOf((byte)'"') < 0)
        {
            return TrimSpaces(inner);
        }

        if (_scratch.Length < scratchUsed + inner.Length)
        {
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, scratchUsed + inner.Length));
        }

        var destination = _scratch.AsSpan(scratchUsed);
        var written = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            destination[written++] = inner[i];
            if (inner[i] == (byte)'"' && i + 1 < inner.Length && inner[i + 1] == (byte)'"')
            {
                i++;
            }
        }

        var result = _scratch.AsSpan(scratchUsed, written);
        scratchUsed += written;
        return TrimSpaces(result);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TrySplitQuotedRecord(ReadOnlySpan<byte> data, bool final, out int length, out int consumed, out int lineBreaks)
    {
        _recordHasQuotes = true;
        lineBreaks = 0;
        length = 0;
        consumed = 0;
        var position = 0;
        var inQuotes = false;
        while (position < data.Length)
        {
            var index = inQuotes ? data[position..].IndexOf((byte)'"') : data[position..].IndexOfAny((byte)'"', (byte)'\n');
            if (index < 0)
            {
                if (inQuotes || !final)
                {
                    return false;
                }

                consumed = data.Length;
                length = data[^1] == (byte)'\r' ? data.Length - 1 : data.Length;
                return true;
            }

            if (inQuotes)
            {
                lineBreaks += data.Slice(position, index).Count((byte)'\n');
            }

            position += index;
            if (data[position] == (byte)'\n')
            {
                consumed = position + 1;
                length = position > 0 && data[position - 1] == (byte)'\r' ? position - 1 : position;
                return true;
            }

            // A quote: opens, closes, or (inside quotes, doubled) stands for itself.
            if (inQuotes && position + 1 < data.Length && data[position + 1] == (byte)'"')
            {
                position += 2;
                continue;
            }

            if (inQuotes && position + 1 == data.Length && !final)
            {
                return false;
            }

            inQuotes = !inQuotes;
            position++;
        }

        if (inQuotes || !final)
        {
            return false;
        }

        consumed = data.Length;
        length = data[^1] == (byte)'\r' ? data.Length - 1 : data.Length;
        return true;
    }
}
