using System.Numerics.Tensors;

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

    /// <summary>
    /// Normalised copy of every valid step of right-padded sequences; the padding of <paramref name="destination"/>
    /// is zero. Training and every prediction path normalise through here.
    /// </summary>
    /// <param name="features">Raw features <c>[N, steps, F]</c>, right-padded.</param>
    /// <param name="lengths">Valid steps per sequence <c>[N]</c>, each in <c>1..steps</c>.</param>
    /// <param name="steps">Steps per sequence, <c>T</c>.</param>
    /// <param name="destination">Normalised features <c>[N, steps, F]</c>.</param>
    /// <exception cref="ArgumentException">A size disagrees with <c>[N, steps, F]</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is outside <c>1..steps</c>.</exception>
    public void Apply(ReadOnlySpan<float> features, ReadOnlySpan<int> lengths, int steps, Span<float> destination)
    {
        var rowSize = (long)steps * FeatureCount;
        var expected = lengths.Length * rowSize;
        if (features.Length != expected || destination.Length != expected)
        {
            throw new ArgumentException(
                $"Features have {features.Length} values and the destination {destination.Length}; [N={lengths.Length}, T={steps}, F={FeatureCount}] needs {expected}.",
                nameof(features));
        }

        destination.Clear();
        for (var n = 0; n < lengths.Length; n++)
        {
            var length = lengths[n];
            if (length < 1 || length > steps)
            {
                throw new ArgumentOutOfRangeException(nameof(lengths), length, $"Sequence {n} has length {length}; lengths must be in 1..{steps}.");
            }

            var offset = (int)(n * rowSize);
            for (var t = 0; t < length; t++)
            {
                var start = offset + (t * FeatureCount);
                var step = destination.Slice(start, FeatureCount);
                TensorPrimitives.Subtract(features.Slice(start, FeatureCount), Mean, step);
                TensorPrimitives.Multiply(step, Scale, step);
            }
        }
    }
}
