namespace Clv.Modeling.Evaluation;

/// <summary>One model's metrics on one set of test customers (see <see cref="ClvMetrics"/> for each definition).</summary>
/// <param name="Gini">Normalised Gini coefficient of the gain curve.</param>
/// <param name="Spearman">Spearman rank correlation of predicted and actual spend.</param>
/// <param name="DecileMape">Mean over prediction deciles of the relative error of mean spend.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="Bias">Total predicted / total actual - 1.</param>
/// <param name="TopDecileCapture">Share of actual value held by the top 10% of customers by prediction.</param>
/// <param name="Auc">AUC of the purchase probability against any spend; <see langword="null"/> for a model without one.</param>
public sealed record ModelMetrics(
    MetricValue Gini,
    MetricValue Spearman,
    MetricValue DecileMape,
    MetricValue Mae,
    MetricValue Rmse,
    MetricValue Bias,
    MetricValue TopDecileCapture,
    MetricValue? Auc = null);
