using Clv.Modeling.Features;
using Clv.Modeling.Loss;
using Clv.Modeling.Lstm;
using Clv.Modeling.Scoring;

namespace Clv.Modeling.Model;

/// <summary>
/// A trained CLV model: feature normalisation, a single-layer LSTM and the ZILN head, with its metadata.
/// </summary>
public sealed class ClvModel
{
    private const int PredictBlockRows = 4096;

    /// <summary>Creates a model, checking that its parts agree on the feature count.</summary>
    /// <exception cref="ArgumentException">The parts disagree on <c>F</c>.</exception>
    public ClvModel(ModelMetadata metadata, FeatureNormalizer normalizer, LstmWeights weights)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(normalizer);
        ArgumentNullException.ThrowIfNull(weights);
        if (metadata.FeatureCount != weights.Shape.FeatureCount || normalizer.FeatureCount != weights.Shape.FeatureCount)
        {
            throw new ArgumentException(
                $"Feature counts disagree: metadata {metadata.FeatureCount}, normaliser {normalizer.FeatureCount}, LSTM {weights.Shape.FeatureCount}.",
                nameof(weights));
        }

        if (metadata.SequenceLength <= 0)
        {
            throw new ArgumentException($"Sequence length must be positive, was {metadata.SequenceLength}.", nameof(metadata));
        }

