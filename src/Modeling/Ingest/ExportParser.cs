using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Clv.Modeling.Ingest;

/// <summary>One accepted row as the parser hands it over: spans into its buffer, valid only during the call.</summary>
internal readonly ref struct ParsedRow
{
    public ReadOnlySpan<byte> CustomerId { get; init; }

    public int DayNumber { get; init; }

    public int SecondOfDay { get; init; }

    public double Amount { get; init; }

    public double Quantity { get; init; }

    /// <summary>UTF-8 order id; empty when the export has none or the field is blank.</summary>
    public ReadOnlySpan<byte> OrderId { get; init; }
}

/// <summary>Receives accepted rows; implemented by structs so the parser's loop is specialised per consumer.</summary>
internal interface IRowConsumer
{
    void Accept(in ParsedRow row);
}

/// <summary>Row counts of one parsed export.</summary>
internal readonly record struct ParseCounts(long Rows, long Accepted, long Rejected, long Bytes);

/// <summary>
/// The streaming export parser: UTF-8 bytes in a pooled buffer, records split with vectorised searches, fields parsed
/// from spans. Memory is the buffer (grown only for a single record longer than it) plus what the consumer keeps.
/// </summary>
internal sealed class ExportParser : IDisposable
{
    private const int InitialBufferSize = 1 << 20;
    private const int MaxRecordBytes = 16 << 20;
    private const int MaxFields = 512;
    private const int DateSampleRecords = 5000;
    private const int MaxValueInMessage = 60;

    private readonly Stream _stream;
    private readonly string _source;
    private readonly ExportReaderOptions _options;
    private readonly IRejectedRowSink? _rejected;
    private readonly int[] _fieldStarts = new int[MaxFields + 1];
    private readonly int[] _fieldEnds = new int[MaxFields + 1];
    private byte[] _buffer;
    private byte[] _scratch = new byte[256];
    private int _start;
    private int _end;
    private bool _eof;
    private long _bytes;
    private long _lineNumber = 1;
    private byte _delimiter = (byte)',';
    private bool _whitespace;
    private int _fieldCount;
    private bool _recordHasQuotes;
    private DateLayout _dateLayout;
    private ExportColumns? _columns;

