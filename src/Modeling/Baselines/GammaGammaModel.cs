using System.Globalization;
using MathNet.Numerics;

namespace Clv.Modeling.Baselines;

/// <summary>
/// The Gamma-Gamma model of spend per transaction (Fader and Hardie 2013, "The Gamma-Gamma Model of
/// Monetary Value"): a customer's transaction values are <c>Gamma(p, nu)</c> with <c>nu ~ Gamma(q, gamma)</c>
/// across customers. Fitted on customers with at least one repeat transaction, by their mean repeat spend.
/// </summary>
/// <param name="P">Shape of a transaction's value.</param>
/// <param name="Q">Shape of the customers' rate distribution.</param>
/// <param name="Gamma">Scale of the customers' rate distribution.</param>
/// <param name="LogLikelihood">Log-likelihood of the data the model was fitted on (0 when built from given parameters).</param>
public sealed record GammaGammaModel(double P, double Q, double Gamma, double LogLikelihood = 0)
{
    private static readonly double[] InitialParameters = [1, 1, 1];

    /// <summary>
    /// Fits the three parameters by maximum likelihood on the customers with a repeat transaction and a
    /// positive mean repeat spend; the others carry no spend information and are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">No customer has a repeat transaction with positive spend.</exception>
    public static GammaGammaModel Fit(IEnumerable<RfmSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var repeatCustomers = customers
            .Where(c => c.Frequency > 0 && c.MeanRepeatSpend > 0 && double.IsFinite(c.MeanRepeatSpend))
            .Select(c => (c.Frequency, c.MeanRepeatSpend))
            .ToArray();
        if (repeatCustomers.Length == 0)
        {
            throw new ArgumentException("Gamma-Gamma needs at least one customer with a repeat transaction of positive value.", nameof(customers));
        }

        // Per evaluation: log-gammas once per distinct x, one logarithm per customer (log m and log x are fixed).
        var frequencies = repeatCustomers.Select(c => c.Frequency).Distinct().Order().ToArray();
        var frequencyIndex = repeatCustomers.Select(c => Array.BinarySearch(frequencies, c.Frequency)).ToArray();
        var logSpend = repeatCustomers.Select(c => Math.Log(c.MeanRepeatSpend)).ToArray();
        var logFrequency = repeatCustomers.Select(c => Math.Log(c.Frequency)).ToArray();
        var frequencyTerms = new double[frequencies.Length];
        var (parameters, negativeLogLikelihood) = LogParameterFit.Minimize(
            "Gamma-Gamma",
            p =>
            {
                var (shape, q, gamma) = (p[0], p[1], p[2]);
                var shared = (q * Math.Log(gamma)) - SpecialFunctions.GammaLn(q);
                for (var i = 0; i < frequencies.Length; i++)
                {
                    var px = shape * frequencies[i];
                    frequencyTerms[i] = shared + SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px);
                }

                double sum = 0;
                for (var i = 0; i < repeatCustomers.Length; i++)
                {
                    var (x, m) = repeatCustomers[i];
                    var px = shape * x;
                    sum += frequencyTerms[frequencyIndex[i]] + ((px - 1) * logSpend[i]) + (px * logFrequency[i]) - ((px + q) * Math.Log(gamma + (x * m)));
                }

                return -sum;
            },
            InitialParameters);

        return new GammaGammaModel(parameters[0], parameters[1], parameters[2], -negativeLogLikelihood);
    }

    /// <summary>Total log-likelihood of these parameters on the repeat customers (positive mean repeat spend) among <paramref name="customers"/>.</summary>
    public double LogLikelihoodOf(IEnumerable<RfmSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return customers
            .Where(c => c.Frequency > 0 && c.MeanRepeatSpend > 0)
            .Sum(c => CustomerLogLikelihood(P, Q, Gamma, c.Frequency, c.MeanRepeatSpend));
    }

    /// <summary>
    /// Expected value of one future transaction of a customer with <paramref name="frequency"/> repeat
    /// transactions averaging <paramref name="meanRepeatSpend"/>:
    /// <c>p (gamma + x m) / (p x + q - 1)</c>; for <c>x = 0</c> the population mean <c>p gamma / (q - 1)</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The expectation is infinite (<c>p x + q &lt;= 1</c>).</exception>
    public double ExpectedSpend(int frequency, double meanRepeatSpend)
    {
        double x = frequency;
        var m = frequency > 0 ? meanRepeatSpend : 0;
        var denominator = (P * x) + Q - 1;
        if (denominator <= 0)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Gamma-Gamma with p={P}, q={Q} has an infinite expected spend for a customer with {frequency} repeat transactions (needs p*x + q > 1)."));
        }

        return P * (Gamma + (x * m)) / denominator;
    }

    /// <summary>
    /// One customer's log-likelihood of mean spend <c>m</c> over <c>x</c> transactions
    /// (Fader and Hardie 2013, equation 3, with the density of the mean rather than of the total).
    /// </summary>
    internal static double CustomerLogLikelihood(double p, double q, double gamma, int frequency, double meanSpend)
    {
        double x = frequency;
        var px = p * x;
        return SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px) - SpecialFunctions.GammaLn(q)
            + (q * Math.Log(gamma)) + ((px - 1) * Math.Log(meanSpend)) + (px * Math.Log(x))
            - ((px + q) * Math.Log(gamma + (x * meanSpend)));
    }
}
