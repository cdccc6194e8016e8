using System.Globalization;

namespace Clv.Modeling.Baselines;

/// <summary>
/// The Gauss hypergeometric function <c>2F1(a, b; c; z)</c> for <c>0 &lt;= z &lt; 1</c> by its power series.
/// Hand-written because MathNet.Numerics has no hypergeometric function; the callers arrange their
/// arguments so the series terms shrink from the start (see <see cref="BgNbdModel.ExpectedTransactions"/>).
/// </summary>
internal static class Hypergeometric
{
    private const double RelativeTolerance = 1e-15;
    private const int MaximumTerms = 1_000_000;

    public static double Gauss2F1(double a, double b, double c, double z)
    {
        if (!(z >= 0 && z < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "The series needs 0 <= z < 1.");
        }

        double term = 1, sum = 1;
        var smallTerms = 0;
        for (var k = 0; k < MaximumTerms; k++)
        {
            var denominator = (c + k) * (k + 1);
            if (denominator == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(c), c, "2F1 is undefined for c a non-positive integer.");
            }

            term *= (a + k) * (b + k) / denominator * z;
            sum += term;
            // Two negligible terms in a row: one alone can be a transient dip before the terms settle into decay.
            smallTerms = Math.Abs(term) <= RelativeTolerance * Math.Abs(sum) ? smallTerms + 1 : 0;
            if (smallTerms == 2)
            {
                return sum;
            }
        }

        throw new ArithmeticException(string.Create(
            CultureInfo.InvariantCulture,
            $"2F1({a}, {b}; {c}; {z}) did not converge in {MaximumTerms} terms."));
    }

    /// <summary>
    /// <c>log 2F1(a, b; c; z)</c> for <c>a, b, c &gt; 0</c> and <c>0 &lt;= z &lt; 1</c>, every series term summed in log
    /// space: large parameters (a BG/NBD fit of frequent buyers, where <c>a</c> and <c>b</c> run to thousands and
    /// millions) make the series itself overflow long before the terms decay.
    /// </summary>
    public static double LogGauss2F1(double a, double b, double c, double z)
    {
        if (!(z >= 0 && z < 1) || !(a > 0 && b > 0 && c > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "The log-space series needs a, b, c > 0 and 0 <= z < 1.");
        }

        if (z == 0)
        {
            return 0;
        }

        var logZ = Math.Log(z);
        double logTerm = 0, logSum = 0;
        var smallTerms = 0;
        for (var k = 0; k < MaximumTerms; k++)
        {
            logTerm += Math.Log(a + k) + Math.Log(b + k) - Math.Log(c + k) - Math.Log(k + 1) + logZ;
            logSum = logTerm > logSum
                ? logTerm + Math.Log(1 + Math.Exp(logSum - logTerm))
                : logSum + Math.Log(1 + Math.Exp(logTerm - logSum));
            smallTerms = logTerm - logSum <= Math.Log(RelativeTolerance) ? smallTerms + 1 : 0;
            if (smallTerms == 2)
            {
                return logSum;
            }
        }

        throw new ArithmeticException(string.Create(
            CultureInfo.InvariantCulture,
            $"2F1({a}, {b}; {c}; {z}) did not converge in {MaximumTerms} terms."));
    }
}
