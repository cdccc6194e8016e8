using Clv.Modeling.Loss;

namespace Clv.Modeling.Onnx;

/// <summary>
/// Quantiles of the zero-inflated lognormal as ONNX nodes (opset 17 has no inverse error function):
/// the inverse standard normal CDF is Wichura's algorithm AS241 (PPND16, Applied Statistics 37(3), 1988),
/// three rational functions whose coefficients are all positive, so that float32 Horner evaluation loses
/// no digits to cancellation.
/// </summary>
/// <remarks>
/// For levels <c>L</c> (a constant <c>[K]</c>) and per-customer columns <c>p</c>, <c>mu</c>, <c>sigma</c>
/// <c>[N, 1]</c>: <c>q = (p - (1 - L)) / p</c> broadcast to <c>[N, K]</c>, the conditional level of the
/// lognormal part; the quantile is <c>exp(mu + sigma * Phi^-1(q))</c> where <c>q &gt; 0</c>, and zero where
/// <c>L &lt;= 1 - p</c>. The same definition in C# is <see cref="Ziln.Quantile"/>.
/// </remarks>
internal static class OnnxZilnQuantiles
{
    // AS241 PPND16: central region |q - 0.5| <= 0.425, r = 0.180625 - (q - 0.5)^2, z = (q - 0.5) * A(r) / B(r).
    private static readonly double[] A =
    [
        3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3, 1.3731693765509461125e+4,
        4.5921953931549871457e+4, 6.7265770927008700853e+4, 3.3430575583588128105e+4, 2.5090809287301226727e+3,
    ];

    private static readonly double[] B =
    [
        1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
        2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4, 5.2264952788528545610e+3,
    ];

    // Tails, r = sqrt(-log(min(q, 1 - q))): r <= 5 uses C(r - 1.6) / D(r - 1.6), beyond E(r - 5) / F(r - 5).
    private static readonly double[] C =
    [
        1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
        1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4,
    ];

    private static readonly double[] D =
    [
        1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
        1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9,
    ];

    private static readonly double[] E =
    [
        6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
        2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
    ];

    private static readonly double[] F =
    [
        1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
        7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15,
    ];

    /// <summary>Smallest conditional level evaluated (a float32 normal number); below it the quantile is exp(mu - 10.9 sigma) or less.</summary>
    private const float SmallestLevel = 1e-30f;

    /// <summary>
    /// Adds nodes computing the <paramref name="levels"/> quantiles: output <paramref name="quantiles"/>
    /// <c>[N, K]</c> from <paramref name="p"/>, <paramref name="mu"/> and <paramref name="sigma"/> <c>[N, 1]</c>.
    /// </summary>
    public static void Add(OnnxGraph graph, ReadOnlySpan<double> levels, string p, string mu, string sigma, string quantiles)
    {
        // 1 - L as a float sum hi + lo: p - hi is exact near the boundary (Sterbenz), so q keeps its digits
        // where the level barely exceeds the zero mass.
        var zeroMass = new float[levels.Length];
        var zeroMassLow = new float[levels.Length];
        for (var k = 0; k < levels.Length; k++)
        {
            zeroMass[k] = (float)(1 - levels[k]);
            zeroMassLow[k] = (float)(1 - levels[k] - zeroMass[k]);
        }

        graph.Initializer("q_zero_mass", [levels.Length], zeroMass);
        graph.Initializer("q_zero_mass_low", [levels.Length], zeroMassLow);
        graph.Initializer("q_zero", [], [0f]);
        graph.Initializer("q_one", [], [1f]);
        graph.Initializer("q_half", [], [0.5f]);
        graph.Initializer("q_smallest", [], [SmallestLevel]);
        graph.Initializer("q_central_bound", [], [0.425f]);
        graph.Initializer("q_central_offset", [], [0.180625f]);
        graph.Initializer("q_tail_bound", [], [5f]);
        graph.Initializer("q_tail_near_offset", [], [1.6f]);
        graph.Initializer("q_tail_far_offset", [], [5f]);

        // q = (p - (1 - L)) / p, [N, K]; positive exactly where the level lies above the zero mass.
        graph.Node("Sub", "q_excess_high", [p, "q_zero_mass"], ["q_excess_high"]);
        graph.Node("Sub", "q_excess", ["q_excess_high", "q_zero_mass_low"], ["q_excess"]);
        graph.Node("Div", "q_conditional", ["q_excess", p], ["q_raw"]);
        graph.Node("Greater", "q_positive", ["q_raw", "q_zero"], ["q_is_positive"]);
        graph.Node("Max", "q_floor", ["q_raw", "q_smallest"], ["q"]);

        // Central region.
        graph.Node("Sub", "q_centered", ["q", "q_half"], ["q_x"]);
        graph.Node("Mul", "q_centered_sq", ["q_x", "q_x"], ["q_x_sq"]);
        graph.Node("Sub", "q_central_r", ["q_central_offset", "q_x_sq"], ["q_central_r"]);
        var centralRatio = Ratio(graph, "q_central", "q_central_r", A, B);
        graph.Node("Mul", "q_central_z", ["q_x", centralRatio], ["q_central_z"]);

        // Tails: r = sqrt(-log(min(q, 1 - q))), sign of q - 0.5.
        graph.Node("Sub", "q_complement", ["q_one", "q"], ["q_complement"]);
        graph.Node("Min", "q_tail_mass", ["q", "q_complement"], ["q_tail_mass_raw"]);
        graph.Node("Max", "q_tail_mass_floor", ["q_tail_mass_raw", "q_smallest"], ["q_tail_mass"]);
        graph.Node("Log", "q_tail_log", ["q_tail_mass"], ["q_tail_log"]);
        graph.Node("Neg", "q_tail_neg_log", ["q_tail_log"], ["q_tail_neg_log"]);
        graph.Node("Sqrt", "q_tail_r", ["q_tail_neg_log"], ["q_tail_r"]);
        graph.Node("Sub", "q_near_r", ["q_tail_r", "q_tail_near_offset"], ["q_near_r"]);
        graph.Node("Sub", "q_far_r", ["q_tail_r", "q_tail_far_offset"], ["q_far_r"]);
        var near = Ratio(graph, "q_near", "q_near_r", C, D);
        var far = Ratio(graph, "q_far", "q_far_r", E, F);
        graph.Node("LessOrEqual", "q_is_near", ["q_tail_r", "q_tail_bound"], ["q_is_near"]);
        graph.Node("Where", "q_tail_abs_z", ["q_is_near", near, far], ["q_tail_abs_z"]);
        graph.Node("Neg", "q_tail_neg_z", ["q_tail_abs_z"], ["q_tail_neg_z"]);
        graph.Node("Less", "q_is_lower", ["q_x", "q_zero"], ["q_is_lower"]);
        graph.Node("Where", "q_tail_z", ["q_is_lower", "q_tail_neg_z", "q_tail_abs_z"], ["q_tail_z"]);

        graph.Node("Abs", "q_abs_centered", ["q_x"], ["q_abs_x"]);
        graph.Node("LessOrEqual", "q_is_central", ["q_abs_x", "q_central_bound"], ["q_is_central"]);
        graph.Node("Where", "q_z", ["q_is_central", "q_central_z", "q_tail_z"], ["q_z"]);

        // exp(mu + sigma * z), zero at or below the zero mass.
        graph.Node("Mul", "q_scaled_z", [sigma, "q_z"], ["q_sigma_z"]);
        graph.Node("Add", "q_log_quantile", [mu, "q_sigma_z"], ["q_log_quantile"]);
        graph.Node("Exp", "q_lognormal_quantile", ["q_log_quantile"], ["q_lognormal"]);
        graph.Node("Where", "q_zero_inflated", ["q_is_positive", "q_lognormal", "q_zero"], [quantiles]);
    }

