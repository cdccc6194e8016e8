namespace Clv.Modeling.Loss;

/// <summary>The training objective applied to the three head logits.</summary>
public enum LossKind
{
    /// <summary>Zero-inflated lognormal negative log-likelihood (the default).</summary>
    Ziln,

    /// <summary>Squared error of the predicted expected spend <c>p * exp(mu + sigma^2 / 2)</c> against the label.</summary>
    Mse,
}
