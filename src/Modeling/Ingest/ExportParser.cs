using System.Buffers;

namespace Clv.Modeling.Ingest;

/// <summary>
/// The streaming export parser. <see cref="Open"/> reads the first lines (BOM, delimiter, header, date layout);
/// <see cref="Chunks"/> then cuts the rest into chunks of whole records, which <see cref="RecordParser"/>s parse,
/// one chunk after another (<see cref="Parse{TConsumer}"/>) or on several threads (the featurizer).
/// Memory is one chunk per parsing thread plus what the consumer keeps.
/// </summary>
internal sealed class ExportParser : IDisposable
{
    private const int HeadBytes = 1 << 20;
    private const int DateSampleRecords = 5000;

    private readonly Stream _stream;
    private readonly string _source;
    private readonly ExportReaderOptions _options;
    private readonly IRejectedRowSink? _rejected;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _bytes;
    private long _lineNumber = 1;
    private ExportLayout? _layout;
    private ExportChunkReader? _chunks;

    public ExportParser(Stream stream, string sourceName, ExportReaderOptions options, IRejectedRowSink? rejected)
    {
        _stream = stream;
        _source = sourceName;
        _options = options;
        _rejected = rejected;
        _buffer = ArrayPool<byte>.Shared.Rent(HeadBytes);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>
    /// Reads the export's first lines and resolves its layout: BOM, delimiter, header and columns, date layout.
    /// <see langword="null"/> for an empty file without a header (no rows).
    /// </summary>
    /// <exception cref="ExportFormatException">The file as a whole cannot be used (see the message).</exception>
    public ExportLayout? Open()
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

            return null;
        }

        var syntax = DetectSyntax();
        var records = new RecordParser(syntax);
        if (!records.TrySplitRecord(Buffered, _eof, out var headerLength, out var headerConsumed, out var headerLines))
        {
            throw _eof
                ? new ExportFormatException(_source, $"line {_lineNumber}: a quoted field is never closed (the file ends inside quotes).")
                : new ExportFormatException(_source, $"line {_lineNumber}: the first record is longer than {HeadBytes >> 20} MiB; is the file an export?");
        }

        var header = _buffer.AsSpan(_start, headerLength);
        var fieldCount = records.SplitFields(header);
        if (fieldCount > RecordParser.MaxFields)
        {
            throw new ExportFormatException(_source, $"line {_lineNumber}: more than {RecordParser.MaxFields} columns; is the delimiter right?");
        }

        ExportColumns columns;
        if (_options.HasHeader)
        {
            var names = new string[fieldCount];
            for (var i = 0; i < fieldCount; i++)
            {
                names[i] = records.FieldText(header, i);
            }

            columns = ExportColumns.Resolve(_source, names, fieldCount, _options);
            _start += headerConsumed;
            _lineNumber += headerLines + 1;
        }
        else
        {
            columns = ExportColumns.Resolve(_source, null, fieldCount, _options);
        }

