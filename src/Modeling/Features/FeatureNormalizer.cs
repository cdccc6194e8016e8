namespace Clv.Modeling.Features;

/// <summary>
/// Per-feature affine normalisation applied to raw features before the LSTM: <c>x' = (x - Mean) * Scale</c>.
/// </summary>
/// <remarks>Fitted on training sequences; stored in the model file so raw features go in at scoring time.</remarks>
public sealed record FeatureNormalizer
{
    /// <summary>Creates a normaliser from per-feature means and scales.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length or a value is not finite.</exception>
    public FeatureNormalizer(float[] mean, float[] scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Length != scale.Length)
        {
            throw new ArgumentException($"Normaliser has {mean.Length} means but {scale.Length} scales.", nameof(scale));
        }

        for (var i = 0; i < mean.Length; i++)
        {
            if (!float.IsFinite(mean[i]) || !float.IsFinite(scale[i]))
            {
                throw new ArgumentException($"Normaliser feature {i} is not finite (mean {mean[i]}, scale {scale[i]}).", nameof(mean));
            }
        }

        Mean = mean;
        Scale = scale;
    }

    /// <summary>Per-feature mean, <c>[F]</c>.</summary>
    public float[] Mean { get; }

    /// <summary>Per-feature multiplier (1 / standard deviation), <c>[F]</c>.</summary>
    public float[] Scale { get; }

    /// <summary>Number of features.</summary>
    public int FeatureCount => Mean.Length;

    /// <summary>The identity normaliser for <paramref name="featureCount"/> features.</summary>
    public static FeatureNormalizer Identity(int featureCount)
    {
        var scale = new float[featureCount];
        Array.Fill(scale, 1f);
        return new FeatureNormalizer(new float[featureCount], scale);
    }

    /// <summary>Normalises one step of features in place.</summary>
    public void Apply(Span<float> step)
    {
        if (step.Length != FeatureCount)
        {
            throw new ArgumentException($"Step has {step.Length} features; the normaliser expects {FeatureCount}.", nameof(step));
        }

        for (var f = 0; f < step.Length; f++)
        {
            step[f] = (step[f] - Mean[f]) * Scale[f];
        }
    }
}
