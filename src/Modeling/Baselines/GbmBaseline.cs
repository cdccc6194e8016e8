using Clv.Modeling.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Clv.Modeling.Baselines;

/// <summary>
/// The supervised baseline a practitioner tries first: gradient-boosted regression trees (LightGBM through ML.NET)
/// on RFM and recent-window features of each example, trained on the same examples and labels as the LSTM.
/// </summary>
/// <remarks>
/// The features are read from the LSTM's input sequences (<see cref="SequenceBuilder.FeatureNames"/>), so both models
/// see the same history: recency, tenure, frequency and monetary value to date, mean spend per order, and spend, orders and active buckets over the last 4, 13 and 26 buckets and the whole sequence.
/// The objective is squared error on spend, floored at zero when predicting.
/// </remarks>
public sealed class GbmBaseline
{
    /// <summary>Features per example.</summary>
    public const int FeatureCount = 5 + (3 * 4);

    private static readonly int[] Windows = [4, 13, 26, int.MaxValue];

    private readonly MLContext _context;
    private readonly ITransformer? _model;
    private readonly double _constant;

    private GbmBaseline(MLContext context, ITransformer? model, double constant)
    {
        _context = context;
        _model = model;
        _constant = constant;
    }

    /// <summary>Fits the trees on <paramref name="examples"/>.</summary>
    /// <param name="examples">The LSTM's training examples (inputs with <see cref="SequenceBuilder.FeatureNames"/>).</param>
    /// <param name="seed">Seed of the trainer.</param>
    /// <param name="threadCount">Threads LightGBM may use.</param>
    /// <exception cref="ArgumentException">There are fewer than 10 examples, or the inputs use other features.</exception>
    public static GbmBaseline Train(TrainingExamples examples, int seed, int threadCount)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count < 10)
        {
            throw new ArgumentException($"The gbm baseline needs at least 10 examples; there are {examples.Count}.", nameof(examples));
        }

        var context = new MLContext(seed);
        var labels = examples.Labels;
        if (Array.TrueForAll(labels, l => l == labels[0]))
        {
            // Every label alike (e.g. nobody bought in any horizon): there is nothing to split on, the label is the prediction.
            return new GbmBaseline(context, null, labels[0]);
        }

        var rows = Rows(examples.Inputs, labels);
        var data = context.Data.LoadFromEnumerable(rows);
        var trainer = context.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = 200,
            LearningRate = 0.05,
            NumberOfLeaves = 31,
            MinimumExampleCountPerLeaf = Math.Clamp(examples.Count / 20, 2, 50),
            NumberOfThreads = Math.Max(1, threadCount),
            Seed = seed,
            Silent = true,
        });
        return new GbmBaseline(context, trainer.Fit(data), 0);
    }

    /// <summary>Predicted spend over the horizon for every sequence of <paramref name="inputs"/>, never negative.</summary>
    public double[] Predict(SequenceSet inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (_model is null)
        {
            var constant = new double[inputs.Count];
            Array.Fill(constant, Math.Max(0, _constant));
            return constant;
        }

        var data = _context.Data.LoadFromEnumerable(Rows(inputs, labels: null));
        var scores = _model.Transform(data).GetColumn<float>("Score").ToArray();
        return Array.ConvertAll(scores, s => Math.Max(0, (double)s));
    }

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

    private static List<GbmRow> Rows(SequenceSet inputs, float[]? labels)
    {
        var rows = new List<GbmRow>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var features = new float[FeatureCount];
            Features(inputs, i, features);
            rows.Add(new GbmRow { Features = features, Label = labels?[i] ?? 0 });
        }

        return rows;
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

    /// <summary>One example as ML.NET reads it.</summary>
    private sealed class GbmRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