        _layout = new ExportLayout(syntax, columns, ResolveDateLayout(records, columns), RowLimits.From(_options));
        columns.Rules = RowRules.Resolve(_source, records, columns, Buffered, _eof, _options);
        return _layout;
    }

    /// <summary>Cuts what follows the header into chunks (call after <see cref="Open"/>; once).</summary>
    public ExportChunkReader Chunks(int chunkBytes)
    {
        var layout = _layout ?? throw new InvalidOperationException("Open the export first.");
        var buffered = Buffered.ToArray();
        _bytes -= buffered.Length;
        _chunks = new ExportChunkReader(new PrefixedStream(buffered, _stream), _source, !layout.Syntax.Whitespace, chunkBytes, _lineNumber);
        return _chunks;
    }

    /// <summary>Bytes of text read so far: by <see cref="Open"/>, then by the chunk reader.</summary>
    public long BytesRead => _bytes + (_chunks?.BytesRead ?? 0);

    /// <summary>Parses the whole export on this thread, handing accepted rows to <paramref name="consumer"/> and rejected ones to the sink.</summary>
    /// <exception cref="ExportFormatException">The file as a whole cannot be used (see the message).</exception>
    public ParseCounts Parse<TConsumer>(ref TConsumer consumer, CancellationToken cancellationToken)
        where TConsumer : struct, IRowConsumer
    {
        var layout = Open();
        if (layout is null)
        {
            return new ParseCounts(0, 0, 0, 0, BytesRead);
        }

        var chunks = Chunks(ExportChunkReader.DefaultChunkBytes);
        var records = new RecordParser(layout);
        var rejected = new RejectedRowTally(_rejected);
        var chunkRejected = new RejectedRowList();
        var counts = default(ParseCounts);
        while (chunks.Next() is { } chunk)
        {
            using (chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                counts += records.ParseChunk(chunk.Data, chunk.FirstLine, ref consumer, chunkRejected);
                rejected.AddRange(chunkRejected);
            }
        }

        counts = counts with { TextBytes = BytesRead };
        rejected.ThrowIfOverThreshold(_source, counts, _options.MaxRejectedShare, Flags.MaxRejectedShare, layout.Columns);
        return counts;
    }

    private ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    private ExportOptionNames Flags => _options.OptionNames ?? ExportOptionNames.Properties;

    private void SkipBlankLines()
    {
        while (true)
        {
            var data = Buffered;
            var index = data.IndexOf((byte)'\n');
            if (index < 0 || !RecordParser.IsBlank(data[..index].TrimEnd((byte)'\r')))
            {
                if (index < 0 && RecordParser.IsBlank(data.TrimEnd((byte)'\r')) && _eof)
                {
                    _start = _end;
                }

                return;
            }

            _start += index + 1;
            _lineNumber++;
        }
    }

    /// <summary>Reads until the head buffer is full or the input ends.</summary>
    private void Fill()
    {
        while (_end < HeadBytes)
        {
            var read = _stream.Read(_buffer, _end, HeadBytes - _end);
            if (read == 0)
            {
                _eof = true;
                break;
            }

            _end += read;
            _bytes += read;
        }
    }

    /// <summary>The configured delimiter, or the most frequent of tab, <c>;</c>, <c>,</c> outside quotes on the first line, else runs of whitespace.</summary>
    private ExportSyntax DetectSyntax()
    {
        if (_options.Delimiter is { } configured)
        {
            return new ExportSyntax(_source, (byte)configured, configured == ' ', _options.DecimalComma);
        }

        var data = Buffered;
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
            var whitespace = line.Trim("\r \t"u8).IndexOfAny((byte)' ', (byte)'\t') >= 0;
            return new ExportSyntax(_source, (byte)',', whitespace, _options.DecimalComma);
        }

        var delimiter = tabs >= semicolons && tabs >= commas ? (byte)'\t' : semicolons >= commas ? (byte)';' : (byte)',';
        return new ExportSyntax(_source, delimiter, Whitespace: false, _options.DecimalComma);
    }

    /// <summary>The configured date layout, or the one that parses the most sampled timestamps (failing when none fits or day/month order is ambiguous).</summary>
    private DateLayout ResolveDateLayout(RecordParser records, ExportColumns columns)
    {
        if (_options.DateFormat is { } format)
        {
            if (!DateLayouts.TryFromName(format, out var configured))
            {
                throw new ExportFormatException(_source, $"{Flags.DateFormat} '{format}' is not supported; expected one of {string.Join(", ", DateLayouts.Names)}.");
            }

            return configured;
        }

        var samples = new List<byte[]>();
        var data = Buffered;
        while (samples.Count < DateSampleRecords && records.TrySplitRecord(data, _eof, out var length, out var consumed, out _))
        {
            var record = data[..length];
            if (!RecordParser.IsBlank(record) && records.SplitFields(record) == columns.FieldCount)
            {
                var scratchUsed = 0;
                var value = records.Value(record, columns.Timestamp, ref scratchUsed);
                if (!value.IsEmpty)
                {
                    samples.Add(value.ToArray());
                }
            }

            data = data[consumed..];
        }

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
        var examples = string.Join(", ", samples.Take(3).Select(s => $"'{RecordParser.Show(s)}'"));
        if (best * 2 < samples.Count)
        {
            throw new ExportFormatException(
                _source,
                $"cannot recognise the dates in column '{column}' (values like {examples}); expected one of {string.Join(", ", DateLayouts.Names)} (set {Flags.DateFormat}).");
        }

        if (parsed[(int)DateLayout.MonthDayYear] == best && parsed[(int)DateLayout.DayMonthYear] == best)
        {
            throw new ExportFormatException(
                _source,
                $"the dates in column '{column}' (values like {examples}) could be month-first or day-first; set {Flags.DateFormat} to 'M/d/yyyy' or 'd/M/yyyy'.");
        }

        return (DateLayout)Array.IndexOf(parsed, best);
    }
}

/// <summary>Forwards rejected rows to the caller's sink in file order, counting them and keeping the first for messages.</summary>
internal sealed class RejectedRowTally(IRejectedRowSink? sink)
{
    /// <summary>The first rejected row of the file.</summary>
    public RejectedRow? First { get; private set; }

    /// <summary>Forwards and clears <paramref name="rows"/>.</summary>
    public void AddRange(RejectedRowList rows)
    {
        foreach (var row in rows.Rows)
        {
            First ??= row;
            sink?.Add(row);
        }

        rows.Clear();
    }

    /// <summary>Fails the file when its rejected share is over <paramref name="maxShare"/>, naming the limit as the host calls it (<paramref name="maxShareName"/>).</summary>
    /// <exception cref="ExportFormatException">Too many rows were rejected; the message names the first and the columns found.</exception>
    public void ThrowIfOverThreshold(string source, ParseCounts counts, double maxShare, string maxShareName, ExportColumns columns)
    {
        // Guest rows (no customer id) are skipped, not rejected: the share counts only rows that name a customer.
        var rows = counts.Rows - counts.Skipped;
        if (rows > 0 && counts.Rejected > maxShare * rows)
        {
            var first = First!;
            var skipped = counts.Skipped > 0 ? $" ({counts.Skipped:N0} rows skipped besides: guest rows without a customer id, further lines of an order)" : string.Empty;
            throw new ExportFormatException(
                source,
                $"{counts.Rejected:N0} of {rows:N0} rows rejected ({100.0 * counts.Rejected / rows:0.0}%), over the {100 * maxShare:0.##}% threshold ({maxShareName}){skipped}; "
                + $"first: line {first.LineNumber}: {first.Reason}. Columns found: {string.Join(", ", columns.Names.Select(n => $"'{n}'"))}.",
                ExportFormatError.TooManyRejectedRows);
        }
    }
}
