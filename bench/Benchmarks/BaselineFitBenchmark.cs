using System.Diagnostics;
using System.Globalization;
using Clv.Modeling.Baselines;
using Clv.Modeling.Evaluation;
using Clv.Modeling.Ingest;

namespace Clv.Benchmarks;

/// <summary>
/// Times the BG/NBD and Gamma-Gamma maximum-likelihood fits on the CDNOW master calibration period
/// (to 1997-09-30, weeks). Usage: <c>baselines MASTER_FILE SUMMARY_CSV_OUT [REPEATS]</c>. Writes the
/// summaries it fitted on to SUMMARY_CSV_OUT (<c>x,t_x,T,m</c>) so the peer fits the same data, and prints
/// one line of JSON: median fit seconds and the fitted parameters. Also writes the baselines' metrics on
/// the holdout period (to 1998-06-30, 39 weeks, every customer) as a comparison JSON to HOLDOUT_JSON_OUT.
/// </summary>
internal static class BaselineFitBenchmark
{
    private static readonly DateTime CalibrationEnd = new(1997, 9, 30);
    private static readonly DateTime HoldoutEnd = new(1998, 6, 30);

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: baselines MASTER_FILE SUMMARY_CSV_OUT HOLDOUT_JSON_OUT [REPEATS]");
            return 2;
        }

        var repeats = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        var transactions = ReadMaster(args[0]).ToArray();
        var customers = RfmSummary.Build(transactions, CalibrationEnd);
        File.WriteAllLines(args[1], customers.Select(c => string.Create(
            CultureInfo.InvariantCulture, $"{c.Frequency},{c.Recency:R},{c.Age:R},{c.MeanRepeatSpend:R}")).Prepend("x,t_x,T,m"));

        var bgNbdSeconds = new List<double>();
        var gammaGammaSeconds = new List<double>();
        BgNbdModel? bgNbd = null;
        GammaGammaModel? gammaGamma = null;
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            bgNbd = BgNbdModel.Fit(customers);
            bgNbdSeconds.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
            gammaGamma = GammaGammaModel.Fit(customers);
            gammaGammaSeconds.Add(watch.Elapsed.TotalSeconds);
        }

        File.WriteAllText(args[2], HoldoutComparison(transactions, customers, bgNbd!, gammaGamma!).ToJson());
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"customers\":{customers.Count},\"bgnbdSeconds\":{Median(bgNbdSeconds):F4},\"gammaGammaSeconds\":{Median(gammaGammaSeconds):F4},"
            + $"\"r\":{bgNbd!.R:F6},\"alpha\":{bgNbd.Alpha:F6},\"a\":{bgNbd.A:F6},\"b\":{bgNbd.B:F6},\"bgnbdLogLikelihood\":{bgNbd.LogLikelihood:F4},"
            + $"\"p\":{gammaGamma!.P:F6},\"q\":{gammaGamma.Q:F6},\"gamma\":{gammaGamma.Gamma:F6},\"gammaGammaLogLikelihood\":{gammaGamma.LogLikelihood:F4}}}"));
        return 0;
    }

    private static ModelComparison HoldoutComparison(Transaction[] transactions, IReadOnlyList<RfmSummary> customers, BgNbdModel bgNbd, GammaGammaModel gammaGamma)
    {
        var holdout = transactions
            .Where(t => t.Timestamp > CalibrationEnd && t.Timestamp <= HoldoutEnd)
            .GroupBy(t => t.CustomerId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Math.Max(0, g.Sum(t => t.Amount)), StringComparer.Ordinal);
        var ids = customers.Select(c => c.CustomerId).ToArray();
        var actual = ids.Select(id => holdout.GetValueOrDefault(id)).ToArray();
        var horizon = HoldoutEnd - CalibrationEnd;
        var bgNbdPredictions = BgNbdGammaGammaPredictor.Predict(bgNbd, gammaGamma, customers, horizon.TotalDays / 7);
        var naivePredictions = new NaivePredictor().Predict(transactions, CalibrationEnd, horizon);
        return ModelComparison.Evaluate(
        [
            ModelScores.FromBaseline(ModelNames.BgNbd, ids, actual, bgNbdPredictions),
            ModelScores.FromBaseline(ModelNames.Naive, ids, actual, naivePredictions),
        ]);
    }

    // CDNOW_master.txt: a header line, then whitespace-separated customer_id date(YYYYMMDD) number_of_cds dollar_value.
    private static IEnumerable<Transaction> ReadMaster(string path) =>
        File.ReadLines(path)
            .Skip(1)
            .Select(line => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 4)
            .Select(fields => new Transaction(
                fields[0],
                DateTime.ParseExact(fields[1], "yyyyMMdd", CultureInfo.InvariantCulture),
                double.Parse(fields[3], CultureInfo.InvariantCulture)));

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
