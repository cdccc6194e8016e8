namespace Clv.Modeling.Evaluation;

/// <summary>The keys under which models appear in comparison tables, JSON and reports.</summary>
public static class ModelNames
{
    /// <summary>The LSTM with a zero-inflated lognormal head.</summary>
    public const string Lstm = "lstm";

    /// <summary>BG/NBD expected transactions times Gamma-Gamma expected spend.</summary>
    public const string BgNbd = "bgnbd";

    /// <summary>Gradient-boosted trees (LightGBM) on RFM and recent-window features, trained on the LSTM's examples.</summary>
    public const string Gbm = "gbm";

    /// <summary>Calibration spend rate times the horizon.</summary>
    public const string Naive = "naive";
}
