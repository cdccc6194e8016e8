using Clv.Modeling.Evaluation;

namespace Clv.Modeling.Tests.Evaluation;

public class PromotionPolicyTests
{
    private static readonly string[] Customers = ["a", "b", "c", "d", "e"];
    private static readonly double[] Actual = [1, 2, 3, 4, 5];

    // Normalised Gini: Perfect (1) > Good (two lowest swapped) > Reversed.
    private static readonly ModelScores Perfect = Scores("perfect", [1, 2, 3, 4, 5]);
    private static readonly ModelScores Good = Scores("good", [2, 1, 3, 4, 5]);
    private static readonly ModelScores Reversed = Scores("reversed", [5, 4, 3, 2, 1]);

    private static readonly PromotionPolicy Policy = new();

    [Fact]
    public void Candidate_BeatingTheBaselineWithNoChampion_BecomesChampion()
    {
        var decision = Policy.Decide(candidate: Good, baseline: Reversed);

        Assert.True(decision.IsChampion);
        Assert.Equal("champion", decision.Status);
        Assert.Contains("no champion", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidate_NotBeatingTheBaselineWithNoChampion_StaysCandidate()
    {
        var decision = Policy.Decide(candidate: Good, baseline: Perfect);

        Assert.False(decision.IsChampion);
        Assert.Equal("candidate", decision.Status);
        Assert.Contains("does not beat the BG/NBD baseline", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidate_BeatingChampionAndBaseline_BecomesChampion()
    {
        var decision = Policy.Decide(candidate: Perfect, baseline: Reversed, champion: Good);

        Assert.True(decision.IsChampion);
        Assert.Contains("current champion", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidate_BeatingTheBaselineButNotTheChampion_StaysCandidateNamingTheChampion()
    {
        var decision = Policy.Decide(candidate: Good, baseline: Reversed, champion: Perfect);

        Assert.False(decision.IsChampion);
        Assert.Contains("does not beat the current champion", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("BG/NBD", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidate_BeatingTheChampionButNotTheBaseline_StaysCandidateNamingTheBaseline()
    {
        var decision = Policy.Decide(candidate: Good, baseline: Perfect, champion: Reversed);

        Assert.False(decision.IsChampion);
        Assert.Contains("does not beat the BG/NBD baseline", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("champion (", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidate_TyingTheBaseline_StaysCandidate()
    {
        var decision = Policy.Decide(candidate: Good, baseline: Scores("tie", [2, 1, 3, 4, 5]));

        Assert.False(decision.IsChampion);
    }

    [Fact]
    public void Candidate_BeatingByLessThanTheMargin_StaysCandidate()
    {
        var goodGini = ClvMetrics.NormalizedGini(Actual, Good.Predicted).Value!.Value;
        var perfectGini = 1.0;
        var policy = new PromotionPolicy(minimumGiniMargin: (perfectGini - goodGini) * 2);

        var decision = policy.Decide(candidate: Perfect, baseline: Good);

        Assert.False(decision.IsChampion);
        Assert.Contains("by more than", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Candidate_WithUndefinedGini_StaysCandidateWithTheReason()
    {
        double[] zeros = [0, 0, 0, 0, 0];
        var candidate = new ModelScores("lstm", Customers, zeros, [1, 2, 3, 4, 5]);
        var baseline = new ModelScores("bgnbd", Customers, zeros, [5, 4, 3, 2, 1]);

        var decision = Policy.Decide(candidate, baseline);

        Assert.False(decision.IsChampion);
        Assert.Contains("undefined", decision.Reason, StringComparison.Ordinal);
        Assert.Null(decision.CandidateGini.Value);
    }

    [Fact]
    public void Decide_OnDifferentCustomers_Throws()
    {
        var elsewhere = new ModelScores("bgnbd", ["a", "b", "c", "d", "z"], Actual, [1, 2, 3, 4, 5]);

        Assert.Throws<ArgumentException>(() => Policy.Decide(Good, elsewhere));
    }

    [Fact]
    public void Decide_FromAComparison_UsesTheBgNbdRowAsBaseline()
    {
        var comparison = ModelComparison.Evaluate(
        [
            Scores(ModelNames.Lstm, Good.Predicted),
            Scores(ModelNames.BgNbd, Perfect.Predicted),
            Scores(ModelNames.Naive, Reversed.Predicted),
        ]);

        var decision = Policy.Decide(comparison, ModelNames.Lstm);

        Assert.False(decision.IsChampion);
        Assert.Equal(1.0, decision.BaselineGini.Value!.Value, 1e-12);
    }

    private static ModelScores Scores(string name, double[] predicted) => new(name, Customers, Actual, predicted);
}
