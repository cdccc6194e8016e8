using System.Globalization;

namespace Clv.Modeling.Evaluation;

/// <summary>
/// Decides promotion: a candidate becomes the champion only if its normalised Gini beats both the current
/// champion's (when there is one) and the BG/NBD baseline's on the same test customers, by more than
/// <paramref name="minimumGiniMargin"/>; otherwise it stays a candidate and the decision says why.
/// </summary>
/// <param name="minimumGiniMargin">How much higher the candidate's Gini must be; 0 means strictly higher.</param>
public sealed class PromotionPolicy(double minimumGiniMargin = 0)
{
    private readonly double _minimumGiniMargin = minimumGiniMargin >= 0 && double.IsFinite(minimumGiniMargin)
        ? minimumGiniMargin
        : throw new ArgumentOutOfRangeException(nameof(minimumGiniMargin), minimumGiniMargin, "The margin must be a finite, non-negative Gini difference.");

    /// <summary>Decides from the three models' scores.</summary>
    /// <param name="candidate">The newly trained model's scores.</param>
    /// <param name="baseline">The BG/NBD baseline's scores.</param>
    /// <param name="champion">The current champion's scores; <see langword="null"/> when there is no champion yet.</param>
    /// <exception cref="ArgumentException">The models were not scored on the same customers with the same actual spend.</exception>
    public ChampionDecision Decide(ModelScores candidate, ModelScores baseline, ModelScores? champion = null)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        RequireSameCustomers(candidate, baseline);
        if (champion is not null)
        {
            RequireSameCustomers(candidate, champion);
        }

        return Decide(
            ClvMetrics.NormalizedGini(candidate.Actual, candidate.Predicted),
            ClvMetrics.NormalizedGini(baseline.Actual, baseline.Predicted),
            champion is null ? null : ClvMetrics.NormalizedGini(champion.Actual, champion.Predicted));
    }

    /// <summary>
    /// Decides from a comparison, whose models were all scored on the same customers; the baseline is
    /// <see cref="ModelNames.BgNbd"/>.
    /// </summary>
    /// <remarks>A comparison without the baseline (it could not be fitted) keeps the candidate a candidate.</remarks>
    /// <exception cref="KeyNotFoundException">The comparison lacks the candidate or the champion.</exception>
    public ChampionDecision Decide(ModelComparison comparison, string candidateName, string? championName = null)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return Decide(
            comparison[candidateName].Gini,
            comparison.Names.Contains(ModelNames.BgNbd) ? comparison[ModelNames.BgNbd].Gini : MetricValue.Undefined("the baseline is missing from the comparison"),
            championName is null ? null : comparison[championName].Gini);
    }

    /// <summary>
    /// Decides from a rolling-origin backtest: the candidate is promoted only when the lower end of the 95% interval of
    /// its pooled Gini difference against BG/NBD, and against the champion when there is one, is above the margin.
    /// </summary>
    /// <param name="backtest">The backtest, with the candidate, BG/NBD and (when named) the champion in every fold.</param>
    /// <param name="candidateName">The candidate's model name.</param>
    /// <param name="championName">The champion's model name, or <see langword="null"/> when there is none.</param>
    public ChampionDecision Decide(BacktestResult backtest, string candidateName, string? championName = null)
    {
        ArgumentNullException.ThrowIfNull(backtest);
        var pooled = backtest.Pooled;
        var candidate = pooled[candidateName].Gini;
        var hasBaseline = pooled.Names.Contains(ModelNames.BgNbd);
        var baseline = hasBaseline ? pooled[ModelNames.BgNbd].Gini : MetricValue.Undefined("the baseline is missing from the backtest");
        MetricValue? champion = championName is null ? null
            : pooled.Names.Contains(championName) ? pooled[championName].Gini : MetricValue.Undefined("the champion is missing from the backtest");
        var shortfalls = new List<string>();
        var passed = new List<string>();
        foreach (var (who, name) in new[] { ("BG/NBD", hasBaseline ? ModelNames.BgNbd : null), ("the current champion", championName) })
        {
            if (who != "BG/NBD" && championName is null)
            {
                continue;
            }

            if (name is null || !pooled.Names.Contains(name))
            {
                shortfalls.Add($"{who} is missing from the backtest, so the candidate cannot be shown to beat it");
                continue;
            }

            var d = backtest.Difference("gini", candidateName, name);
            var text = Invariant($"Gini difference against {who} {d.Mean:+0.0000;-0.0000}, 95% interval [{d.Low:F4}, {d.High:F4}]");
            if (d.Low > _minimumGiniMargin)
            {
                passed.Add(text);
            }
            else
            {
                shortfalls.Add(Invariant($"{text}: its lower end is not above {_minimumGiniMargin:F4}"));
            }
        }

        if (championName is null)
        {
            passed.Add("there was no champion");
        }

        return shortfalls.Count > 0
            ? new ChampionDecision(false, $"Stays a candidate in the backtest: {string.Join("; ", shortfalls)}.", candidate, baseline, champion)
            : new ChampionDecision(true, $"Promoted by the backtest: {string.Join("; ", passed)}.", candidate, baseline, champion);
    }

    private ChampionDecision Decide(MetricValue candidate, MetricValue baseline, MetricValue? champion)
    {
        if (candidate.Value is not { } candidateGini)
        {
            return new ChampionDecision(false, $"The candidate's normalized Gini is undefined ({candidate.Note}), so it cannot be shown to be better.", candidate, baseline, champion);
        }

        var shortfalls = new List<string>();
        CheckBeats("the BG/NBD baseline", baseline, candidateGini, shortfalls);
        if (champion is { } championGini)
        {
            CheckBeats("the current champion", championGini, candidateGini, shortfalls);
        }

        if (shortfalls.Count > 0)
        {
            return new ChampionDecision(false, $"Stays a candidate: {string.Join("; ", shortfalls)}.", candidate, baseline, champion);
        }

        var beaten = champion is { } c
            ? Invariant($"the current champion ({Format(c)}) and the BG/NBD baseline ({Format(baseline)})")
            : Invariant($"the BG/NBD baseline ({Format(baseline)}); there was no champion");
        return new ChampionDecision(true, Invariant($"Promoted: normalized Gini {candidateGini:F4} beats {beaten}."), candidate, baseline, champion);
    }

    private void CheckBeats(string who, MetricValue other, double candidateGini, List<string> shortfalls)
    {
        if (other.Value is not { } otherGini)
        {
            shortfalls.Add($"the normalized Gini of {who} is undefined ({other.Note})");
        }
        else if (!(candidateGini > otherGini + _minimumGiniMargin))
        {
            var margin = _minimumGiniMargin > 0 ? Invariant($" by more than {_minimumGiniMargin:F4}") : string.Empty;
            shortfalls.Add(Invariant($"normalized Gini {candidateGini:F4} does not beat {who} ({otherGini:F4}){margin}"));
        }
    }

    private static void RequireSameCustomers(ModelScores candidate, ModelScores other)
    {
        if (!candidate.HasSameCustomersAs(other, out var difference))
        {
            throw new ArgumentException($"Promotion compares models on the same test customers: {difference}.", nameof(other));
        }
    }

    private static string Format(MetricValue value) => value.Value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "undefined";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
