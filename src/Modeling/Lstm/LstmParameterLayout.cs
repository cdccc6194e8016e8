namespace Clv.Modeling.Lstm;

/// <summary>
/// Offsets of the named tensors inside one parameter (or gradient) buffer, in the order of
/// <see cref="LstmWeights.Buffer"/>: <c>W [4H, F]</c>, <c>R [4H, H]</c>, <c>B [4H]</c>, <c>HeadW [3, H]</c>, <c>HeadB [3]</c>.
/// </summary>
internal readonly record struct LstmParameterLayout(LstmShape Shape)
{
    /// <summary>Start of <c>W</c>.</summary>
    public int W => 0;

    /// <summary>Start of <c>R</c>.</summary>
    public int R => Shape.InputWeightCount;

    /// <summary>Start of <c>B</c>.</summary>
    public int B => R + Shape.RecurrentWeightCount;

    /// <summary>Start of <c>HeadW</c>.</summary>
    public int HeadW => B + Shape.GateBiasCount;

    /// <summary>Start of <c>HeadB</c>.</summary>
    public int HeadB => HeadW + Shape.HeadWeightCount;

    /// <summary>Names, starts and lengths of every tensor, in buffer order.</summary>
    public IReadOnlyList<(string Name, int Start, int Length)> Tensors =>
    [
        ("W", W, Shape.InputWeightCount),
        ("R", R, Shape.RecurrentWeightCount),
        ("B", B, Shape.GateBiasCount),
        ("HeadW", HeadW, Shape.HeadWeightCount),
        ("HeadB", HeadB, LstmShape.HeadOutputCount),
    ];
}