    /// <summary>
    /// The quantile nodes alone as a model: inputs <c>p</c>, <c>mu</c>, <c>sigma</c> float32 <c>[N, 1]</c>, output
    /// <c>quantiles</c> <c>[N, K]</c> at <paramref name="levels"/>; for checking the approximation directly.
    /// </summary>
    internal static byte[] StandaloneBytes(ReadOnlySpan<double> levels)
    {
        var graph = new OnnxGraph("ziln_quantiles", "ZILN quantiles.");
        graph.Input("p", Proto.TensorProto.Types.DataType.Float, OnnxModelWriter.BatchDimension, 1L);
        graph.Input("mu", Proto.TensorProto.Types.DataType.Float, OnnxModelWriter.BatchDimension, 1L);
        graph.Input("sigma", Proto.TensorProto.Types.DataType.Float, OnnxModelWriter.BatchDimension, 1L);
        Add(graph, levels, "p", "mu", "sigma", "quantiles");
        graph.Output("quantiles", Proto.TensorProto.Types.DataType.Float, OnnxModelWriter.BatchDimension, (long)levels.Length);
        var model = new Proto.ModelProto { IrVersion = OnnxModelWriter.IrVersion, ProducerName = OnnxModelWriter.ProducerName, Graph = graph.Proto };
        model.OpsetImport.Add(new Proto.OperatorSetIdProto { Domain = string.Empty, Version = OnnxModelWriter.OpsetVersion });
        return Google.Protobuf.MessageExtensions.ToByteArray(model);
    }

    /// <summary>Adds <c>numerator(r) / denominator(r)</c>, each by Horner's rule; returns the output name.</summary>
    private static string Ratio(OnnxGraph graph, string prefix, string r, double[] numerator, double[] denominator)
    {
        var top = Polynomial(graph, prefix + "_num", r, numerator);
        var bottom = Polynomial(graph, prefix + "_den", r, denominator);
        var output = prefix + "_ratio";
        graph.Node("Div", output, [top, bottom], [output]);
        return output;
    }

    private static string Polynomial(OnnxGraph graph, string prefix, string r, double[] coefficients)
    {
        var last = coefficients.Length - 1;
        var acc = graph.Initializer($"{prefix}_c{last}", [], [(float)coefficients[last]]);
        for (var i = last - 1; i >= 0; i--)
        {
            var product = $"{prefix}_mul{i}";
            graph.Node("Mul", product, [acc, r], [product]);
            var coefficient = graph.Initializer($"{prefix}_c{i}", [], [(float)coefficients[i]]);
            var sum = $"{prefix}_add{i}";
            graph.Node("Add", sum, [product, coefficient], [sum]);
            acc = sum;
        }

        return acc;
    }
}