    public ExportParser(Stream stream, string sourceName, ExportReaderOptions options, IRejectedRowSink? rejected)
    {
        _stream = stream;
        _source = sourceName;
        _options = options;
        _rejected = rejected;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>The first rejected row, for the threshold message.</summary>
    public RejectedRow? FirstRejected { get; private set; }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>Parses the whole stream, handing accepted rows to <paramref name="consumer"/> and rejected ones to the sink.</summary>
    /// <exception cref="ExportFormatException">The file as a whole cannot be used (see the message).</exception>
    public ParseCounts Parse<TConsumer>(ref TConsumer consumer, CancellationToken cancellationToken)
        where TConsumer : struct, IRowConsumer
    {
        Fill();
        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _start = 3;
        }

        SkipBlankLines();
        if (_start >= _end)
        {
            if (_options.HasHeader)
            {
                throw new ExportFormatException(_source, "the file is empty; expected a header row naming the columns (customer id, timestamp, amount).");
            }

            return new ParseCounts(0, 0, 0, _bytes);
        }

        DetectDelimiter();
        if (!NextRecord(out var headerLength, out var headerConsumed, out var headerLines))
        {
            throw new ExportFormatException(_source, "the file is empty.");
        }

        var header = _buffer.AsSpan(_start, headerLength);
        _fieldCount = SplitFields(header);
        if (_fieldCount > MaxFields)
        {
            throw new ExportFormatException(_source, $"line {_lineNumber}: more than {MaxFields} columns; is the delimiter right?");
        }

        if (_options.HasHeader)
        {
            var names = new string[_fieldCount];
            for (var i = 0; i < _fieldCount; i++)
            {
                names[i] = Encoding.UTF8.GetString(FieldValue(header, i));
            }

            _columns = ExportColumns.Resolve(_source, names, _fieldCount, _options);
            Advance(headerConsumed, headerLines);
        }
        else
        {
            _columns = ExportColumns.Resolve(_source, null, _fieldCount, _options);
        }

        _dateLayout = ResolveDateLayout();

        long rows = 0, rejectedRows = 0, accepted = 0;
        var columns = _columns;
        var checkEvery = 0;
        while (NextRecord(out var length, out var consumed, out var lineBreaks))
        {
            var record = _buffer.AsSpan(_start, length);
            if (IsBlank(record))
            {
                Advance(consumed, lineBreaks);
                continue;
            }

            rows++;
            if (ProcessRecord(record, columns, ref consumer))
            {
                accepted++;
            }
            else
            {
                rejectedRows++;
            }

            Advance(consumed, lineBreaks);
            if (++checkEvery == 65_536)
            {
                checkEvery = 0;
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        if (rows > 0 && rejectedRows > _options.MaxRejectedShare * rows)
        {
            var first = FirstRejected!;
            throw new ExportFormatException(
                _source,
                $"{rejectedRows:N0} of {rows:N0} rows rejected ({100.0 * rejectedRows / rows:0.0}%), over the {100 * _options.MaxRejectedShare:0.##}% threshold (MaxRejectedShare); "
                + $"first: line {first.LineNumber}: {first.Reason}. Columns found: {string.Join(", ", columns.Names.Select(n => $"'{n}'"))}.",
                ExportFormatError.TooManyRejectedRows);
        }

        return new ParseCounts(rows, accepted, rejectedRows, _bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool ProcessRecord<TConsumer>(ReadOnlySpan<byte> record, ExportColumns columns, ref TConsumer consumer)
        where TConsumer : struct, IRowConsumer
    {
        var fieldCount = SplitFields(record);
        if (fieldCount != columns.FieldCount)
        {
            return Reject(record, $"expected {columns.FieldCount} fields, found {Math.Min(fieldCount, MaxFields)}");
        }

        var scratchUsed = 0;
        var customer = Value(record, columns.Customer, ref scratchUsed);
        if (customer.IsEmpty)
        {
            return Reject(record, $"missing customer id in column '{columns.Name(columns.Customer)}'");
        }

        var dateText = Value(record, columns.Timestamp, ref scratchUsed);
        if (!DateLayouts.TryParse(dateText, _dateLayout, out var dayNumber, out var secondOfDay))
        {
            return Reject(record, $"unparseable date '{Show(dateText)}' in column '{columns.Name(columns.Timestamp)}' (expected {DateLayouts.Name(_dateLayout)})");
        }

        var quantity = 0.0;
        if (columns.Quantity >= 0)
        {
            var text = Value(record, columns.Quantity, ref scratchUsed);
            if (!text.IsEmpty && !Utf8Number.TryParse(text, _options.DecimalComma, out quantity))
            {
                return Reject(record, $"unparseable quantity '{Show(text)}' in column '{columns.Name(columns.Quantity)}'");
            }

            if (text.IsEmpty && columns.Amount < 0)
            {
                return Reject(record, $"missing quantity in column '{columns.Name(columns.Quantity)}' (needed for quantity x unit price)");
            }
        }

        double amount;
        if (columns.Amount >= 0)
        {
            var text = Value(record, columns.Amount, ref scratchUsed);
            if (!Utf8Number.TryParse(text, _options.DecimalComma, out amount))
            {
                return Reject(record, $"unparseable amount '{Show(text)}' in column '{columns.Name(columns.Amount)}'");
            }
        }
        else
        {
            var text = Value(record, columns.UnitPrice, ref scratchUsed);
            if (!Utf8Number.TryParse(text, _options.DecimalComma, out var unitPrice))
            {
                return Reject(record, $"unparseable unit price '{Show(text)}' in column '{columns.Name(columns.UnitPrice)}'");
            }

            amount = quantity * unitPrice;
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
        return true;
    }

    private bool Reject(ReadOnlySpan<byte> record, string reason)
    {
        var raw = Encoding.UTF8.GetString(record);
        var row = new RejectedRow(_lineNumber, reason, raw);
        FirstRejected ??= row;
        _rejected?.Add(row);
        return false;
    }

    private static string Show(ReadOnlySpan<byte> value)
    {
        var text = Encoding.UTF8.GetString(value.Length > MaxValueInMessage ? value[..MaxValueInMessage] : value);
        return value.Length > MaxValueInMessage ? text + "..." : text;
    }

    /// <summary>Splits <paramref name="record"/> into fields; returns the field count (more than <see cref="MaxFields"/> means too many).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SplitFields(ReadOnlySpan<byte> record)
    {
        if (_whitespace)
        {
            return SplitWhitespace(record);
        }

        if (_recordHasQuotes)
        {
            return SplitQuoted(record);
        }

        var count = 0;
        var pos = 0;
        var delimiter = _delimiter;
        while (true)
        {
            if (count == MaxFields)
            {
                return MaxFields + 1;
            }

            var index = record[pos..].IndexOf(delimiter);
            _fieldStarts[count] = pos;
            if (index < 0)
            {
                _fieldEnds[count] = record.Length;
                return count + 1;
            }

            _fieldEnds[count] = pos + index;
            count++;
            pos += index + 1;
        }
    }

    private int SplitWhitespace(ReadOnlySpan<byte> record)
    {
        var count = 0;
        var pos = 0;
        while (true)
        {
            while (pos < record.Length && (record[pos] == (byte)' ' || record[pos] == (byte)'\t'))
            {
                pos++;
            }

            if (pos == record.Length)
            {
                return count;
            }

            if (count == MaxFields)
            {
                return MaxFields + 1;
            }

            var index = record[pos..].IndexOfAny((byte)' ', (byte)'\t');
            var end = index < 0 ? record.Length : pos + index;
            _fieldStarts[count] = pos;
            _fieldEnds[count] = end;
            count++;
            pos = end;
        }
    }

    private int SplitQuoted(ReadOnlySpan<byte> record)
    {
        var count = 0;
        var pos = 0;
        var delimiter = _delimiter;
        while (true)
        {
            if (count == MaxFields)
            {
                return MaxFields + 1;
            }

            _fieldStarts[count] = pos;
            var inQuotes = false;
            while (pos < record.Length)
            {
                var c = record[pos];
                if (inQuotes)
                {
                    if (c == (byte)'"')
                    {
                        if (pos + 1 < record.Length && record[pos + 1] == (byte)'"')
                        {
                            pos++;
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

                pos++;
            }

            _fieldEnds[count] = pos;
            count++;
            if (pos >= record.Length)
            {
                return count;
            }

            pos++;
        }
    }

    /// <summary>Field <paramref name="index"/> trimmed of spaces and, when quoted, of its quotes (doubled quotes undone into scratch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Value(ReadOnlySpan<byte> record, int index, ref int scratchUsed)
    {
        var value = record[_fieldStarts[index].._fieldEnds[index]];
        if (_recordHasQuotes)
        {
            return Unquote(value.Trim((byte)' '), ref scratchUsed);
        }

        return value.Trim((byte)' ');
    }

    private ReadOnlySpan<byte> FieldValue(ReadOnlySpan<byte> record, int index)
    {
        var scratchUsed = 0;
        var value = Value(record, index, ref scratchUsed);
        return value.ToArray();
    }

    private ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> value, ref int scratchUsed)
    {
        if (value.Length < 2 || value[0] != (byte)'"' || value[^1] != (byte)'"')
        {
            return value;
        }

        var inner = value[1..^1];
        if (inner.IndexOf((byte)'"') < 0)
        {
            return inner.Trim((byte)' ');
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
        return result.Trim((byte)' ');
    }

    /// <summary>
    /// Finds the next record at <see cref="_start"/>, reading more input when needed. On success the record is
    /// <c>_buffer[_start.._start+length]</c> without its line break (and without a trailing CR).
    /// </summary>
    private bool NextRecord(out int length, out int consumed, out int lineBreaks)
    {
        while (true)
        {
            if (TrySplitRecord(_buffer.AsSpan(_start, _end - _start), _eof, out length, out consumed, out lineBreaks))
            {
                return true;
            }

            if (_eof)
            {
                if (_end > _start)
                {
                    throw new ExportFormatException(_source, $"line {_lineNumber}: a quoted field is never closed (the file ends inside quotes).");
                }

                return false;
            }

            Fill();
        }
    }

    private void Advance(int consumed, int lineBreaks)
    {
        _start += consumed;
        _lineNumber += lineBreaks + 1;
    }

    /// <summary>Splits one record off <paramref name="data"/>; false when it is incomplete (or <paramref name="data"/> is empty at the end).</summary>
    private bool TrySplitRecord(ReadOnlySpan<byte> data, bool final, out int length, out int consumed, out int lineBreaks)
    {
        lineBreaks = 0;
        length = 0;
        consumed = 0;
        if (data.IsEmpty)
        {
            return false;
        }

        int index = _whitespace ? data.IndexOf((byte)'\n') : data.IndexOfAny((byte)'\n', (byte)'"');
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

    private bool TrySplitQuotedRecord(ReadOnlySpan<byte> data, bool final, out int length, out int consumed, out int lineBreaks)
    {
        _recordHasQuotes = true;
        lineBreaks = 0;
        length = 0;
        consumed = 0;
        var pos = 0;
        var inQuotes = false;
        while (pos < data.Length)
        {
            var index = inQuotes ? data[pos..].IndexOf((byte)'"') : data[pos..].IndexOfAny((byte)'"', (byte)'\n');
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
                lineBreaks += data.Slice(pos, index).Count((byte)'\n');
            }

            pos += index;
            if (data[pos] == (byte)'\n')
            {
                consumed = pos + 1;
                length = pos > 0 && data[pos - 1] == (byte)'\r' ? pos - 1 : pos;
                return true;
            }

            // A quote: opens, closes, or (inside quotes, doubled) stands for itself.
            if (inQuotes && pos + 1 < data.Length && data[pos + 1] == (byte)'"')
            {
                pos += 2;
                continue;
            }

            if (inQuotes && pos + 1 == data.Length && !final)
            {
                return false;
            }

            inQuotes = !inQuotes;
            pos++;
        }

        if (inQuotes || !final)
        {
            return false;
        }

        consumed = data.Length;
        length = data[^1] == (byte)'\r' ? data.Length - 1 : data.Length;
        return true;
    }

    private static bool IsBlank(ReadOnlySpan<byte> record) => record.IsEmpty || record.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0;

    private void SkipBlankLines()
    {
        while (true)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            var index = data.IndexOf((byte)'\n');
            if (index < 0 || !IsBlank(data[..index].TrimEnd((byte)'\r')))
            {
                if (index < 0 && IsBlank(data.TrimEnd((byte)'\r')) && _eof)
                {
                    _start = _end;
                }

                return;
            }

            _start += index + 1;
            _lineNumber++;
        }
    }

    /// <summary>Reads until the buffer is full or the input ends, moving unconsumed bytes to the front (and growing for one long record).</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxRecordBytes)
            {
                throw new ExportFormatException(_source, $"line {_lineNumber}: a record is longer than {MaxRecordBytes >> 20} MiB; is a quote never closed?");
            }

            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        while (_end < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
                break;
            }

            _end += read;
            _bytes += read;
        }
    }

    /// <summary>Chooses the delimiter from the first line: the most frequent of tab, <c>;</c>, <c>,</c> outside quotes, else runs of whitespace.</summary>
    private void DetectDelimiter()
    {
        if (_options.Delimiter is { } configured)
        {
            _whitespace = configured == ' ';
            _delimiter = (byte)configured;
            return;
        }

        var data = _buffer.AsSpan(_start, _end - _start);
        var newline = data.IndexOf((byte)'\n');
        var line = newline < 0 ? data : data[..newline];
        int tabs = 0, semicolons = 0, commas = 0;
        var inQuotes = false;
        foreach (var c in line)
        {
            if (c == (byte)'"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes)
            {
                tabs += c == (byte)'\t' ? 1 : 0;
                semicolons += c == (byte)';' ? 1 : 0;
                commas += c == (byte)',' ? 1 : 0;
            }
        }

        if (tabs == 0 && semicolons == 0 && commas == 0)
        {
            _whitespace = line.Trim("\r \t"u8).IndexOfAny((byte)' ', (byte)'\t') >= 0;
            _delimiter = (byte)',';
            return;
        }

        _delimiter = tabs >= semicolons && tabs >= commas ? (byte)'\t' : semicolons >= commas ? (byte)';' : (byte)',';
    }

    /// <summary>The configured date layout, or the one that parses the most sampled timestamps (failing when none fits or day/month order is ambiguous).</summary>
    private DateLayout ResolveDateLayout()
    {
        if (_options.DateFormat is { } format)
        {
            if (!DateLayouts.TryFromName(format, out var configured))
            {
                throw new ExportFormatException(_source, $"DateFormat '{format}' is not supported; expected one of {string.Join(", ", DateLayouts.Names)}.");
            }

            return configured;
        }

        var columns = _columns!;
        var samples = new List<byte[]>();
        var data = _buffer.AsSpan(_start, _end - _start);
        var saveQuotes = _recordHasQuotes;
        while (samples.Count < DateSampleRecords && TrySplitRecord(data, _eof, out var length, out var consumed, out _))
        {
            var record = data[..length];
            if (!IsBlank(record) && SplitFields(record) == columns.FieldCount)
            {
                var scratchUsed = 0;
                var value = Value(record, columns.Timestamp, ref scratchUsed);
                if (!value.IsEmpty)
                {
                    samples.Add(value.ToArray());
                }
            }

            data = data[consumed..];
        }

        _recordHasQuotes = saveQuotes;
        if (samples.Count == 0)
        {
            return DateLayout.Iso;
        }

        var layouts = Enum.GetValues<DateLayout>();
        var parsed = new int[layouts.Length];
        foreach (var sample in samples)
        {
            foreach (var layout in layouts)
            {
                parsed[(int)layout] += DateLayouts.TryParse(sample, layout, out _, out _) ? 1 : 0;
            }
        }

        var best = parsed.Max();
        var column = columns.Name(columns.Timestamp);
        var examples = string.Join(", ", samples.Take(3).Select(s => $"'{Show(s)}'"));
        if (best * 2 < samples.Count)
        {
            throw new ExportFormatException(
                _source,
                $"cannot recognise the dates in column '{column}' (values like {examples}); expected one of {string.Join(", ", DateLayouts.Names)} (set DateFormat).");
        }

        if (parsed[(int)DateLayout.MonthDayYear] == best && parsed[(int)DateLayout.DayMonthYear] == best)
        {
            throw new ExportFormatException(
                _source,
                $"the dates in column '{column}' (values like {examples}) could be month-first or day-first; set DateFormat to 'M/d/yyyy' or 'd/M/yyyy'.");
        }

        return (DateLayout)Array.IndexOf(parsed, best);
    }
}
