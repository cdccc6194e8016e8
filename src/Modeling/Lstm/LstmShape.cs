namespace Clv.Modeling.Lstm;

/// <summary>Sizes of the single-layer LSTM with its three-output ZILN head.</summary>
/// <param name="FeatureCount">Features per time step, <c>F</c>.</param>
/// <param name="HiddenSize">Hidden units, <c>H</c>.</param>
public readonly record struct LstmShape(int FeatureCount, int HiddenSize)
{
    /// <summary>Gates per hidden unit (input, output, forget, cell).</summary>
    public const int GateCount = 4;

    /// <summary>Outputs of the dense head: logit of purchase, lognormal mu, pre-softplus sigma.</summary>
    public const int HeadOutputCount = 3;

    /// <summary>Index of the lognormal location <c>mu</c> among the head's outputs (after the purchase logit, before the scale logit).</summary>
    public const int MuLogit = 1;

    /// <summary>Rows of the gate matrices, <c>4H</c>.</summary>
    public int GateRows => GateCount * HiddenSize;

    /// <summary>Length of <c>W</c>, <c>[4H, F]</c>.</summary>
    public int InputWeightCount => GateRows * FeatureCount;

    /// <summary>Length of <c>R</c>, <c>[4H, H]</c>.</summary>
    public int RecurrentWeightCount => GateRows * HiddenSize;

    /// <summary>Length of the gate bias, <c>[4H]</c>.</summary>
    public int GateBiasCount => GateRows;

    /// <summary>Length of the head weights, <c>[3, H]</c>.</summary>
    public int HeadWeightCount => HeadOutputCount * HiddenSize;

    /// <summary>Total number of trainable parameters.</summary>
    public int ParameterCount => InputWeightCount + RecurrentWeightCount + GateBiasCount + HeadWeightCount + HeadOutputCount;

    /// <summary>Throws when a size is not positive.</summary>
    public void Validate()
    {
        if (FeatureCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FeatureCount), FeatureCount, "The LSTM needs at least one feature per step.");
        }

        if (HiddenSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, "The LSTM needs at least one hidden unit.");
        }
    }
}
