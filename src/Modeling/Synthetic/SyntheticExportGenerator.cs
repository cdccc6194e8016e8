using System.Globalization;
using System.IO.Compression;
using System.Text;
using MathNet.Numerics.Distributions;

namespace Clv.Modeling.Synthetic;

/// <summary>
/// Writes a synthetic transaction export (CSV, header <c>order_id,customer_id,order_date,product,quantity,amount</c>) from a
/// known generative process (see <see cref="SyntheticExportOptions"/>): deterministic by seed, time-ordered within blocks of
/// customers, with quoted product names, returns and a few dirty rows of every kind a reader must reject.
/// </summary>
public static class SyntheticExportGenerator
{
    /// <summary>The export's header line.</summary>
    public const string Header = "order_id,customer_id,order_date,product,quantity,amount";

    private const int CustomersPerBlock = 4096;
    private const int SecondsPerDay = 86_400;
    private const double DaysPerWeek = 7;

    private static readonly byte[][] Products =
    [
        .. new[]
        {
            "Paperback", "Vinyl record", "\"Mug, large\"", "Headphones", "\"Poster \"\"Blue Note\"\", framed\"", "Gift card", "T-shirt",
            "\"Box set, 3 CDs\"", "Notebook", "Candle",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    /// <summary>Writes the export to <paramref name="path"/>, gzip-compressed when the name ends in <c>.gz</c>.</summary>
    public static SyntheticExportSummary WriteFile(string path, SyntheticExportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            return Write(gzip, options, cancellationToken);
        }

        return Write(file, options, cancellationToken);
    }

    /// <summary>Writes the export to <paramref name="destination"/> (left open).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its valid range (the message names it).</exception>
    public static SyntheticExportSummary Write(Stream destination, SyntheticExportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var random = new Random(options.Seed);
        var writer = new RowWriter(destination);
        writer.Line(Encoding.UTF8.GetBytes(Header));
        var startDay = options.Start.DayNumber;
        var totalDays = (int)(options.Weeks * DaysPerWeek);
        var lines = new List<Line>();
        long orderCounter = 0, rows = 0, dirty = 0;
        var customers = 0;
        var totalSpend = 0.0;
        var customerNumber = 0;
        while (options.TargetBytes is { } target ? writer.Bytes < target : customerNumber < options.Customers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lines.Clear();
            var blockEnd = options.TargetBytes is { } targetBytes
                ? customerNumber + BlockForTarget(targetBytes - writer.Bytes, customerNumber == 0 ? 0 : (double)writer.Bytes / customerNumber)
                : Math.Min(options.Customers, customerNumber + CustomersPerBlock);
            for (; customerNumber < blockEnd; customerNumber++)
            {
                var before = lines.Count;
                GenerateCustomer(random, options, customerNumber, totalDays, lines, ref orderCounter);
                customers += lines.Count > before ? 1 : 0;
            }

            lines.Sort(static (x, y) => x.Second != y.Second ? x.Second.CompareTo(y.Second) : x.Sequence.CompareTo(y.Sequence));
            foreach (var line in lines)
            {
                totalSpend += line.Amount;
                writer.Row(line, startDay);
                rows++;
                if (random.NextDouble() < options.DirtyRowRate)
                {
                    writer.Dirty(line, startDay, (int)(dirty % 4));
                    dirty++;
                    rows++;
                }
            }
        }

        writer.Flush();
        return new SyntheticExportSummary(customers, rows, dirty, writer.Bytes, totalSpend);
    }

    /// <summary>Customers for the next block: about enough to reach the target, so the file overshoots by at most about one customer.</summary>
    private static int BlockForTarget(long bytesLeft, double bytesPerCustomer)
    {
        const int FirstBlock = 256;
        return bytesPerCustomer <= 0 ? FirstBlock : (int)Math.Clamp((bytesLeft / bytesPerCustomer) + 1, 1, CustomersPerBlock);
    }

    private static void Validate(SyntheticExportOptions options)
    {
        static void Positive(double value, string name)
        {
            if (!(value > 0) || !double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
            }
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.Customers, 0, nameof(options.Customers));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Weeks, 1, nameof(options.Weeks));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Cohorts, 1, nameof(options.Cohorts));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LinesPerOrder, 1, nameof(options.LinesPerOrder));
        Positive(options.PurchaseRateShape, nameof(options.PurchaseRateShape));
        Positive(options.PurchaseRateRate, nameof(options.PurchaseRateRate));
        Positive(options.DropoutA, nameof(options.DropoutA));
        Positive(options.DropoutB, nameof(options.DropoutB));
        Positive(options.SpendP, nameof(options.SpendP));
        Positive(options.SpendQ, nameof(options.SpendQ));
        Positive(options.SpendGamma, nameof(options.SpendGamma));
        Positive(options.InactivityHalfLifeDays, nameof(options.InactivityHalfLifeDays));
        if (!(options.SeasonAmplitude is >= 0 and < 1) || !double.IsFinite(options.CohortSpendTrend) || !double.IsFinite(options.TenureSpendTrend))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "SeasonAmplitude must be in [0, 1); CohortSpendTrend and TenureSpendTrend must be finite.");
        }

        if (!Enum.IsDefined(options.Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "Mode must be Realistic or BgNbd.");
        }

        if (!(options.ReturnRate is >= 0 and < 1) || !(options.DirtyRowRate is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "ReturnRate and DirtyRowRate must be in [0, 1).");
        }

        if (options.TargetBytes is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TargetBytes, "TargetBytes must be positive.");
        }
    }

    /// <summary>One customer's lines: acquisition in a cohort, BG/NBD repeat purchases until dropout or the end, Gamma-Gamma order values.</summary>
    private static void GenerateCustomer(Random random, SyntheticExportOptions options, int customerNumber, int totalDays, List<Line> lines, ref long orderCounter)
    {
        if (options.Mode == SyntheticMode.Realistic)
        {
            GenerateRealisticCustomer(random, options, customerNumber, totalDays, lines, ref orderCounter);
            return;
        }

        var cohortDays = Math.Max(1, totalDays / 2 / options.Cohorts);
        var cohort = random.Next(options.Cohorts);
        var time = (cohort * cohortDays) + (random.NextDouble() * cohortDays);
        var rate = Gamma.Sample(random, options.PurchaseRateShape, options.PurchaseRateRate) / DaysPerWeek;
        var dropout = Beta.Sample(random, options.DropoutA, options.DropoutB);
        var nu = Gamma.Sample(random, options.SpendQ, options.SpendGamma);
        while (time < totalDays)
        {
            AddOrder(random, options, customerNumber, totalDays, lines, ref orderCounter, time, Gamma.Sample(random, options.SpendP, nu));
            if (random.NextDouble() < dropout)
            {
                break;
            }

            time += Exponential.Sample(random, rate);
        }
    }

    /// <summary>
    /// One customer of <see cref="SyntheticMode.Realistic"/>: purchases from a seasonal Poisson process (thinning of
    /// rate <c>lambda (1 + A)</c> by <c>s(t) / (1 + A)</c>), churn with hazard <c>kappa * d</c> at <c>d</c> days since the
    /// last purchase plus the BG/NBD dropout after each purchase, and order values scaled by the cohort and tenure trends.
    /// </summary>
    private static void GenerateRealisticCustomer(Random random, SyntheticExportOptions options, int customerNumber, int totalDays, List<Line> lines, ref long orderCounter)
    {
        const double DaysPerYear = 365.25;
        const double PeakDayOfYear = 350;
        var cohortDays = Math.Max(1, totalDays / 2 / options.Cohorts);
        var cohort = random.Next(options.Cohorts);
        var acquired = (cohort * cohortDays) + (random.NextDouble() * cohortDays);
        var rate = Gamma.Sample(random, options.PurchaseRateShape, options.PurchaseRateRate) / DaysPerWeek;
        var dropout = Beta.Sample(random, options.DropoutA, options.DropoutB);
        var nu = Gamma.Sample(random, options.SpendQ, options.SpendGamma);
        // Cumulative hazard kappa d^2 / 2 reaches ln 2 at the half-life for kappa0; customers vary around it (mean 1).
        var kappa = 2 * Math.Log(2) / (options.InactivityHalfLifeDays * options.InactivityHalfLifeDays) * Gamma.Sample(random, 2, 2);
        var cohortScale = 1 + (options.CohortSpendTrend * cohort);
        var startDayOfYear = options.Start.DayOfYear;
        var ceiling = rate * (1 + options.SeasonAmplitude);
        var time = acquired;
        var lastPurchase = acquired;
        var purchase = true;
        while (time < totalDays)
        {
            if (purchase)
            {
                var years = (time - acquired) / DaysPerYear;
                AddOrder(random, options, customerNumber, totalDays, lines, ref orderCounter, time, Gamma.Sample(random, options.SpendP, nu) * cohortScale * Math.Exp(options.TenureSpendTrend * years));
                lastPurchase = time;
                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }

            var next = time + Exponential.Sample(random, ceiling);
            var before = time - lastPurchase;
            var after = next - lastPurchase;
            if (random.NextDouble() >= Math.Exp(-kappa * ((after * after) - (before * before)) / 2))
            {
                break;
            }

            time = next;
            var season = 1 + (options.SeasonAmplitude * Math.Cos(2 * Math.PI * (startDayOfYear + time - PeakDayOfYear) / DaysPerYear));
            purchase = random.NextDouble() * (1 + options.SeasonAmplitude) < season;
        }
    }

    private static void AddOrder(Random random, SyntheticExportOptions options, int customerNumber, int totalDays, List<Line> lines, ref long orderCounter, double time, double orderValue)
    {
        var orderId = ++orderCounter;
        var lineCount = 1 + Poisson.Sample(random, options.LinesPerOrder - 1);
        var second = (long)(time * SecondsPerDay);
        for (var l = 0; l < lineCount; l++)
        {
            var quantity = 1 + random.Next(3);
            var amount = Math.Max(0.01, Math.Round(orderValue / lineCount, 2));
            var product = random.Next(Products.Length);
            lines.Add(new Line(second, lines.Count, customerNumber, orderId, false, product, quantity, amount));
            if (random.NextDouble() < options.ReturnRate)
            {
                var returnSecond = second + ((1 + random.Next(30)) * (long)SecondsPerDay);
                if (returnSecond < (long)totalDays * SecondsPerDay)
                {
                    lines.Add(new Line(returnSecond, lines.Count, customerNumber, orderId, true, product, -quantity, -amount));
                }
            }
        }
    }

    private readonly record struct Line(long Second, int Sequence, int Customer, long Order, bool IsReturn, int Product, int Quantity, double Amount);

    /// <summary>Formats rows as UTF-8 straight into a buffer (string formatting per row would dominate generating a gigabyte).</summary>
    private sealed class RowWriter(Stream destination)
    {
        private readonly byte[] _buffer = new byte[1 << 20];
        private int _used;

        public long Bytes { get; private set; }

        public void Line(ReadOnlySpan<byte> text)
        {
            Ensure(text.Length + 1);
            text.CopyTo(_buffer.AsSpan(_used));
            _used += text.Length;
            _buffer[_used++] = (byte)'\n';
            Bytes += text.Length + 1;
        }

        public void Row(in Line line, int startDay)
        {
            Ensure(256);
            var span = _buffer.AsSpan(_used);
            var n = OrderId(span, line);
            span[n++] = (byte)',';
            n += CustomerId(span[n..], line.Customer);
            span[n++] = (byte)',';
            n += Date(span[n..], line.Second, startDay);
            span[n++] = (byte)',';
            Products[line.Product].CopyTo(span[n..]);
            n += Products[line.Product].Length;
            span[n++] = (byte)',';
            n += Format(span[n..], line.Quantity);
            span[n++] = (byte)',';
            line.Amount.TryFormat(span[n..], out var written, "0.00", CultureInfo.InvariantCulture);
            n += written;
            span[n++] = (byte)'\n';
            _used += n;
            Bytes += n;
        }

        /// <summary>A row a reader must reject: 0 a control character in the customer id, 1 impossible date, 2 unparseable amount, 3 an extra field.</summary>
        public void Dirty(in Line line, int startDay, int kind)
        {
            Ensure(256);
            var span = _buffer.AsSpan(_used);
            var n = OrderId(span, line);
            span[n++] = (byte)',';
            if (kind == 0)
            {
                span[n++] = 0x07;
            }

            n += CustomerId(span[n..], line.Customer);

            span[n++] = (byte)',';
            if (kind == 1)
            {
                "2023-02-30T10:00:00"u8.CopyTo(span[n..]);
                n += 19;
            }
            else
            {
                n += Date(span[n..], line.Second, startDay);
            }

            ",Gift card,1,"u8.CopyTo(span[n..]);
            n += 13;
            if (kind == 2)
            {
                "12.3.4"u8.CopyTo(span[n..]);
                n += 6;
            }
            else
            {
                line.Amount.TryFormat(span[n..], out var written, "0.00", CultureInfo.InvariantCulture);
                n += written;
            }

            if (kind == 3)
            {
                ",EUR"u8.CopyTo(span[n..]);
                n += 4;
            }

            span[n++] = (byte)'\n';
            _used += n;
            Bytes += n;
        }

        public void Flush()
        {
            destination.Write(_buffer, 0, _used);
            _used = 0;
            destination.Flush();
        }

        private static int OrderId(Span<byte> span, in Line line)
        {
            span[0] = line.IsReturn ? (byte)'R' : (byte)'O';
            line.Order.TryFormat(span[1..], out var written, "D9", CultureInfo.InvariantCulture);
            return written + 1;
        }

        private static int CustomerId(Span<byte> span, int customer)
        {
            span[0] = (byte)'C';
            customer.TryFormat(span[1..], out var written, "D7", CultureInfo.InvariantCulture);
            return written + 1;
        }

        private static int Date(Span<byte> span, long second, int startDay)
        {
            var timestamp = new DateTime(DateOnly.FromDayNumber(startDay + (int)(second / SecondsPerDay)), TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(second % SecondsPerDay)));
            timestamp.TryFormat(span, out var written, "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            return written;
        }

        private static int Format(Span<byte> span, int value)
        {
            value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
            return written;
        }

        private void Ensure(int bytes)
        {
            if (_used + bytes > _buffer.Length)
            {
                destination.Write(_buffer, 0, _used);
                _used = 0;
            }
        }
    }
}
