using ScottPlot;

namespace Clv.Modeling.Evaluation;

/// <summary>The report's plots, drawn with ScottPlot as PNG images.</summary>
internal static class ReportPlots
{
    // One colour per model, the same in every plot.
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>Gain curves of every model, the perfect ordering and a random one.</summary>
    public static byte[] GainCurves(IReadOnlyList<ModelScores> scores, EvaluationReportOptions options)
    {
        var plot = new Plot();
        plot.Title("Gain curve");
        plot.XLabel("share of customers, highest predictions first");
        plot.YLabel("share of actual spend");
        if (scores.Count > 0)
        {
            var perfect = ClvMetrics.GainCurve(scores[0].Actual, scores[0].Actual);
            AddCurve(plot, "perfect", perfect, options.MaxCurvePoints, LinePattern.Dashed, Colors.Black);
        }

        for (var i = 0; i < scores.Count; i++)
        {
            var model = scores[i];
            AddCurve(plot, model.ModelName, ClvMetrics.GainCurve(model.Actual, model.Predicted), options.MaxCurvePoints, LinePattern.Solid, Palette.GetColor(i));
        }

        var random = plot.Add.Line(0, 0, 1, 1);
        random.LegendText = "random";
        random.LinePattern = LinePattern.Dotted;
        random.LineColor = Colors.Gray;
        plot.Axes.SetLimits(0, 1, 0, 1.02);
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(options.PlotWidth, options.PlotHeight, ImageFormat.Png);
    }

    /// <summary>Mean predicted and mean actual spend per prediction decile of one model, as side-by-side bars.</summary>
    public static byte[] Deciles(ModelScores model, IReadOnlyList<DecileStat> deciles, EvaluationReportOptions options)
    {
        var plot = new Plot();
        plot.Title($"{model.ModelName}: mean spend by prediction decile");
        plot.XLabel("prediction decile (1 = lowest predictions)");
        plot.YLabel("mean spend per customer");
        const double barWidth = 0.4;
        var actual = plot.Add.Bars(deciles.Select(d => new Bar { Position = d.Index + 1 - (barWidth / 2), Value = d.ActualMean, Size = barWidth, FillColor = Colors.SteelBlue }).ToArray());
        actual.LegendText = "actual";
        var predicted = plot.Add.Bars(deciles.Select(d => new Bar { Position = d.Index + 1 + (barWidth / 2), Value = d.PredictedMean, Size = barWidth, FillColor = Colors.Orange }).ToArray());
        predicted.LegendText = "predicted";
        var ticks = Enumerable.Range(1, ClvMetrics.DecileCount).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, [.. ticks.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(options.PlotWidth, options.PlotHeight, ImageFormat.Png);
    }

    /// <summary>Calibration: mean actual against mean predicted spend per prediction decile, for every model, with the diagonal.</summary>
    public static byte[] Calibration(IReadOnlyList<(ModelScores Model, IReadOnlyList<DecileStat> Deciles)> models, EvaluationReportOptions options)
    {
        var plot = new Plot();
        plot.Title("Calibration by prediction decile");
        plot.XLabel("mean predicted spend");
        plot.YLabel("mean actual spend");
        var largest = 0.0;
        for (var i = 0; i < models.Count; i++)
        {
            var (model, deciles) = models[i];
            if (deciles.Count == 0)
            {
                continue;
            }

            var line = plot.Add.ScatterLine(deciles.Select(d => d.PredictedMean).ToArray(), deciles.Select(d => d.ActualMean).ToArray(), Palette.GetColor(i));
            line.LegendText = model.ModelName;
            line.MarkerSize = 6;
            largest = Math.Max(largest, deciles.Max(d => Math.Max(d.PredictedMean, d.ActualMean)));
        }

        var diagonal = plot.Add.Line(0, 0, Math.Max(largest, 1), Math.Max(largest, 1));
        diagonal.LegendText = "perfect calibration";
        diagonal.LinePattern = LinePattern.Dotted;
        diagonal.LineColor = Colors.Gray;
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(options.PlotWidth, options.PlotHeight, ImageFormat.Png);
    }

    private static void AddCurve(Plot plot, string label, double[] gain, int maxPoints, LinePattern pattern, Color color)
    {
        if (gain.Length == 0)
        {
            return;
        }

        // Start at the origin, then thin to at most maxPoints evenly spaced customers (always keeping the last).
        var step = Math.Max(1, (int)Math.Ceiling(gain.Length / (double)Math.Max(2, maxPoints)));
        var xs = new List<double> { 0 };
        var ys = new List<double> { 0 };
        for (var k = step - 1; k < gain.Length; k += step)
        {
            xs.Add((k + 1) / (double)gain.Length);
            ys.Add(gain[k]);
        }

        if (xs[^1] < 1)
        {
            xs.Add(1);
            ys.Add(gain[^1]);
        }

        var curve = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
        curve.LegendText = label;
        curve.LinePattern = pattern;
        curve.MarkerSize = 0;
    }
}
