using System.Diagnostics;
using System.Numerics.Tensors;
using Clv.Modeling.Features;
using Clv.Modeling.Loss;
using Clv.Modeling.Model;

namespace Clv.Modeling.Lstm;

/// <summary>
/// Trains the LSTM with its ZILN head on <see cref="TrainingExamples"/>: fits the feature normaliser,
/// runs seeded minibatch Adam with a validation split and early stopping, and returns a <see cref="ClvModel"/>.
/// </summary>
/// <remarks>
/// Deterministic: the same examples, options (seed and thread count included) give bit-identical weights.
/// </remarks>
public sealed class LstmTrainer
{
    /// <summary>Creates a trainer with <paramref name="options"/>, or the defaults.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public LstmTrainer(TrainerOptions? options = null)
    {
        Options = options ?? new TrainerOptions();
        Options.Validate();
    }

    /// <summary>The settings in use.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The environment variable that forces the kernel's vector width: <c>avx512</c>, <c>avx2</c>, <c>sse</c>, <c>neon</c> or <c>scalar</c>.</summary>
    public const string VectorWidthVariable = LstmKernels.WidthVariable;

    /// <summary>The vector width a <see cref="VectorWidthVariable"/> value selects on this machine; the widest accelerated one when it is empty.</summary>
    /// <param name="value">The variable's value, or <see langword="null"/>.</param>
    /// <exception cref="InvalidOperationException">The value names no width, or one this machine does not accelerate.</exception>
    public static VectorWidth SelectVectorWidth(string? value) => LstmKernels.Select(value);

    /// <summary>Trains a model.</summary>
    /// <param name="examples">Inputs <c>[N, T, F]</c> (raw features) and labels <c>[N]</c>.</param>
    /// <param name="metadata">Metadata stored with the model; its feature names and <c>T</c> must match the examples.</param>
    /// <param name="progress">Told after every epoch.</param>
    /// <param name="cancellationToken">Checked between minibatches.</param>
    /// <returns>The model with the best weights and the per-epoch history.</returns>
    /// <exception cref="ArgumentException">The examples disagree with the metadata, are too few, or a label is negative or not finite.</exception>
    /// <exception cref="InvalidOperationException">The loss became non-finite (lower the learning rate).</exception>
    public TrainingResult Train(TrainingExamples examples, ModelMetadata metadata, IProgress<TrainingEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(metadata);
        var inputs = examples.Inputs;
        CheckExamples(examples, metadata);

        var options = Options;
        var steps = inputs.SequenceLength;
        var featureCount = inputs.FeatureCount;
        var shape = new LstmShape(featureCount, options.HiddenSize);
        var random = new Random(options.Seed);

        var (trainRows, validationRows) = Split(examples.Count, options.ValidationFraction, random);
        // Minibatches are normalised as they are filled: a normalised copy of the whole set doubled training's memory.
        var normalizer = FitNormalizer(inputs, trainRows);

        var weights = InitialWeights(shape, examples.Labels, trainRows, options.Loss, random);
        var gradients = new LstmWeights(shape);
        var optimizer = new AdamOptimizer(shape.ParameterCount, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay, DecayMask(shape));
        var batchSize = Math.Min(options.BatchSize, trainRows.Length);
        var kernel = new FastLstm(shape, steps, options.ThreadCount);
        var batch = new Batch(batchSize, steps * featureCount);

        var history = new List<TrainingEpoch>();
        var best = weights.Clone();
        var bestLoss = double.PositiveInfinity;
        var bestEpoch = 0;
        var stale = 0;
        var stoppedEarly = false;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var learningRate = LearningRateAt(epoch);
            Shuffle(trainRows, random);
            var clock = Stopwatch.StartNew();
            var lossSum = 0.0;
            for (var start = 0; start < trainRows.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(batchSize, trainRows.Length - start);
                batch.Fill(inputs, normalizer, examples.Labels, trainRows.AsSpan(start, count));
                Array.Clear(gradients.Buffer);
                lossSum += kernel.ForwardBackward(batch.Inputs(count), batch.Lengths(count), batch.Labels(count), options.Loss, 1f / count, weights, gradients);
                ClipGradients(gradients.Buffer, options.GradientClipNorm);
                optimizer.Step(weights.Buffer, gradients.Buffer, learningRate);
            }

            var samplesPerSecond = trainRows.Length / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            var trainingLoss = lossSum / trainRows.Length;
            var validationLoss = validationRows.Length > 0 ? MeanLoss(kernel, options.Loss, weights, inputs, normalizer, examples.Labels, validationRows, batch) : double.NaN;
            var monitored = validationRows.Length > 0 ? validationLoss : trainingLoss;
            if (!double.IsFinite(trainingLoss) || !double.IsFinite(monitored))
            {
                throw new InvalidOperationException(
                    $"Training loss became non-finite at epoch {epoch} (training {trainingLoss}, validation {validationLoss}); lower the learning rate (now {options.LearningRate}).");
            }

            var isBest = monitored < bestLoss;
            if (isBest)
            {
                bestLoss = monitored;
                bestEpoch = epoch;
                weights.Buffer.CopyTo(best.Buffer, 0);
                stale = 0;
            }
            else
            {
                stale++;
            }

            var entry = new TrainingEpoch(epoch, trainingLoss, validationLoss, learningRate, samplesPerSecond, isBest);
            history.Add(entry);
            progress?.Report(entry);
            if (stale >= options.Patience && epoch < options.Epochs)
            {
                stoppedEarly = true;
                break;
            }
        }

