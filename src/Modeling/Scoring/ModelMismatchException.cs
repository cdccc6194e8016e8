namespace Clv.Modeling.Scoring;

/// <summary>
/// A model file that is valid but was trained on different features than the featurizer produces
/// (feature names, bucket or <c>T</c>); the message lists each difference, expected and found.
/// </summary>
public sealed class ModelMismatchException : InvalidOperationException
{
    /// <summary>Creates the error for the model at <paramref name="source"/> with its differences.</summary>
    public ModelMismatchException(string source, IReadOnlyList<string> differences)
        : base($"Model file '{source}' does not match the featurizer: {string.Join("; ", differences)}.")
    {
        ModelSource = source;
        Differences = differences;
    }

    /// <summary>The model file.</summary>
    public string ModelSource { get; }

    /// <summary>One line per difference, e.g. <c>bucket: expected week, model has month</c>.</summary>
    public IReadOnlyList<string> Differences { get; }
}
