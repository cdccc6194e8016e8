using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Clv.Modeling.Ingest;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Score;
using Clv.Pipeline.Storage;
using Clv.Pipeline.Telemetry;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Lookup;

/// <summary>
/// The HTTP API, independent of the host: <c>GET /api/customers/{customerId}/clv</c>,
/// <c>POST /api/score</c>, <c>GET /api/health</c>. Validation, status codes and problem details live here so
/// the Functions app and the local host answer the same.
/// </summary>
public sealed class ClvHttpApi(ClvStorage storage, ChampionProvider champion, ISequenceSource sequences, ClvOptions options, ILogger<ClvHttpApi> logger, TimeProvider? time = null)
{
    private readonly Clv.Modeling.Ingest.CustomerIdHasher? _hasher = options.Ingest.CreateHasher();

    /// <summary>Route of the single-customer lookup.</summary>
    public const string CustomerRoute = "customers/{customerId}/clv";

    /// <summary>Route of live scoring.</summary>
    public const string ScoreRoute = "score";

    /// <summary>Route of the health check.</summary>
    public const string HealthRoute = "health";

    /// <summary>Longest accepted customer id, in UTF-8 bytes: the limit ingest applies, checked before any key escaping.</summary>
    public const int MaxCustomerIdLength = Clv.Modeling.Ingest.ExportReaderOptions.MaxCustomerIdBytes;

    /// <summary>Statuses of storage that a retry may cure: answered 503.</summary>
    private static readonly int[] TransientStorageStatuses = [408, 429, 500, 502, 503, 504];

