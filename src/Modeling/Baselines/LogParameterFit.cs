using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Clv.Modeling.Baselines;

/// <summary>
/// Maximum-likelihood fitting of positive parameters: minimises a negative log-likelihood over the
/// logarithms of the parameters with MathNet's Nelder-Mead simplex, restarted once from its optimum
/// (a fresh simplex guards against a collapsed one stopping early).
/// </summary>
internal static class LogParameterFit
{
    private const double ConvergenceTolerance = 1e-12;
    private const int MaximumIterations = 20_000;
    private const int Restarts = 2;

    /// <summary>The positive parameters that minimise <paramref name="negativeLogLikelihood"/>, and its value there.</summary>
    /// <param name="modelName">The model's name for error messages.</param>
    /// <param name="negativeLogLikelihood">Objective over the parameters themselves (not their logarithms).</param>
    /// <param name="initial">Starting parameters, all positive.</param>
    /// <exception cref="InvalidOperationException">The simplex did not converge: the data do not pin the parameters down.</exception>
    public static (double[] Parameters, double Objective) Minimize(string modelName, Func<double[], double> negativeLogLikelihood, double[] initial)
    {
        var parameters = new double[initial.Length];
        var objective = ObjectiveFunction.Value(logParameters =>
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i] = Math.Exp(logParameters[i]);
            }

            var value = negativeLogLikelihood(parameters);
            return double.IsFinite(value) ? value : double.MaxValue;
        });

        var point = Vector<double>.Build.DenseOfEnumerable(initial.Select(v => Math.Log(v)));
        var solver = new NelderMeadSimplex(ConvergenceTolerance, MaximumIterations);
        double best = double.MaxValue;
        for (var attempt = 0; attempt <= Restarts; attempt++)
        {
            MinimizationResult result;
            try
            {
                result = solver.FindMinimum(objective, point);
            }
            catch (MaximumIterationsException e)
            {
                throw new InvalidOperationException(
                    $"The {modelName} maximum-likelihood fit did not converge in {MaximumIterations} iterations; the data do not determine its parameters (too few customers, or too little repeat buying).",
                    e);
            }

            point = result.MinimizingPoint;
            best = result.FunctionInfoAtMinimum.Value;
        }

        return (point.Select(v => Math.Exp(v)).ToArray(), best);
    }
}
