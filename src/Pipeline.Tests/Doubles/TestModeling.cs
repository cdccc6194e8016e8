using System.Globalization;
using System.Text;
using Clv.Modeling.Evaluation;
using Clv.Modeling.Features;
using Clv.Modeling.Ingest;
using Clv.Modeling.Model;
using Clv.Pipeline.Featurize;
using Clv.Pipeline.Score;
using Clv.Pipeline.Train;

namespace Clv.Pipeline.Tests.Doubles;

/// <summary>
/// Deterministic stand-ins for the Modeling ports, so the storage behaviour is tested on its own. Export format:
/// header <c>customer_id,date,amount</c>; partial format: lines <c>customer,spend,orders,lastDate</c>.
/// </summary>
internal sealed class TestFeaturizer : IExportFeaturizer
{
    public async Task<FeaturizeCounts> FeaturizeAsync(Stream export, string exportName, Stream partial, Stream rejected, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(export, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var header = await reader.ReadLineAsync(cancellationToken);
        if (header is null || !header.Split(',').Contains("customer_id"))
        {
            throw new InvalidDataException($"no customer id column in the header '{Truncate(header)}'");
        }

        var totals = new SortedDictionary<string, (double Spend, int Orders, DateOnly Last)>(StringComparer.Ordinal);
        var rejectedWriter = new StreamWriter(rejected, Encoding.UTF8, leaveOpen: true);
        await using (rejectedWriter)
        {
            await rejectedWriter.WriteLineAsync("line,reason,raw");
            long rows = 0, bad = 0;
            var lineNumber = 1;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                lineNumber++;
                var parts = line.Split(',');
                if (parts.Length != 3
                    || !DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
                {
                    bad++;
                    await rejectedWriter.WriteLineAsync($"{lineNumber},unparsable row,\"{line.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
                    continue;
                }

                rows++;
                totals[parts[0]] = totals.TryGetValue(parts[0], out var t)
                    ? (t.Spend + amount, t.Orders + 1, date > t.Last ? date : t.Last)
                    : (amount, 1, date);
            }

            var partialWriter = new StreamWriter(partial, Encoding.UTF8, leaveOpen: true);
            await using (partialWriter)
            {
                foreach (var (customer, t) in totals)
                {
                    await partialWriter.WriteLineAsync(FormattableString.Invariant($"{customer},{t.Spend:R},{t.Orders},{t.Last:yyyy-MM-dd}"));
                }
            }

            return new FeaturizeCounts(rows, bad, totals.Count);
        }
    }

    private static string Truncate(string? text) => text is null ? string.Empty : text.Length <= 40 ? text : text[..40];
}

internal sealed class TestSequenceSource : ISequenceSource
{
    public static readonly IReadOnlyList<string> FeatureNames = ["spend", "orders"];

    public async Task<SequenceSet> FromPartialsAsync(IReadOnlyList<PartialSource> partials, Func<string, bool> includeCustomer, DateOnly asOf, ModelMetadata model, CancellationToken cancellationToken = default)
    {
        var totals = await MergeAsync(partials, cancellationToken);
        var kept = totals.Where(kv => includeCustomer(kv.Key)).ToList();
        return Build(kept.Select(kv => (kv.Key, kv.Value.Spend, kv.Value.Orders)).ToList());
    }

    public SequenceSet FromTransactions(string customerId, IReadOnlyList<Transaction> transactions, DateOnly asOf, ModelMetadata model) =>
        Build([(customerId, transactions.Sum(t => t.Amount), transactions.Count)]);

    /// <summary>The double's partials keep one total per customer and export: it counts where the export's last purchase of the customer falls.</summary>
    public async Task<IReadOnlyDictionary<string, double>> SpendAsync(IReadOnlyList<PartialSource> partials, Func<string, bool> includeCustomer, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken = default)
    {
        var spend = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var partial in partials)
        {
            var single = await MergeAsync([partial], cancellationToken);
            foreach (var (id, total) in single.Where(kv => kv.Value.Last >= firstDay && kv.Value.Last <= lastDay && includeCustomer(kv.Key)))
            {
                spend[id] = spend.GetValueOrDefault(id) + total.Spend;
            }
        }

        return spend;
    }

    public static async Task<SortedDictionary<string, (double Spend, int Orders, DateOnly Last)>> MergeAsync(IReadOnlyList<PartialSource> partials, CancellationToken cancellationToken)
    {
        var totals = new SortedDictionary<string, (double Spend, int Orders, DateOnly Last)>(StringComparer.Ordinal);
        foreach (var partial in partials)
        {
            await using var stream = await partial.Open(cancellationToken);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var parts = line.Split(',');
                var spend = double.Parse(parts[1], CultureInfo.InvariantCulture);
                var orders = int.Parse(parts[2], CultureInfo.InvariantCulture);
                var last = DateOnly.ParseExact(parts[3], "yyyy-MM-dd", CultureInfo.InvariantCulture);
                totals[parts[0]] = totals.TryGetValue(parts[0], out var t) ? (t.Spend + spend, t.Orders + orders, last > t.Last ? last : t.Last) : (spend, orders, last);
            }
        }

        return totals;
    }

