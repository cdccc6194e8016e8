using Clv.Modeling.Features;
using Clv.Modeling.Onnx;
using Clv.Modeling.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace Clv.Modeling.Tests.Onnx;

/// <summary>Runs an exported file with a plain ONNX Runtime session, as any consumer of the file would.</summary>
internal static class OnnxRuntimeRunner
{
    public static (float[] Clv, float[] PPurchase) Run(byte[] modelBytes, SequenceSet sequences)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelBytes, options);
        using var features = OrtValue.CreateTensorValueFromMemory(sequences.Features, [sequences.Count, sequences.SequenceLength, sequences.FeatureCount]);
        using var lengths = OrtValue.CreateTensorValueFromMemory(sequences.Lengths, [sequences.Count]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(
            runOptions,
            [OnnxModelWriter.FeaturesInput, OnnxModelWriter.SequenceLengthsInput],
            [features, lengths],
            [OnnxModelWriter.ClvOutput, OnnxModelWriter.PPurchaseOutput]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    /// <summary>Every output of the file: clv, p_purchase and the three quantiles.</summary>
    public static ClvPredictionBatch RunAll(byte[] modelBytes, SequenceSet sequences)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelBytes, options);
        using var features = OrtValue.CreateTensorValueFromMemory(sequences.Features, [sequences.Count, sequences.SequenceLength, sequences.FeatureCount]);
        using var lengths = OrtValue.CreateTensorValueFromMemory(sequences.Lengths, [sequences.Count]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(
            runOptions,
            [OnnxModelWriter.FeaturesInput, OnnxModelWriter.SequenceLengthsInput],
            [features, lengths],
            [OnnxModelWriter.ClvOutput, OnnxModelWriter.PPurchaseOutput, OnnxModelWriter.ClvP10Output, OnnxModelWriter.ClvP50Output, OnnxModelWriter.ClvP90Output]);
        float[] Output(int index) => outputs[index].GetTensorDataAsSpan<float>().ToArray();
        return new ClvPredictionBatch(sequences.CustomerIds, Output(0), Output(1), Output(2), Output(3), Output(4));
    }
}
