namespace Clv.Modeling.Evaluation;

/// <summary>How an evaluation report is titled and drawn.</summary>
public sealed record EvaluationReportOptions
{
    /// <summary>Defaults.</summary>
    public static EvaluationReportOptions Default { get; } = new();

    /// <summary>Heading of the report.</summary>
    public string Title { get; init; } = "Customer lifetime value: model evaluation";

    /// <summary>A paragraph under the heading (data, split, horizon, model version); none by default.</summary>
    public string? Description { get; init; }

    /// <summary>Width of each plot in pixels.</summary>
    public int PlotWidth { get; init; } = 800;

    /// <summary>Height of each plot in pixels.</summary>
    public int PlotHeight { get; init; } = 480;

    /// <summary>Most points drawn per gain curve; longer curves are thinned evenly (the values in the table are exact).</summary>
    public int MaxCurvePoints { get; init; } = 500;
}