        return new TrainingResult(new ClvModel(metadata, normalizer, best), history, bestEpoch, stoppedEarly, kernel.VectorWidth);
    }

    /// <summary>Learning rate of 1-based <paramref name="epoch"/> under the configured schedule.</summary>
    internal double LearningRateAt(int epoch)
    {
        var options = Options;
        return options.LearningRateSchedule switch
        {
            LearningRateSchedule.Cosine when options.Epochs > 1 => options.LearningRate * (options.MinLearningRateFraction
                + ((1 - options.MinLearningRateFraction) * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / (options.Epochs - 1))))),
            LearningRateSchedule.StepDecay => options.LearningRate * Math.Pow(options.StepDecayFactor, (epoch - 1) / options.StepDecayEpochs),
            _ => options.LearningRate,
        };
    }

    /// <summary>Mean and 1/std per feature over the valid steps of <paramref name="rows"/>; a constant feature gets scale 1.</summary>
    internal static FeatureNormalizer FitNormalizer(SequenceSet inputs, ReadOnlySpan<int> rows)
    {
        var featureCount = inputs.FeatureCount;
        var sum = new double[featureCount];
        var sumSquares = new double[featureCount];
        long count = 0;
        foreach (var row in rows)
        {
            var sequence = inputs.Customer(row);
            for (var t = 0; t < inputs.Lengths[row]; t++)
            {
                for (var f = 0; f < featureCount; f++)
                {
                    double value = sequence[(t * featureCount) + f];
                    sum[f] += value;
                    sumSquares[f] += value * value;
                }
            }

            count += inputs.Lengths[row];
        }

        var mean = new float[featureCount];
        var scale = new float[featureCount];
        for (var f = 0; f < featureCount; f++)
        {
            var m = sum[f] / count;
            var variance = Math.Max((sumSquares[f] / count) - (m * m), 0);
            var std = Math.Sqrt(variance);
            mean[f] = (float)m;
            scale[f] = std > 1e-6 * Math.Max(1, Math.Abs(m)) ? (float)(1 / std) : 1f;
        }

        return new FeatureNormalizer(mean, scale);
    }

    private static void CheckExamples(TrainingExamples examples, ModelMetadata metadata)
    {
        var inputs = examples.Inputs;
        if (examples.Labels.Length != inputs.Count)
        {
            throw new ArgumentException($"{examples.Labels.Length} labels for {inputs.Count} sequences.", nameof(examples));
        }

        if (inputs.Count < 2)
        {
            throw new ArgumentException($"Training needs at least 2 examples; got {inputs.Count}.", nameof(examples));
        }

        if (metadata.SequenceLength != inputs.SequenceLength || !metadata.FeatureNames.SequenceEqual(inputs.FeatureNames, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Metadata (T={metadata.SequenceLength}, features {string.Join(",", metadata.FeatureNames)}) disagrees with the examples (T={inputs.SequenceLength}, features {string.Join(",", inputs.FeatureNames)}).",
                nameof(metadata));
        }

        for (var n = 0; n < examples.Labels.Length; n++)
        {
            var label = examples.Labels[n];
            if (!float.IsFinite(label) || label < 0)
            {
                throw new ArgumentException($"Label of customer '{inputs.CustomerIds[n]}' is {label}; labels must be finite and not negative.", nameof(examples));
            }
        }

        foreach (var value in inputs.Features)
        {
            if (!float.IsFinite(value))
            {
                throw new ArgumentException("Features contain a non-finite value.", nameof(examples));
            }
        }
    }

    private static (int[] Train, int[] Validation) Split(int count, double fraction, Random random)
    {
        var order = Enumerable.Range(0, count).ToArray();
        Shuffle(order, random);
        var validation = (int)Math.Floor(count * fraction);
        if (count - validation < 1)
        {
            validation = count - 1;
        }

        var validationRows = order[..validation];
        var trainRows = order[validation..];
        Array.Sort(validationRows);
        Array.Sort(trainRows);
        return (trainRows, validationRows);
    }

    private static void Shuffle(int[] rows, Random random)
    {
        for (var i = rows.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (rows[i], rows[j]) = (rows[j], rows[i]);
        }
    }

    // PyTorch's LSTM initialisation, U(-1/sqrt(H), 1/sqrt(H)), forget-gate bias 1, and head biases at
    // the best constant fit of the training labels so the first epochs learn structure, not the scale.
    private static LstmWeights InitialWeights(LstmShape shape, float[] labels, int[] trainRows, LossKind loss, Random random)
    {
        var weights = new LstmWeights(shape);
        var bound = 1 / Math.Sqrt(shape.HiddenSize);
        var buffer = weights.Buffer;
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (float)(((random.NextDouble() * 2) - 1) * bound);
        }

        weights.B.Clear();
        weights.B.Slice(2 * shape.HiddenSize, shape.HiddenSize).Fill(1f);
        weights.HeadB.Clear();

        var positives = 0;
        var logSum = 0.0;
        var logSquares = 0.0;
        var sum = 0.0;
        foreach (var row in trainRows)
        {
            var y = labels[row];
            sum += y;
            if (y > 0)
            {
                positives++;
                var log = Math.Log(y);
                logSum += log;
                logSquares += log * log;
            }
        }

        var p = Math.Clamp((double)positives / trainRows.Length, 1e-3, 1 - 1e-3);
        var mu = positives > 0 ? logSum / positives : 0;
        var sigma = positives > 1 ? Math.Sqrt(Math.Max((logSquares / positives) - (mu * mu), 0)) : 1;
        sigma = Math.Clamp(sigma, 0.1, 5);
        if (loss == LossKind.Mse)
        {
            var mean = Math.Max(sum / trainRows.Length, 1e-6);
            mu = Math.Log(mean / p) - (sigma * sigma / 2);
        }

        weights.HeadB[0] = (float)Math.Log(p / (1 - p));
        weights.HeadB[1] = (float)mu;
        weights.HeadB[2] = (float)(sigma + Math.Log(1 - Math.Exp(-sigma)));
        return weights;
    }

    private static bool[] DecayMask(LstmShape shape)
    {
        var layout = new LstmParameterLayout(shape);
        var mask = new bool[shape.ParameterCount];
        mask.AsSpan(layout.W, shape.InputWeightCount + shape.RecurrentWeightCount).Fill(true);
        mask.AsSpan(layout.HeadW, shape.HeadWeightCount).Fill(true);
        return mask;
    }

    private static void ClipGradients(float[] gradients, double maxNorm)
    {
        if (maxNorm <= 0)
        {
            return;
        }

        var norm = TensorPrimitives.Norm(gradients);
        if (norm > maxNorm)
        {
            TensorPrimitives.Multiply(gradients, (float)(maxNorm / norm), gradients);
        }
    }

    private static double MeanLoss(ILstmKernel kernel, LossKind lossKind, LstmWeights weights, SequenceSet inputs, FeatureNormalizer normalizer, float[] labels, int[] rows, Batch batch)
    {
        var total = 0.0;
        for (var start = 0; start < rows.Length; start += batch.Capacity)
        {
            var count = Math.Min(batch.Capacity, rows.Length - start);
            batch.Fill(inputs, normalizer, labels, rows.AsSpan(start, count));
            var logits = batch.Logits(count);
            kernel.Forward(batch.Inputs(count), batch.Lengths(count), weights, logits);
            for (var i = 0; i < count; i++)
            {
                total += ZilnLoss.Evaluate(lossKind, logits[3 * i], logits[(3 * i) + 1], logits[(3 * i) + 2], batch.Labels(count)[i], out _, out _, out _);
            }
        }

        return total / rows.Length;
    }

    // Minibatch buffers, allocated once.
    private sealed class Batch(int capacity, int rowSize)
    {
        private readonly float[] inputs = new float[capacity * rowSize];
        private readonly int[] lengths = new int[capacity];
        private readonly float[] labels = new float[capacity];
        private readonly float[] logits = new float[capacity * LstmShape.HeadOutputCount];

        public int Capacity => capacity;

        public ReadOnlySpan<float> Inputs(int count) => inputs.AsSpan(0, count * rowSize);

        public ReadOnlySpan<int> Lengths(int count) => lengths.AsSpan(0, count);

        public ReadOnlySpan<float> Labels(int count) => labels.AsSpan(0, count);

        public Span<float> Logits(int count) => logits.AsSpan(0, count * LstmShape.HeadOutputCount);

        /// <summary>Copies <paramref name="rows"/> in, each normalised over its valid steps (padding zero), with their lengths and labels.</summary>
        public void Fill(SequenceSet source, FeatureNormalizer normalizer, float[] sourceLabels, ReadOnlySpan<int> rows)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                var row = rows[i];
                lengths[i] = source.Lengths[row];
                normalizer.Apply(source.Customer(row), lengths.AsSpan(i, 1), source.SequenceLength, inputs.AsSpan(i * rowSize, rowSize));
                labels[i] = sourceLabels[row];
            }
        }
    }
}
