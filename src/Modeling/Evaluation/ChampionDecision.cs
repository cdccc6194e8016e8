namespace Clv.Modeling.Evaluation;

/// <summary>Whether a newly trained model becomes the champion, and why.</summary>
/// <param name="IsChampion">Whether the candidate becomes the champion; otherwise it stays a candidate.</param>
/// <param name="Reason">The reason, naming the Gini values compared.</param>
/// <param name="CandidateGini">The candidate's normalised Gini on the test customers.</param>
/// <param name="BaselineGini">The BG/NBD baseline's normalised Gini on the same customers.</param>
/// <param name="ChampionGini">The current champion's normalised Gini on the same customers; <see langword="null"/> when there is none.</param>
public sealed record ChampionDecision(
    bool IsChampion,
    string Reason,
    MetricValue CandidateGini,
    MetricValue BaselineGini,
    MetricValue? ChampionGini)
{
    /// <summary><c>champion</c> or <c>candidate</c>, as recorded with the model.</summary>
    public string Status => IsChampion ? "champion" : "candidate";
}
