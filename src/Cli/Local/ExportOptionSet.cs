using System.CommandLine;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;

namespace Clv.Cli.Local;

/// <summary>How exports are read (column mapping, layout), shared by <c>featurize</c> and <c>run</c>.</summary>
internal sealed class ExportOptionSet
{
    public Option<string?> Customer { get; } = new("--customer-column") { Description = "Customer id column (header name, or 1-based number with --no-header)." };

    public Option<string?> Timestamp { get; } = new("--date-column") { Description = "Order date/timestamp column." };

    public Option<string?> Amount { get; } = new("--amount-column") { Description = "Amount column (else quantity x unit price)." };

    public Option<string?> OrderId { get; } = new("--order-column") { Description = "Order id column." };

    public Option<string?> Quantity { get; } = new("--quantity-column") { Description = "Quantity column." };

    public Option<string?> UnitPrice { get; } = new("--unit-price-column") { Description = "Unit price column." };

    public Option<string?> DateFormat { get; } = new("--date-format") { Description = $"Date layout: {string.Join(", ", ExportReaderOptions.DateFormats)} (detected when left out)." };

    public Option<string?> Delimiter { get; } = new("--delimiter") { Description = "Field delimiter: comma, semicolon, tab, pipe or whitespace (detected when left out)." };

    public Option<bool> DecimalComma { get; } = new("--decimal-comma") { Description = "Numbers use a decimal comma (12,50)." };

    public Option<bool> NoHeader { get; } = new("--no-header") { Description = "The first line is data; give columns as 1-based numbers." };

    public Option<double> MaxRejected { get; } = new("--max-rejected-share") { Description = "Fail a file when more than this share of rows is rejected.", DefaultValueFactory = _ => ExportReaderOptions.DefaultMaxRejectedShare };

    public Option<string?> Profile { get; } = new("--profile") { Description = $"Export profile: {string.Join(", ", ExportProfiles.Names)} (detected from the header when left out)." };

    public Option<string?> Mapping { get; } = new("--mapping") { Description = "Mapping file (JSON: profile, customerColumn, dateColumn, amountColumn, refundColumn, statusColumn, nonRevenueStatuses, currency, ...); flags given too win over it." };

    public Option<string?> Currency { get; } = new("--currency") { Description = "The currency amounts are counted in (e.g. EUR); rows in others are rejected unless --rates converts them. Default: the file's most common." };

    public Option<string?> Rates { get; } = new("--rates") { Description = "CSV of conversion rates into --currency: lines 'code,rate' (e.g. USD,0.92)." };

    public Option<string?> IdKeyFile { get; } = new("--id-key-file") { Description = $"File holding the secret that keys e-mail and phone customer ids (HMAC-SHA256); default: the {IdKeyVariable} environment variable." };

    /// <summary>The environment variable holding the id key, the same setting as in Azure (<c>Clv:Ingest:CustomerIdKey</c>).</summary>
    public const string IdKeyVariable = "Clv__Ingest__CustomerIdKey";

    /// <summary>How the tool names the export options in messages.</summary>
    public static ExportOptionNames Flags { get; } = new(
        "--customer-column",
        "--date-column",
        "--amount-column",
        "--order-column",
        "--quantity-column",
        "--unit-price-column",
        "refundColumn in a --mapping file",
        "currencyColumn in a --mapping file",
        "statusColumn in a --mapping file",
        "--date-format",
        "--currency",
        "--rates",
        $"--id-key-file or the {IdKeyVariable} environment variable",
        "--profile",
        "--max-rejected-share");

    public IEnumerable<Option> All => [Customer, Timestamp, Amount, OrderId, Quantity, UnitPrice, DateFormat, Delimiter, DecimalComma, NoHeader, MaxRejected, Profile, Mapping, Currency, Rates, IdKeyFile];

    /// <summary>Reads and checks the values; a bad one is a <see cref="CliUserException"/> naming the option.</summary>
    public ExportReaderOptions Bind(ParseResult parseResult)
    {
        var options = new ExportReaderOptions { OptionNames = Flags, CustomerIdHasher = ReadHasher(parseResult.GetValue(IdKeyFile)) };
        if (parseResult.GetValue(Mapping) is { } mappingFile)
        {
            options = ReadMapping(mappingFile).ApplyTo(options);
        }

        var profile = parseResult.GetValue(Profile);
        if (profile is not null && !ExportProfiles.Names.Contains(profile, StringComparer.OrdinalIgnoreCase))
        {
            throw new CliUserException($"--profile '{profile}' is not a profile.", $"use one of {string.Join(", ", ExportProfiles.Names)}, or leave it out to detect it");
        }

        var currency = parseResult.GetValue(Currency)?.Trim().ToUpperInvariant();
        if (currency is not null && !ExportMapping.IsCurrencyCode(currency))
        {
            throw new CliUserException($"--currency '{currency}' is not a currency code.", "give a three-letter code, e.g. --currency EUR");
        }

        var rates = parseResult.GetValue(Rates) is { } ratesFile ? ReadRates(ratesFile) : null;
        if (rates is not null && (currency ?? options.Currency) is null)
        {
            throw new CliUserException("--rates needs --currency, the currency the rates convert into.", "e.g. --currency EUR --rates rates.csv");
        }

        return Apply(options, parseResult) with
        {
            Profile = profile ?? options.Profile,
            Currency = currency ?? options.Currency,
            CurrencyRates = rates ?? options.CurrencyRates,
        };
    }

