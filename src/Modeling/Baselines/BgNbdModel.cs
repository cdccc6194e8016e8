using System.Globalization;
using MathNet.Numerics;

namespace Clv.Modeling.Baselines;

/// <summary>
/// The beta-geometric/negative-binomial (BG/NBD) model of repeat purchasing (Fader, Hardie and Lee 2005,
/// "Counting Your Customers the Easy Way"): while alive a customer buys at a Poisson rate
/// <c>lambda ~ Gamma(r, alpha)</c> and after each purchase drops out with probability <c>p ~ Beta(a, b)</c>.
/// </summary>
/// <param name="R">Shape of the purchase-rate distribution.</param>
/// <param name="Alpha">Scale of the purchase-rate distribution, in time units.</param>
/// <param name="A">First shape of the dropout-probability distribution.</param>
/// <param name="B">Second shape of the dropout-probability distribution.</param>
/// <param name="LogLikelihood">Log-likelihood of the data the model was fitted on (0 when built from given parameters).</param>
public sealed record BgNbdModel(double R, double Alpha, double A, double B, double LogLikelihood = 0)
{
    private static readonly double[] InitialParameters = [1, 1, 1, 1];

    /// <summary>Fits the four parameters by maximum likelihood.</summary>
    /// <param name="customers">Calibration summaries; at least one.</param>
    /// <exception cref="ArgumentException">No customers, or a summary with negative or inconsistent values.</exception>
    public static BgNbdModel Fit(IEnumerable<RfmSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);

        // Customers with equal (x, t_x, T) share one likelihood term, and the log-gamma terms depend on x
        // alone, so one evaluation costs a few log-gammas per distinct x and a few logs per distinct (x, t_x, T).
        var groups = customers
            .Select(Validated)
            .GroupBy(c => (c.Frequency, c.Recency, c.Age))
            .Select(g => (g.Key.Frequency, g.Key.Recency, g.Key.Age, Count: (double)g.Count()))
            .ToArray();
        if (groups.Length == 0)
        {
            throw new ArgumentException("BG/NBD needs at least one customer.", nameof(customers));
        }

        var frequencies = groups.Select(g => g.Frequency).Distinct().Order().ToArray();
        var frequencyIndex = groups.Select(g => Array.BinarySearch(frequencies, g.Frequency)).ToArray();
        var frequencyTerms = new double[frequencies.Length];
        var (parameters, negativeLogLikelihood) = LogParameterFit.Minimize(
            "BG/NBD",
            p =>
            {
                var (r, alpha, a, b) = (p[0], p[1], p[2], p[3]);
                var shared = (r * Math.Log(alpha)) - SpecialFunctions.GammaLn(r)
                    + SpecialFunctions.GammaLn(a + b) - SpecialFunctions.GammaLn(b);
                for (var i = 0; i < frequencies.Length; i++)
                {
                    double x = frequencies[i];
                    frequencyTerms[i] = shared + SpecialFunctions.GammaLn(r + x) + SpecialFunctions.GammaLn(b + x) - SpecialFunctions.GammaLn(a + b + x);
                }

                double sum = 0;
                for (var i = 0; i < groups.Length; i++)
                {
                    var (x, tx, age, count) = groups[i];
                    sum += count * (frequencyTerms[frequencyIndex[i]] + SurvivalLogTerm(r, alpha, a, b, x, tx, age));
                }

                return -sum;
            },
            InitialParameters);