    private static SequenceSet Build(List<(string Id, double Spend, int Orders)> customers)
    {
        var features = new float[customers.Count * 2];
        for (var i = 0; i < customers.Count; i++)
        {
            features[2 * i] = (float)customers[i].Spend;
            features[(2 * i) + 1] = customers[i].Orders;
        }

        return new SequenceSet(customers.Select(c => c.Id).ToList(), features, Enumerable.Repeat(1, customers.Count).ToArray(), 1, FeatureNames);
    }
}

/// <summary>Model file: UTF-8 <c>test-model|{version}|{asOf}</c>. Predicts clv = spend / 2, p = orders / (orders + 1), and the interval of <see cref="ExpectedInterval"/>.</summary>
internal sealed class TestScorerFactory : IBatchScorerFactory
{
    public int Loads;

    public static byte[] ModelFile(string version, DateOnly asOf) => Encoding.UTF8.GetBytes($"test-model|{version}|{asOf:yyyy-MM-dd}");

    public static ModelMetadata Metadata(string version, DateOnly asOf) => new(version, TestSequenceSource.FeatureNames, BucketSize.Week, 1, 26, asOf);

    public IBatchScorer Load(byte[] onnx)
    {
        Interlocked.Increment(ref Loads);
        var parts = Encoding.UTF8.GetString(onnx).Split('|');
        if (parts.Length != 3 || parts[0] != "test-model")
        {
            throw new InvalidDataException("not a test model");
        }

        return new Scorer(Metadata(parts[1], DateOnly.ParseExact(parts[2], "yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    public static float ExpectedClv(double spend) => (float)spend / 2;

    /// <summary>P10, P50 and P90 of the test model: 0, spend / 4 and spend.</summary>
    public static (float P10, float P50, float P90) ExpectedInterval(double spend) => (0f, (float)spend / 4, (float)spend);

    private sealed class Scorer(ModelMetadata metadata) : IBatchScorer
    {
        public ModelMetadata Metadata { get; } = metadata;

        public void Score(SequenceSet sequences, Span<float> clv, Span<float> pPurchase, Span<float> clvP10, Span<float> clvP50, Span<float> clvP90)
        {
            for (var i = 0; i < sequences.Count; i++)
            {
                var step = sequences.Customer(i);
                clv[i] = ExpectedClv(step[0]);
                pPurchase[i] = step[1] / (step[1] + 1);
                (clvP10[i], clvP50[i], clvP90[i]) = ExpectedInterval(step[0]);
            }
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>Trains nothing: a model whose as-of is the newest purchase in the partials; always promoted.</summary>
internal sealed class TestTrainer : IModelTrainer
{
    public async Task<TrainedModel> TrainAsync(IReadOnlyList<PartialSource> partials, TrainingRequest request, CancellationToken cancellationToken = default)
    {
        var totals = await TestSequenceSource.MergeAsync(partials, cancellationToken);
        var asOf = totals.Values.Max(t => t.Last);
        return new TrainedModel(
            TestScorerFactory.Metadata(request.Options.Version!, asOf),
            TestScorerFactory.ModelFile(request.Options.Version!, asOf),
            "{\"gini\":0.5}",
            [
                ReportFile.Text(EvaluationReport.MarkdownFileName, "text/markdown", "# Report\n"),
                ReportFile.Text(EvaluationReport.HtmlFileName, "text/html", "<!DOCTYPE html><title>Report</title>"),
                ReportFile.Text(EvaluationReport.MetricsFileName, "application/json", "{\"gini\":0.5}"),
            ],
            Promote: true,
            PromotionReason: "first model",
            Customers: totals.Count,
            Epochs: 1,
            FinalLoss: 1.0,
            Gini: 0.5);
    }
}