    /// <summary>Why <paramref name="customerId"/> cannot be a customer id (empty, over the length limit, control characters), or <see langword="null"/>.</summary>
    public static string? CustomerIdProblem(string? customerId)
    {
        if (string.IsNullOrWhiteSpace(customerId))
        {
            return "is empty";
        }

        // Length first, on characters, so a huge value is refused before it is encoded.
        if (customerId.Length > MaxCustomerIdLength || Encoding.UTF8.GetByteCount(customerId) > MaxCustomerIdLength)
        {
            return $"is longer than {MaxCustomerIdLength} UTF-8 bytes";
        }

        return customerId.Any(char.IsControl) ? "holds control characters" : null;
    }

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// The customer id from a route segment as ASP.NET Core routing gives it: every escape decoded except
    /// <c>%2F</c>, which stays encoded so a slash cannot split the route; decoded here.
    /// </summary>
    public static string CustomerIdFromRoute(string routeValue)
    {
        ArgumentNullException.ThrowIfNull(routeValue);
        return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary><c>GET /api/customers/{customerId}/clv</c>: a point read of <c>Predictions</c>.</summary>
    public Task<HttpResult> GetCustomerAsync(string? customerId, CancellationToken cancellationToken = default) =>
        Measure("customer", async () =>
        {
            if (customerId is null || CustomerIdProblem(customerId) is { } idProblem)
            {
                return HttpResult.Problem(400, "Invalid customer id", $"The route parameter customerId {CustomerIdProblem(customerId)}.", "customerId");
            }

            // E-mail addresses and phone numbers are stored keyed: look up the key, and answer with it.
            customerId = _hasher?.Key(customerId) ?? customerId;
            using var activity = ClvTelemetry.Source.StartActivity("clv.lookup");
            var row = await storage.Predictions.GetEntityIfExistsAsync<PredictionEntity>(ShardKey.For(customerId), TableKey.Escape(customerId), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!row.HasValue || row.Value is not { } prediction)
            {
                return HttpResult.Problem(404, "Unknown customer", $"Customer '{customerId}' has no prediction.", "customerId");
            }

            return HttpResult.Ok(new CustomerPrediction(customerId, prediction.Clv, prediction.PPurchase, prediction.ClvP10, prediction.ClvP50, prediction.ClvP90, prediction.ModelVersion, prediction.AsOf, prediction.ScoredAt), HttpJsonContext.Default.CustomerPrediction);
        });

    /// <summary><c>POST /api/score</c>: scores posted transactions with the champion.</summary>
    /// <param name="body">The request body; read up to the size limit.</param>
    /// <param name="contentLength">The declared length, when known.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public Task<HttpResult> ScoreAsync(Stream body, long? contentLength, CancellationToken cancellationToken = default) =>
        Measure("score", async () =>
        {
            ArgumentNullException.ThrowIfNull(body);
            var limit = options.Http.MaxScoreRequestBytes;
            if (contentLength > limit)
            {
                return TooLarge(contentLength.Value, limit);
            }

            var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
            try
            {
                var read = 0;
                while (read <= limit)
                {
                    var n = await body.ReadAsync(buffer.AsMemory(read, limit + 1 - read), cancellationToken).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                if (read > limit)
                {
                    return TooLarge(null, limit);
                }

                var request = LiveScoreRequest.Parse(buffer.AsSpan(0, read), options.Http.MaxTransactions, options.Ingest.MaxAmount, out var problem);
                if (request is null)
                {
                    return problem!;
                }

                using var activity = ClvTelemetry.Source.StartActivity("clv.score.live");
                var current = await champion.GetAsync(cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    return HttpResult.Problem(503, "No model", "No model has been promoted yet; train one first (models/current.json is missing).");
                }

                var customerId = _hasher?.Key(request.CustomerId) ?? request.CustomerId;
                var set = sequences.FromTransactions(customerId, request.Transactions, request.AsOf, current.Scorer.Metadata);
                var clv = new float[set.Count];
                var pPurchase = new float[set.Count];
                var p10 = new float[set.Count];
                var p50 = new float[set.Count];
                var p90 = new float[set.Count];
                current.Scorer.Score(set, clv, pPurchase, p10, p50, p90);
                if (!new Clv.Modeling.Scoring.ClvPrediction(clv[0], pPurchase[0], p10[0], p50[0], p90[0]).IsFinite)
                {
                    throw new InvalidOperationException($"Model {current.Pointer.Version} gave a non-finite score.");
                }

                return HttpResult.Ok(new LiveScore(customerId, clv[0], pPurchase[0], p10[0], p50[0], p90[0], current.Pointer.Version, request.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), HttpJsonContext.Default.LiveScore);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });

    /// <summary><c>GET /api/health</c>: the loaded model version and its age.</summary>
    public Task<HttpResult> HealthAsync(CancellationToken cancellationToken = default) =>
        Measure("health", async () =>
        {
            var current = await champion.GetAsync(cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return HttpResult.Problem(503, "No model", "No model has been promoted yet (models/current.json is missing).");
            }

            var age = _time.GetUtcNow() - current.Pointer.PromotedAt;
            return HttpResult.Ok(new Health("ok", current.Pointer.Version, current.Pointer.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), current.Pointer.PromotedAt, Math.Round(age.TotalSeconds)), HttpJsonContext.Default.Health);
        });

    private static HttpResult TooLarge(long? declared, int limit) => HttpResult.Problem(
        413,
        "Request too large",
        declared is { } length
            ? $"The body is {length} bytes; at most {limit} are accepted (Clv:Http:MaxScoreRequestBytes)."
            : $"The body is over {limit} bytes, the most accepted (Clv:Http:MaxScoreRequestBytes).");

    private async Task<HttpResult> Measure(string route, Func<Task<HttpResult>> handle)
    {
        var clock = Stopwatch.StartNew();
        HttpResult result;
        try
        {
            result = await handle().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (TransientStorageStatuses.Contains(ex.Status) || ex.Status == 0)
        {
            PipelineLog.HttpFailed(logger, ex, route);
            result = HttpResult.Problem(503, "Storage unavailable", $"The storage account answered {ex.Status} ({ex.ErrorCode}); try again.");
        }
        catch (RequestFailedException ex) when (ex.Status == 403)
        {
            // Not something a retry cures: the app's identity lacks a role, or the network rules shut it out.
            var correlationId = CorrelationId();
            PipelineLog.HttpFailedWithCorrelation(logger, ex, route, 500, correlationId);
            result = HttpResult.Problem(500, "Storage access denied", "The service is not allowed to read its storage; an operator must check its role assignments and network rules. Quote the correlation id.", correlationId: correlationId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Never a bare 500: the answer says only that it failed, and under which id the details were logged.
            var correlationId = CorrelationId();
            PipelineLog.HttpFailedWithCorrelation(logger, ex, route, 500, correlationId);
            result = HttpResult.Problem(500, "Internal error", "The request failed on the server; quote the correlation id to an operator.", correlationId: correlationId);
        }

        ClvTelemetry.HttpRequests.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("status", result.Status));
        ClvTelemetry.HttpDuration.Record(clock.Elapsed.TotalSeconds, new KeyValuePair<string, object?>("route", route));
        return result;
    }

    private static string CorrelationId() => Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");

    /// <summary>Answer of the lookup; the interval is null on rows scored before intervals existed.</summary>
    public sealed record CustomerPrediction(string CustomerId, double Clv, double PPurchase, double? ClvP10, double? ClvP50, double? ClvP90, string ModelVersion, string AsOf, DateTimeOffset ScoredAt);

    /// <summary>Answer of live scoring.</summary>
    public sealed record LiveScore(string CustomerId, double Clv, double PPurchase, double ClvP10, double ClvP50, double ClvP90, string ModelVersion, string AsOf);

    /// <summary>Answer of the health check.</summary>
    public sealed record Health(string Status, string ModelVersion, string AsOf, DateTimeOffset PromotedAt, double ModelAgeSeconds);
}

/// <summary>A validated body of <c>POST /api/score</c>.</summary>
/// <param name="CustomerId">The customer (or <c>live</c> when not given).</param>
/// <param name="AsOf">Last day of data (the newest transaction's day when not given).</param>
/// <param name="Transactions">The customer's transactions.</param>
internal sealed record LiveScoreRequest(string CustomerId, DateOnly AsOf, IReadOnlyList<Transaction> Transactions)
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyyMMdd"];

    /// <summary>Parses and validates; on failure returns null and a 400 naming the field.</summary>
    public static LiveScoreRequest? Parse(ReadOnlySpan<byte> utf8, int maxTransactions, double maxAmount, out HttpResult? problem)
    {
        problem = null;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            problem = Bad($"The body is not valid JSON: {ex.Message}", "$");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = Bad($"The body must be a JSON object, was {root.ValueKind}.", "$");
                return null;
            }

            var customerId = "live";
            if (root.TryGetProperty("customerId", out var id) && id.ValueKind != JsonValueKind.Null)
            {
                if (id.ValueKind != JsonValueKind.String || ClvHttpApi.CustomerIdProblem(id.GetString()) is not null)
                {
                    problem = Bad($"customerId must be a non-empty string of at most {ClvHttpApi.MaxCustomerIdLength} UTF-8 bytes without control characters.", "customerId");
                    return null;
                }

                customerId = id.GetString()!;
            }

            DateOnly? asOf = null;
            if (root.TryGetProperty("asOf", out var asOfElement) && asOfElement.ValueKind != JsonValueKind.Null)
            {
                if (asOfElement.ValueKind != JsonValueKind.String || !TryParseDate(asOfElement.GetString()!, out var parsed))
                {
                    problem = Bad($"asOf must be a date like 2026-11-23, was {asOfElement.GetRawText()}.", "asOf");
                    return null;
                }

                asOf = DateOnly.FromDateTime(parsed);
            }

            if (!root.TryGetProperty("transactions", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problem = Bad("transactions is required and must be an array of { timestamp, amount, orderId?, quantity? }.", "transactions");
                return null;
            }

            var count = list.GetArrayLength();
            if (count == 0)
            {
                problem = Bad("transactions is empty; send at least one.", "transactions");
                return null;
            }

            if (count > maxTransactions)
            {
                problem = Bad($"transactions has {count} items; at most {maxTransactions} are accepted.", "transactions");
                return null;
            }

            var transactions = new List<Transaction>(count);
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var path = $"transactions[{index}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    problem = Bad($"{path} must be an object.", path);
                    return null;
                }

                if (!item.TryGetProperty("timestamp", out var ts) || ts.ValueKind != JsonValueKind.String || !TryParseDate(ts.GetString()!, out var timestamp))
                {
                    problem = Bad($"{path}.timestamp is required: an ISO 8601 date or date-time such as 2026-11-23 or 2026-11-23T10:15:00Z.", path + ".timestamp");
                    return null;
                }

                if (!item.TryGetProperty("amount", out var amountElement) || amountElement.ValueKind != JsonValueKind.Number || !amountElement.TryGetDouble(out var amount) || !(Math.Abs(amount) <= maxAmount))
                {
                    problem = Bad($"{path}.amount is required and must be a number of at most {maxAmount:G} in absolute value (negative for returns).", path + ".amount");
                    return null;
                }

                string? orderId = null;
                if (item.TryGetProperty("orderId", out var order) && order.ValueKind != JsonValueKind.Null)
                {
                    if (order.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                    {
                        problem = Bad($"{path}.orderId must be a string or a number.", path + ".orderId");
                        return null;
                    }

                    orderId = order.ValueKind == JsonValueKind.String ? order.GetString() : order.GetRawText();
                }

                double quantity = 0;
                if (item.TryGetProperty("quantity", out var quantityElement) && quantityElement.ValueKind != JsonValueKind.Null
                    && (quantityElement.ValueKind != JsonValueKind.Number || !quantityElement.TryGetDouble(out quantity) || !(Math.Abs(quantity) <= maxAmount)))
                {
                    problem = Bad($"{path}.quantity must be a number of at most {maxAmount:G} in absolute value.", path + ".quantity");
                    return null;
                }

                if (timestamp < Clv.Modeling.Ingest.ExportReaderOptions.EarliestDate.ToDateTime(TimeOnly.MinValue))
                {
                    problem = Bad($"{path}.timestamp {ts.GetString()} is before {Clv.Modeling.Ingest.ExportReaderOptions.EarliestDate:yyyy-MM-dd}.", path + ".timestamp");
                    return null;
                }

                if (asOf is { } limit && DateOnly.FromDateTime(timestamp) > limit)
                {
                    problem = Bad($"{path}.timestamp {ts.GetString()} is after asOf {limit:yyyy-MM-dd}.", path + ".timestamp");
                    return null;
                }

                transactions.Add(new Transaction(customerId, timestamp, amount, orderId, quantity));
                index++;
            }

            var effectiveAsOf = asOf ?? DateOnly.FromDateTime(transactions.Max(t => t.Timestamp));
            return new LiveScoreRequest(customerId, effectiveAsOf, transactions);
        }
    }

    private static HttpResult Bad(string detail, string field) => HttpResult.Problem(400, "Invalid request", detail, field);

    private static bool TryParseDate(string text, out DateTime value)
    {
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var offset) && text.Contains('T', StringComparison.Ordinal))
        {
            value = offset.UtcDateTime;
            return true;
        }

        return false;
    }
}
