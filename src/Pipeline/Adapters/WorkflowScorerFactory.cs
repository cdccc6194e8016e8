using Clv.Modeling.Features;
using Clv.Modeling.Model;
using Clv.Modeling.Scoring;
using Clv.Modeling.Workflow;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Score;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Adapters;

/// <summary>
/// <see cref="IBatchScorerFactory"/> over <see cref="ClvWorkflow.LoadScorer"/> (ONNX Runtime) with <see cref="ClvOptions.Scorer"/>.
/// A model is accepted only when it was trained on this featurizer's features and the configured bucket and <c>T</c>.
/// </summary>
internal sealed class WorkflowScorerFactory(ClvOptions options, ILogger<WorkflowScorerFactory> logger) : IBatchScorerFactory
{
    public IBatchScorer Load(byte[] onnx)
    {
        var expected = new FeaturizerSignature(SequenceBuilder.FeatureNames, options.Model.Bucket, options.Model.SequenceLength);
        return new Scorer(ClvWorkflow.LoadScorer(onnx, "model.onnx", options.Scorer, expected, logger));
    }

    private sealed class Scorer(ClvScorer scorer) : IBatchScorer
    {
        public ModelMetadata Metadata => scorer.Metadata;

        public void Score(SequenceSet sequences, Span<float> clv, Span<float> pPurchase, Span<float> clvP10, Span<float> clvP50, Span<float> clvP90) =>
            scorer.Score(sequences, clv, pPurchase, clvP10, clvP50, clvP90);

        public void Dispose() => scorer.Dispose();
    }
}