        Metadata = metadata;
        Normalizer = normalizer;
        Weights = weights;
    }

    /// <summary>What the model was built from.</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Feature normalisation applied before the LSTM.</summary>
    public FeatureNormalizer Normalizer { get; }

    /// <summary>LSTM and head parameters.</summary>
    public LstmWeights Weights { get; }

    /// <summary>
    /// Batched forward pass: normalisation (<see cref="FeatureNormalizer"/>), the fast LSTM kernel, the ZILN head.
    /// </summary>
    /// <param name="features">Raw features <c>[N, T, F]</c>, right-padded.</param>
    /// <param name="lengths">Valid steps per sequence <c>[N]</c>, each in <c>1..T</c>.</param>
    /// <param name="clv">Destination expected spend <c>[N]</c>.</param>
    /// <param name="pPurchase">Destination probability of any spend <c>[N]</c>.</param>
    /// <param name="threadCount">Threads per block of sequences.</param>
    /// <exception cref="ArgumentException">A size disagrees with the model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is outside <c>1..T</c>.</exception>
    public void Predict(ReadOnlySpan<float> features, ReadOnlySpan<int> lengths, Span<float> clv, Span<float> pPurchase, int threadCount = 1) =>
        Predict(features, lengths, clv, pPurchase, default, default, default, threadCount);

    /// <summary>
    /// <see cref="Predict(ReadOnlySpan{float}, ReadOnlySpan{int}, Span{float}, Span{float}, int)"/> with the spend
    /// interval: P10, P50 and P90 of spend over the horizon. Empty quantile destinations are skipped.
    /// </summary>
    /// <param name="features">Raw features <c>[N, T, F]</c>, right-padded.</param>
    /// <param name="lengths">Valid steps per sequence <c>[N]</c>, each in <c>1..T</c>.</param>
    /// <param name="clv">Destination expected spend <c>[N]</c>.</param>
    /// <param name="pPurchase">Destination probability of any spend <c>[N]</c>.</param>
    /// <param name="clvP10">Destination 10th percentile of spend <c>[N]</c>, or empty.</param>
    /// <param name="clvP50">Destination median spend <c>[N]</c>, or empty.</param>
    /// <param name="clvP90">Destination 90th percentile of spend <c>[N]</c>, or empty.</param>
    /// <param name="threadCount">Threads per block of sequences.</param>
    /// <exception cref="ArgumentException">A size disagrees with the model.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is outside <c>1..T</c>.</exception>
    public void Predict(
        ReadOnlySpan<float> features,
        ReadOnlySpan<int> lengths,
        Span<float> clv,
        Span<float> pPurchase,
        Span<float> clvP10,
        Span<float> clvP50,
        Span<float> clvP90,
        int threadCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        Predict(features, lengths, clv, pPurchase, clvP10, clvP50, clvP90, new FastLstm(Weights.Shape, Metadata.SequenceLength, threadCount));
    }

    /// <summary>
    /// The forward pass with a given LSTM kernel: tests run the reference kernel (<see cref="LstmKernels.Reference"/>)
    /// through the same normalisation and head to check the fast one and the ONNX export against it.
    /// </summary>
    /// <exception cref="ArgumentException">A size disagrees with the model, or the kernel has another shape or <c>T</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is outside <c>1..T</c>.</exception>
    internal void Predict(
        ReadOnlySpan<float> features,
        ReadOnlySpan<int> lengths,
        Span<float> clv,
        Span<float> pPurchase,
        Span<float> clvP10,
        Span<float> clvP50,
        Span<float> clvP90,
        ILstmKernel kernel)
    {
        CheckDestinations(lengths.Length, clv, pPurchase, clvP10, clvP50, clvP90);
        var logits = new float[lengths.Length * LstmShape.HeadOutputCount];
        Logits(features, lengths, logits, kernel);
        for (var n = 0; n < lengths.Length; n++)
        {
            WriteOutputs(n, logits[3 * n], logits[(3 * n) + 1], logits[(3 * n) + 2], clv, pPurchase, clvP10, clvP50, clvP90);
        }
    }

    /// <summary>
    /// The ZILN distribution of each customer's spend over the horizon: probability <c>p</c> of any spend and the
    /// lognormal <c>mu</c> and <c>sigma</c> of spend when there is some (quantiles from <see cref="Ziln.Quantile"/>).
    /// </summary>
    /// <param name="sequences">Raw feature sequences with the model's <c>T</c> and feature names.</param>
    /// <param name="threadCount">Threads per block of sequences.</param>
    /// <returns><c>p</c>, <c>mu</c> and <c>sigma</c>, each <c>[N]</c>.</returns>
    public (double[] P, double[] Mu, double[] Sigma) PredictDistribution(SequenceSet sequences, int threadCount = 1)
    {
        RequireFit(sequences);
        var count = sequences.Count;
        var logits = new float[count * LstmShape.HeadOutputCount];
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        Logits(sequences.Features, sequences.Lengths, logits, new FastLstm(Weights.Shape, Metadata.SequenceLength, threadCount));
        var p = new double[count];
        var mu = new double[count];
        var sigma = new double[count];
        for (var n = 0; n < count; n++)
        {
            p[n] = Ziln.Probability(logits[3 * n]);
            mu[n] = logits[(3 * n) + 1];
            sigma[n] = Ziln.Sigma(logits[(3 * n) + 2]);
        }

        return (p, mu, sigma);
    }

    /// <summary>The head's three logits per sequence, <c>[N, 3]</c>, normalised in blocks of at most <see cref="PredictBlockRows"/> sequences.</summary>
    private void Logits(ReadOnlySpan<float> features, ReadOnlySpan<int> lengths, Span<float> logits, ILstmKernel kernel)
    {
        var count = lengths.Length;
        var steps = Metadata.SequenceLength;
        var featureCount = Weights.Shape.FeatureCount;
        var rowSize = steps * featureCount;
        if (kernel.Shape != Weights.Shape || kernel.Steps != steps)
        {
            throw new ArgumentException($"The kernel runs {kernel.Shape} over T={kernel.Steps}; the model is {Weights.Shape} over T={steps}.", nameof(kernel));
        }

        if (features.Length != (long)count * rowSize)
        {
            throw new ArgumentException($"Features have {features.Length} values; [N={count}, T={steps}, F={featureCount}] needs {(long)count * rowSize}.", nameof(features));
        }

        for (var n = 0; n < count; n++)
        {
            if (lengths[n] < 1 || lengths[n] > steps)
            {
                LstmThrow.LengthOutOfRange(n, lengths[n], steps);
            }
        }

        var block = Math.Min(Math.Max(count, 1), PredictBlockRows);
        var normalized = new float[block * rowSize];
        for (var start = 0; start < count; start += block)
        {
            var rows = Math.Min(block, count - start);
            var blockLengths = lengths.Slice(start, rows);
            var x = normalized.AsSpan(0, rows * rowSize);
            Normalizer.Apply(features.Slice(start * rowSize, rows * rowSize), blockLengths, steps, x);
            kernel.Forward(x, blockLengths, Weights, logits.Slice(start * LstmShape.HeadOutputCount, rows * LstmShape.HeadOutputCount));
        }
    }

    /// <summary>Fast batched predictions for every sequence of <paramref name="sequences"/>.</summary>
    /// <param name="sequences">Raw feature sequences with the model's <c>T</c> and feature names.</param>
    /// <param name="threadCount">Threads per block of sequences.</param>
    /// <exception cref="ArgumentException">The sequences' <c>T</c> or feature names differ from the model's.</exception>
    public ClvPredictionBatch Predict(SequenceSet sequences, int threadCount = 1)
    {
        RequireFit(sequences);
        var predictions = ClvPredictionBatch.Allocate(sequences.CustomerIds);
        Predict(sequences.Features, sequences.Lengths, predictions.Clv, predictions.PPurchase, predictions.ClvP10, predictions.ClvP50, predictions.ClvP90, threadCount);
        return predictions;
    }

    private void RequireFit(SequenceSet sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.SequenceLength != Metadata.SequenceLength || !sequences.FeatureNames.SequenceEqual(Metadata.FeatureNames, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Sequences (T={sequences.SequenceLength}, features {string.Join(",", sequences.FeatureNames)}) do not fit the model (T={Metadata.SequenceLength}, features {string.Join(",", Metadata.FeatureNames)}).",
                nameof(sequences));
        }
    }

    private static void CheckDestinations(int count, Span<float> clv, Span<float> pPurchase, Span<float> clvP10, Span<float> clvP50, Span<float> clvP90)
    {
        if (clv.Length < count || pPurchase.Length < count)
        {
            throw new ArgumentException($"Destinations must hold {count} values.", nameof(clv));
        }

        if ((!clvP10.IsEmpty && clvP10.Length < count) || (!clvP50.IsEmpty && clvP50.Length < count) || (!clvP90.IsEmpty && clvP90.Length < count))
        {
            throw new ArgumentException($"Quantile destinations must be empty or hold {count} values; they hold {clvP10.Length}, {clvP50.Length} and {clvP90.Length}.", nameof(clvP10));
        }
    }

    /// <summary>The ZILN outputs of one customer's logits, computed in double and stored as float.</summary>
    private static void WriteOutputs(int index, double l0, double l1, double l2, Span<float> clv, Span<float> pPurchase, Span<float> clvP10, Span<float> clvP50, Span<float> clvP90)
    {
        var probability = Ziln.Probability(l0);
        pPurchase[index] = (float)probability;
        clv[index] = (float)Ziln.ExpectedValue(l0, l1, l2);
        var sigma = Ziln.Sigma(l2);
        if (!clvP10.IsEmpty)
        {
            clvP10[index] = (float)Ziln.Quantile(probability, l1, sigma, SpendInterval.LowLevel);
        }

        if (!clvP50.IsEmpty)
        {
            clvP50[index] = (float)Ziln.Quantile(probability, l1, sigma, SpendInterval.MedianLevel);
        }

        if (!clvP90.IsEmpty)
        {
            clvP90[index] = (float)Ziln.Quantile(probability, l1, sigma, SpendInterval.HighLevel);
        }
    }
}