    /// <summary>The id key from <paramref name="keyFile"/>, else from <see cref="IdKeyVariable"/>; <see langword="null"/> when neither is set.</summary>
    public static CustomerIdHasher? ReadHasher(string? keyFile)
    {
        string? secret;
        string origin;
        if (keyFile is not null)
        {
            if (!File.Exists(keyFile))
            {
                throw new CliUserException($"--id-key-file '{keyFile}' not found.", "give a file holding the secret, e.g. 32 random bytes in base64 (openssl rand -base64 32 > clv-id.key)");
            }

            secret = File.ReadAllText(keyFile).Trim();
            origin = $"--id-key-file '{keyFile}'";
        }
        else
        {
            secret = Environment.GetEnvironmentVariable(IdKeyVariable);
            origin = IdKeyVariable;
        }

        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        try
        {
            return new CustomerIdHasher(secret);
        }
        catch (ArgumentException ex)
        {
            throw new CliUserException($"{origin}: {ex.Message.Split(" (Parameter", 2)[0]}", "e.g. openssl rand -base64 32");
        }
    }

    private static ExportMapping ReadMapping(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliUserException($"--mapping file '{path}' not found.", "check the path");
        }

        try
        {
            return ExportMapping.ReadFile(path);
        }
        catch (ExportFormatException ex)
        {
            throw new CliUserException(ex.Message, $"a mapping file may set {string.Join(", ", ExportMapping.FieldNames)}");
        }
    }

    private static Dictionary<string, double> ReadRates(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliUserException($"--rates file '{path}' not found.", "a CSV with lines 'code,rate', e.g. USD,0.92");
        }

        var rates = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (line.Trim().Length == 0 || (number == 1 && fields.Length == 2 && !double.TryParse(fields[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)))
            {
                continue;
            }

            if (fields.Length != 2 || !ExportMapping.IsCurrencyCode(fields[0])
                || !double.TryParse(fields[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var rate) || !(rate > 0) || double.IsInfinity(rate))
            {
                throw new CliUserException($"--rates '{path}' line {number}: '{line}' is not 'code,rate' with a positive rate.", "e.g. USD,0.92 (units of --currency per unit of USD)");
            }

            rates[fields[0].ToUpperInvariant()] = rate;
        }

        return rates;
    }

    private ExportReaderOptions Apply(ExportReaderOptions options, ParseResult parseResult) => options with
    {
        CustomerIdColumn = parseResult.GetValue(Customer) ?? options.CustomerIdColumn,
        TimestampColumn = parseResult.GetValue(Timestamp) ?? options.TimestampColumn,
        AmountColumn = parseResult.GetValue(Amount) ?? options.AmountColumn,
        OrderIdColumn = parseResult.GetValue(OrderId) ?? options.OrderIdColumn,
        QuantityColumn = parseResult.GetValue(Quantity) ?? options.QuantityColumn,
        UnitPriceColumn = parseResult.GetValue(UnitPrice) ?? options.UnitPriceColumn,
        DateFormat = parseResult.GetValue(DateFormat) ?? options.DateFormat,
        Delimiter = ParseDelimiter(parseResult.GetValue(Delimiter)) ?? options.Delimiter,
        DecimalComma = parseResult.GetValue(DecimalComma) || options.DecimalComma,
        HasHeader = !parseResult.GetValue(NoHeader),
        MaxRejectedShare = CheckShare(parseResult.GetValue(MaxRejected)),
    };

    /// <summary>A bucket size from its name; an unknown one is a <see cref="CliUserException"/>.</summary>
    public static BucketSize ParseBucket(string? text) => BucketNames.TryParse(text, out var bucket)
        ? bucket
        : throw new CliUserException($"--bucket '{text}' is not a bucket size.", "use day, week or month");

    private static char? ParseDelimiter(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "," or "COMMA" => ',',
        ";" or "SEMICOLON" => ';',
        "\\T" or "\t" or "TAB" => '\t',
        "|" or "PIPE" => '|',
        "SPACE" or "WHITESPACE" => ' ',
        _ => throw new CliUserException($"--delimiter '{text}' is not supported.", "use comma, semicolon, tab, pipe or whitespace, or leave it out to detect it"),
    };

    private static double CheckShare(double share) => share is >= 0 and <= 1
        ? share
        : throw new CliUserException($"--max-rejected-share {share} is outside 0..1.", "e.g. --max-rejected-share 0.2 for 20%");
}