        return new BgNbdModel(parameters[0], parameters[1], parameters[2], parameters[3], -negativeLogLikelihood);
    }

    /// <summary>Total log-likelihood of these parameters on <paramref name="customers"/>.</summary>
    public double LogLikelihoodOf(IEnumerable<RfmSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return customers.Select(Validated).Sum(c => CustomerLogLikelihood(R, Alpha, A, B, c.Frequency, c.Recency, c.Age));
    }

    /// <summary>
    /// Expected number of transactions in the next <paramref name="horizon"/> time units of a customer with
    /// <paramref name="frequency"/> repeat transactions, the last at <paramref name="recency"/>, observed for
    /// <paramref name="age"/> time units (equation 10 of Fader, Hardie and Lee 2005).
    /// </summary>
    /// <remarks>
    /// The hypergeometric factor is evaluated after Euler's transformation,
    /// <c>((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)</c>
    /// with <c>z = t/(alpha+T+t)</c>, whose parameters do not grow with <c>x</c>, so heavy buyers neither
    /// overflow nor slow the series. Undefined at exactly <c>a = 1</c>.
    /// </remarks>
    public double ExpectedTransactions(int frequency, double recency, double age, double horizon)
    {
        if (horizon <= 0)
        {
            return 0;
        }

        double x = frequency;
        var z = horizon / (Alpha + age + horizon);
        // (1-z)^(a-1) 2F1(...) in log space when the series parameters are positive (a > 1 and a + b > 1 + r): a fit
        // with a and b in the thousands makes the power underflow and the series overflow.
        var product = A > 1 && A + B - 1 - R > 0
            ? Math.Exp(((A - 1) * Math.Log(1 - z)) + Hypergeometric.LogGauss2F1(A + B - 1 - R, A - 1, A + B + x - 1, z))
            : Math.Pow(1 - z, A - 1) * Hypergeometric.Gauss2F1(A + B - 1 - R, A - 1, A + B + x - 1, z);
        var numerator = (A + B + x - 1) / (A - 1) * (1 - product);
        var denominator = 1.0;
        if (frequency > 0)
        {
            denominator += Math.Exp(Math.Log(A / (B + x - 1)) + ((R + x) * Math.Log((Alpha + age) / (Alpha + recency))));
        }

        return numerator / denominator;
    }

    /// <summary>
    /// Probability that a customer with this history is still alive at the end of the calibration period:
    /// <c>1 / (1 + [x &gt; 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))</c>; 1 without repeats.
    /// </summary>
    public double ProbabilityAlive(int frequency, double recency, double age)
    {
        if (frequency == 0)
        {
            return 1;
        }

        double x = frequency;
        var logOdds = Math.Log(A / (B + x - 1)) + ((R + x) * Math.Log((Alpha + age) / (Alpha + recency)));
        return 1 / (1 + Math.Exp(logOdds));
    }

    /// <summary>
    /// Probability of at least one transaction in the next <paramref name="horizon"/> time units:
    /// a customer buys only while alive, and given alive the purchase rate is <c>Gamma(r + x, alpha + T)</c>, so
    /// <c>P(alive) (1 - ((alpha + T) / (alpha + T + t))^(r + x))</c>.
    /// </summary>
    public double ProbabilityOfPurchase(int frequency, double recency, double age, double horizon)
    {
        if (horizon <= 0)
        {
            return 0;
        }

        var noPurchaseWhileAlive = Math.Exp((R + frequency) * Math.Log((Alpha + age) / (Alpha + age + horizon)));
        return ProbabilityAlive(frequency, recency, age) * (1 - noPurchaseWhileAlive);
    }

    /// <summary>One customer's log-likelihood, equation 6 of Fader, Hardie and Lee (2005), in log space.</summary>
    internal static double CustomerLogLikelihood(double r, double alpha, double a, double b, int frequency, double recency, double age)
    {
        double x = frequency;
        var a1 = SpecialFunctions.GammaLn(r + x) - SpecialFunctions.GammaLn(r) + (r * Math.Log(alpha));
        var a2 = SpecialFunctions.GammaLn(a + b) + SpecialFunctions.GammaLn(b + x)
            - SpecialFunctions.GammaLn(b) - SpecialFunctions.GammaLn(a + b + x);
        return a1 + a2 + SurvivalLogTerm(r, alpha, a, b, frequency, recency, age);
    }

    // log( (alpha+T)^-(r+x) + [x > 0] a/(b+x-1) (alpha+t_x)^-(r+x) ), the part of equation 6 that depends on t_x and T.
    private static double SurvivalLogTerm(double r, double alpha, double a, double b, int frequency, double recency, double age)
    {
        double x = frequency;
        var a3 = -(r + x) * Math.Log(alpha + age);
        if (frequency == 0)
        {
            return a3;
        }

        var a4 = Math.Log(a) - Math.Log(b + x - 1) - ((r + x) * Math.Log(alpha + recency));
        var max = Math.Max(a3, a4);
        return max + Math.Log(Math.Exp(a3 - max) + Math.Exp(a4 - max));
    }

    private static RfmSummary Validated(RfmSummary customer)
    {
        if (customer.Frequency < 0 || !(customer.Recency >= 0) || !(customer.Age >= customer.Recency) || !double.IsFinite(customer.Age))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Customer '{customer.CustomerId}' has x={customer.Frequency}, t_x={customer.Recency}, T={customer.Age}; BG/NBD needs x >= 0 and 0 <= t_x <= T."),
                nameof(customer));
        }

        return customer;
    }
}
