using System.Globalization;
using Clv.Modeling.Baselines;

namespace Clv.Modeling.Evaluation;

/// <summary>
/// One model's predictions for a set of test customers, next to what those customers actually spent.
/// Every array has one value per customer, in the order of <see cref="CustomerIds"/>: shape <c>[customerCount]</c>.
/// </summary>
public sealed class ModelScores
{
    /// <summary>Checks that every array has one value per customer.</summary>
    /// <param name="modelName">The model's key (see <see cref="ModelNames"/>).</param>
    /// <param name="customerIds">The test customers.</param>
    /// <param name="actual">Actual spend over the horizon, <c>[customerCount]</c>, non-negative.</param>
    /// <param name="predicted">Predicted spend over the horizon, <c>[customerCount]</c>.</param>
    /// <param name="purchaseProbability">Predicted probability of any spend, <c>[customerCount]</c>; <see langword="null"/> for a model without one.</param>
    /// <exception cref="ArgumentException">An array's length differs from the number of customers.</exception>
    public ModelScores(string modelName, IReadOnlyList<string> customerIds, double[] actual, double[] predicted, double[]? purchaseProbability = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        ArgumentNullException.ThrowIfNull(customerIds);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        CheckLength(modelName, nameof(actual), actual.Length, customerIds.Count);
        CheckLength(modelName, nameof(predicted), predicted.Length, customerIds.Count);
        if (purchaseProbability is not null)
        {
            CheckLength(modelName, nameof(purchaseProbability), purchaseProbability.Length, customerIds.Count);
        }

        ModelName = modelName;
        CustomerIds = customerIds;
        Actual = actual;
        Predicted = predicted;
        PurchaseProbability = purchaseProbability;
    }

    /// <summary>The model's key.</summary>
    public string ModelName { get; }

    /// <summary>The test customers, <c>[customerCount]</c>.</summary>
    public IReadOnlyList<string> CustomerIds { get; }

    /// <summary>Actual spend, <c>[customerCount]</c>.</summary>
    public double[] Actual { get; }

    /// <summary>Predicted spend, <c>[customerCount]</c>.</summary>
    public double[] Predicted { get; }

    /// <summary>Predicted probability of any spend, <c>[customerCount]</c>, or <see langword="null"/>.</summary>
    public double[]? PurchaseProbability { get; }

    /// <summary>
    /// Scores for <paramref name="customerIds"/> taken from a model's predictions by customer id; a test
    /// customer the model has no prediction for (for example one without a calibration purchase, which
    /// the baselines leave out) is predicted <paramref name="missingPrediction"/>.
    /// </summary>
    public static ModelScores FromLookup(
        string modelName,
        IReadOnlyList<string> customerIds,
        double[] actual,
        IReadOnlyDictionary<string, double> predictions,
        double missingPrediction = 0)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        ArgumentNullException.ThrowIfNull(predictions);
        var predicted = new double[customerIds.Count];
        for (var i = 0; i < predicted.Length; i++)
        {
            predicted[i] = predictions.TryGetValue(customerIds[i], out var value) ? value : missingPrediction;
        }

        return new ModelScores(modelName, customerIds, actual, predicted);
    }

    /// <summary>
    /// Scores for <paramref name="customerIds"/> from a baseline's predictions. A test customer the baseline
    /// left out (no purchase in the calibration period) is predicted to spend 0 with probability 0. The purchase
    /// probability is kept when every prediction has one.
    /// </summary>
    public static ModelScores FromBaseline(string modelName, IReadOnlyList<string> customerIds, double[] actual, IEnumerable<BaselinePrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        ArgumentNullException.ThrowIfNull(predictions);
        var byCustomer = new Dictionary<string, BaselinePrediction>(StringComparer.Ordinal);
        foreach (var prediction in predictions)
        {
            byCustomer[prediction.CustomerId] = prediction;
        }

        var predicted = new double[customerIds.Count];
        var probability = byCustomer.Count > 0 && byCustomer.Values.All(p => p.PurchaseProbability.HasValue) ? new double[customerIds.Count] : null;
        for (var i = 0; i < predicted.Length; i++)
        {
            if (byCustomer.TryGetValue(customerIds[i], out var prediction))
            {
                predicted[i] = prediction.PredictedSpend;
                if (probability is not null)
                {
                    probability[i] = prediction.PurchaseProbability!.Value;
                }
            }
        }

        return new ModelScores(modelName, customerIds, actual, predicted, probability);
    }

    /// <summary>This model's metrics on its test customers.</summary>
    public ModelMetrics ComputeMetrics() => PurchaseProbability is null
        ? ClvMetrics.Compute(Actual, Predicted)
        : ClvMetrics.Compute(Actual, Predicted, PurchaseProbability);

    /// <summary>Whether <paramref name="other"/> scores the same customers, in the same order, with the same actual spend.</summary>
    /// <param name="other">Scores of another model.</param>
    /// <param name="difference">When they differ, what differs first.</param>
    public bool HasSameCustomersAs(ModelScores other, out string? difference)
    {
        ArgumentNullException.ThrowIfNull(other);
        difference = null;
        if (other.CustomerIds.Count != CustomerIds.Count)
        {
            difference = string.Create(CultureInfo.InvariantCulture, $"'{ModelName}' scores {CustomerIds.Count} customers, '{other.ModelName}' {other.CustomerIds.Count}");
            return false;
        }

        for (var i = 0; i < CustomerIds.Count; i++)
        {
            if (!string.Equals(CustomerIds[i], other.CustomerIds[i], StringComparison.Ordinal))
            {
                difference = string.Create(CultureInfo.InvariantCulture, $"customer {i} is '{CustomerIds[i]}' for '{ModelName}' but '{other.CustomerIds[i]}' for '{other.ModelName}'");
                return false;
            }

            if (Actual[i] != other.Actual[i])
            {
                difference = string.Create(CultureInfo.InvariantCulture, $"customer '{CustomerIds[i]}' actually spent {Actual[i]} for '{ModelName}' but {other.Actual[i]} for '{other.ModelName}'");
                return false;
            }
        }

        return true;
    }

    private static void CheckLength(string modelName, string name, int length, int customerCount)
    {
        if (length != customerCount)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Scores of '{modelName}': '{name}' has {length} values for {customerCount} customers."),
                name);
        }
    }
}
