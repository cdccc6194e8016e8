namespace Clv.Modeling.Features;

/// <summary>
/// Inputs (history up to the cutoff) and labels (net spend in the horizon after it, floored at 0)
/// for training and evaluation.
/// </summary>
/// <param name="Inputs">Sequences ending at the cutoff bucket.</param>
/// <param name="Labels">Spend in <c>(cutoff, cutoff + horizon]</c>, <c>[N]</c>, never negative.</param>
public sealed record TrainingExamples(SequenceSet Inputs, float[] Labels)
{
    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;
}
