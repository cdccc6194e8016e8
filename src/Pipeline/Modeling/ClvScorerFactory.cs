using Clv.Modeling.Features;
using Clv.Modeling.Model;
using Clv.Modeling.Scoring;
using Clv.Pipeline.Configuration;
using Clv.Pipeline.Score;
using Microsoft.Extensions.Logging;

namespace Clv.Pipeline.Modeling;

/// <summary>
/// <see cref="IBatchScorerFactory"/> over <see cref="ClvScorer"/> (ONNX Runtime). A model is accepted only when it was
/// trained on this featurizer's features and the configured bucket and <c>T</c>.
/// </summary>
internal sealed class ClvScorerFactory(ClvOptions options, ILogger<ClvScorerFactory> logger) : IBatchScorerFactory
{
    public IBatchScorer Load(byte[] onnx, string executionProvider)
    {
        var expected = new FeaturizerSignature(SequenceBuilder.FeatureNames, options.Features.Bucket, options.Features.SequenceLength);
        var scorerOptions = new ScorerOptions
        {
            ExecutionProvider = executionProvider == "cuda" ? ScoringExecutionProvider.Cuda : ScoringExecutionProvider.Cpu,
            BatchSize = options.Scoring.BatchSize,
        };
        return new Scorer(ClvScorer.Load(onnx, "model.onnx", expected, scorerOptions, logger));
    }

    private sealed class Scorer(ClvScorer scorer) : IBatchScorer
    {
        public ModelMetadata Metadata => scorer.Metadata;

        public void Score(SequenceSet sequences, Span<float> clv, Span<float> pPurchase, Span<float> clvP10, Span<float> clvP50, Span<float> clvP90) =>
            scorer.Score(sequences, clv, pPurchase, clvP10, clvP50, clvP90);

        public void Dispose() => scorer.Dispose();
    }
}
