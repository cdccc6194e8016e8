using System.Globalization;
using Clv.Modeling.Features;

namespace Clv.Modeling.Baselines;

/// <summary>
/// The supervised baseline a practitioner tries first: gradient-boosted regression trees (LightGBM, through its C API)
/// on RFM and recent-window features of each example, trained on the same examples and labels as the LSTM.
/// </summary>
/// <remarks>
/// The features are read from the LSTM's input sequences (<see cref="SequenceBuilder.FeatureNames"/>), so both models
/// see the same history: recency, tenure, frequency and monetary value to date, mean spend per order, and spend, orders and active buckets over the last 4, 13 and 26 buckets and the whole sequence.
/// The objective is squared error on spend, floored at zero when predicting. The settings are LightGBM's usual ones
/// for a first model (200 trees of at most 31 leaves, learning rate 0.05, a small L2 penalty), with at least one
/// example in 20 per leaf up to 50, and deterministic for a given seed and thread count.
/// </remarks>
public sealed class GbmBaseline : IDisposable
{
    /// <summary>Features per example.</summary>
    public const int FeatureCount = 5 + (3 * 4);

    private const int TreeCount = 200;

    private static readonly int[] Windows = [4, 13, 26, int.MaxValue];

    private readonly LightGbmBooster? _booster;
    private readonly double _constant;
    private readonly int _threadCount;

    private GbmBaseline(LightGbmBooster? booster, double constant, int threadCount)
    {
        _booster = booster;
        _constant = constant;
        _threadCount = threadCount;
    }

    /// <summary>Fits the trees on <paramref name="examples"/>.</summary>
    /// <param name="examples">The LSTM's training examples (inputs with <see cref="SequenceBuilder.FeatureNames"/>).</param>
    /// <param name="seed">Seed of the trainer.</param>
    /// <param name="threadCount">Threads LightGBM may use.</param>
    /// <exception cref="ArgumentException">There are fewer than 10 examples, or the inputs use other features.</exception>
    /// <exception cref="InvalidOperationException">LightGBM rejected the data.</exception>
    /// <exception cref="PlatformNotSupportedException">LightGBM's native library is not there for this platform (e.g. ARM64).</exception>
    public static GbmBaseline Train(TrainingExamples examples, int seed, int threadCount)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count < 10)
        {
            throw new ArgumentException($"The gbm baseline needs at least 10 examples; there are {examples.Count}.", nameof(examples));
        }

        threadCount = Math.Max(1, threadCount);
        var labels = examples.Labels;
        if (Array.TrueForAll(labels, l => l == labels[0]))
        {
            // Every label alike (e.g. nobody bought in any horizon): there is nothing to split on, the label is the prediction.
            return new GbmBaseline(null, labels[0], threadCount);
        }

        var minimumLeafExamples = Math.Clamp(examples.Count / 20, 2, 50);
        var parameters = string.Join(
            ' ',
            "objective=regression learning_rate=0.05 num_leaves=31 min_sum_hessian_in_leaf=0.1 lambda_l2=0.01 max_bin=255",
            "deterministic=true force_col_wise=true verbosity=-1",
            string.Create(CultureInfo.InvariantCulture, $"min_data_in_leaf={minimumLeafExamples} num_threads={threadCount} seed={seed}"));
        var booster = LightGbmBooster.Train(Matrix(examples.Inputs), FeatureCount, labels, parameters, TreeCount);
        return new GbmBaseline(booster, 0, threadCount);
    }

    /// <summary>Predicted spend over the horizon for every sequence of <paramref name="inputs"/>, never negative.</summary>
    /// <exception cref="ArgumentException">The inputs use other features.</exception>
    public double[] Predict(SequenceSet inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (_booster is null)
        {
            var constant = new double[inputs.Count];
            Array.Fill(constant, Math.Max(0, _constant));
            return constant;
        }

        var predicted = _booster.Predict(Matrix(inputs), FeatureCount, _threadCount);
        for (var i = 0; i < predicted.Length; i++)
        {
            predicted[i] = Math.Max(0, predicted[i]);
        }

        return predicted;
    }

    /// <inheritdoc />
    public void Dispose() => _booster?.Dispose();

    /// <summary>The features of one sequence, <c>[FeatureCount]</c>.</summary>
    internal static void Features(SequenceSet inputs, int index, Span<float> destination)
    {
        var names = inputs.FeatureNames;
        var spend = Index(names, "log1p_net_spend");
        var orders = Index(names, "orders");
        var active = Index(names, "has_purchase");
        var recency = Index(names, "steps_since_purchase");
        var tenure = Index(names, "log1p_tenure_steps");
        var spendRate = Index(names, "log1p_spend_rate");
        var orderRate = Index(names, "order_rate");
        var featureCount = inputs.FeatureCount;
        var length = inputs.Lengths[index];
        var sequence = inputs.Customer(index);
        var last = sequence.Slice((length - 1) * featureCount, featureCount);
        var tenureSteps = Math.Exp(last[tenure]);
        var totalSpend = Expm1Signed(last[spendRate]) * tenureSteps;
        var totalOrders = last[orderRate] * tenureSteps;
        destination[0] = last[recency];
        destination[1] = (float)tenureSteps;
        destination[2] = (float)(Math.Sign(totalSpend) * Math.Log(1 + Math.Abs(totalSpend)));
        destination[3] = (float)Math.Log(1 + totalOrders);
        destination[4] = (float)(totalOrders > 0 ? Math.Log(1 + Math.Max(totalSpend, 0) / totalOrders) : 0);
        for (var w = 0; w < Windows.Length; w++)
        {
            var first = Math.Max(0, length - Windows[w]);
            double windowSpend = 0, windowOrders = 0, windowActive = 0;
            for (var t = first; t < length; t++)
            {
                var step = sequence.Slice(t * featureCount, featureCount);
                windowSpend += Expm1Signed(step[spend]);
                windowOrders += step[orders];
                windowActive += step[active];
            }

            destination[5 + (3 * w)] = (float)(Math.Sign(windowSpend) * Math.Log(1 + Math.Abs(windowSpend)));
            destination[6 + (3 * w)] = (float)windowOrders;
            destination[7 + (3 * w)] = (float)windowActive;
        }
    }

    /// <summary>The features of every sequence, row-major <c>[inputs.Count, FeatureCount]</c>.</summary>
    private static float[] Matrix(SequenceSet inputs)
    {
        var matrix = new float[inputs.Count * FeatureCount];
        for (var i = 0; i < inputs.Count; i++)
        {
            Features(inputs, i, matrix.AsSpan(i * FeatureCount, FeatureCount));
        }

        return matrix;
    }

    private static int Index(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"The gbm baseline needs the sequence feature '{name}'; the inputs have {string.Join(", ", names)}.", nameof(names));
    }

    private static double Expm1Signed(float value) => Math.Sign(value) * (Math.Exp(Math.Abs(value)) - 1);
}
