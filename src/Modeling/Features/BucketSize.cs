namespace Clv.Modeling.Features;

/// <summary>The width of one time step of a customer's history.</summary>
public enum BucketSize
{
    /// <summary>One calendar day.</summary>
    Day,

    /// <summary>Seven days, weeks starting on Monday (ISO 8601). The default.</summary>
    Week,

    /// <summary>One calendar month.</summary>
    Month,
}
