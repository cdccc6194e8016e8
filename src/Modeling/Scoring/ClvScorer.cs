using System.Diagnostics.CodeAnalysis;
using Clv.Modeling.Features;
using Clv.Modeling.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelMetadata = Clv.Modeling.Model.ModelMetadata;

namespace Clv.Modeling.Scoring;

/// <summary>
/// Scores customers with a CLV model file on ONNX Runtime: batch scoring of featurized histories and
/// single-customer scoring, both from the same featurizer's output.
/// </summary>
/// <remarks>
/// Holds one <see cref="InferenceSession"/>; create one scorer per process and model (register it as a
/// singleton) and share it: every scoring method is thread-safe and may be called concurrently.
/// Batch scoring hands each batch of the <see cref="SequenceSet"/> and of the destinations to ONNX Runtime
/// in place (pinned, never copied); single-customer scoring copies the <c>T * F</c> features into tensors
/// each thread creates once and reuses. Neither allocates anything proportional to the number of
/// customers beyond ONNX Runtime's own per-run scratch memory.
/// </remarks>
public sealed class ClvScorer : IDisposable
{
    private static readonly string[] InputNames = [OnnxModelWriter.FeaturesInput, OnnxModelWriter.SequenceLengthsInput];
    private static readonly string[] OutputNames =
        [OnnxModelWriter.ClvOutput, OnnxModelWriter.PPurchaseOutput, OnnxModelWriter.ClvP10Output, OnnxModelWriter.ClvP50Output, OnnxModelWriter.ClvP90Output];

    private static readonly string[] PointOutputNames = [OnnxModelWriter.ClvOutput, OnnxModelWriter.PPurchaseOutput];

    private readonly InferenceSession session;
    private readonly RunOptions runOptions;
    private readonly int steps;
    private readonly int featureCount;
    private readonly int batchSize;
    private readonly ThreadLocal<SingleCustomerBuffers> single;
    private bool disposed;

    private ClvScorer(InferenceSession session, OnnxModelInfo model, string source, ScoringExecutionProvider executionProvider, int batchSize)
    {
        this.session = session;
        Model = model;
        Source = source;
        ExecutionProvider = executionProvider;
        this.batchSize = batchSize;
        steps = model.Metadata.SequenceLength;
        featureCount = model.Metadata.FeatureCount;
        runOptions = new RunOptions();
        single = new ThreadLocal<SingleCustomerBuffers>(() => new SingleCustomerBuffers(steps, featureCount), trackAllValues: true);
    }

    /// <summary>The model file's metadata, LSTM size and ONNX versions.</summary>
    public OnnxModelInfo Model { get; }

    /// <summary>What the model was built from.</summary>
    public ModelMetadata Metadata => Model.Metadata;

    /// <summary>Where the model was loaded from.</summary>
    public string Source { get; }

    /// <summary>The execution provider in use (CPU after a CUDA fallback).</summary>
    public ScoringExecutionProvider ExecutionProvider { get; }

    /// <summary>Loads the model file at <paramref name="modelPath"/> and checks it against the featurizer.</summary>
    /// <param name="modelPath">An ONNX file written by <see cref="OnnxModelWriter"/>.</param>
    /// <param name="expected">What the featurizer produces: feature names, bucket and <c>T</c>.</param>
    /// <param name="options">Execution provider, threads and batch size; defaults when null.</param>
    /// <param name="logger">Receives the CUDA fallback warning and the load event; none when null.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="modelPath"/>.</exception>
    /// <exception cref="InvalidDataException">The file is empty, truncated, not ONNX, not a CLV model, or ONNX Runtime cannot load it.</exception>
    /// <exception cref="ModelMismatchException">The model was trained on other features, bucket or <c>T</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting in <paramref name="options"/> is out of range.</exception>
    public static ClvScorer Open(string modelPath, FeaturizerSignature expected, ScorerOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        return Load(File.ReadAllBytes(modelPath), modelPath, expected, options, logger);
    }

    /// <summary>Loads a model file's content; <paramref name="source"/> names it in errors and logs.</summary>
    /// <exception cref="InvalidDataException">The content is empty, truncated, not ONNX, not a CLV model, or ONNX Runtime cannot load it.</exception>
    /// <exception cref="ModelMismatchException">The model was trained on other features, bucket or <c>T</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting in <paramref name="options"/> is out of range.</exception>
    public static ClvScorer Load(byte[] model, string source, FeaturizerSignature expected, ScorerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(expected);
        options ??= new ScorerOptions();
        options.Validate();
        logger ??= NullLogger.Instance;

        var info = OnnxModelInfo.Read(model, source);
        var differences = Differences(expected, info.Metadata);
        if (differences.Count > 0)
        {
            throw new ModelMismatchException(source, differences);
        }

        var (session, provider) = CreateSession(model, source, options, logger);
        ScorerLog.ModelLoaded(logger, info.Metadata.Version, source, provider);
        return new ClvScorer(session, info, source, provider, options.BatchSize);
    }

    /// <summary>Scores every customer of <paramref name="sequences"/>, in batches of <see cref="ScorerOptions.BatchSize"/>.</summary>
    /// <param name="sequences">Featurized histories, <c>[N, T, F]</c>, from the featurizer the model was checked against.</param>
    /// <param name="clv">Destination expected spend, <c>[N]</c>.</param>
    /// <param name="pPurchase">Destination probability of any spend, <c>[N]</c>.</param>
    /// <exception cref="ArgumentException">The sequences' shape or feature names differ from the model's, or a destination is too short.</exception>
    public void Score(SequenceSet sequences, Span<float> clv, Span<float> pPurchase) =>
        Score(sequences, clv, pPurchase, default, default, default);

    /// <summary>
    /// Scores every customer of <paramref name="sequences"/> with the spend interval, in batches of
    /// <see cref="ScorerOptions.BatchSize"/>; quantiles are computed only when their destinations are given.
    /// </summary>
    /// <param name="sequences">Featurized histories, <c>[N, T, F]</c>, from the featurizer the model was checked against.</param>
    /// <param name="clv">Destination expected spend, <c>[N]</c>.</param>
    /// <param name="pPurchase">Destination probability of any spend, <c>[N]</c>.</param>
    /// <param name="clvP10">Destination 10th percentile of spend, <c>[N]</c>; empty together with the other two to skip the quantiles.</param>
    /// <param name="clvP50">Destination median spend, <c>[N]</c>, or empty.</param>
    /// <param name="clvP90">Destination 90th percentile of spend, <c>[N]</c>, or empty.</param>
    /// <exception cref="ArgumentException">The sequences' shape or feature names differ from the model's, or a destination is too short.</exception>
    public unsafe void Score(SequenceSet sequences, Span<float> clv, Span<float> pPurchase, Span<float> clvP10, Span<float> clvP50, Span<float> clvP90)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ObjectDisposedException.ThrowIf(disposed, this);
        CheckSequences(sequences);
        var count = sequences.Count;
        if (clv.Length < count || pPurchase.Length < count)
        {
            ThrowDestinationTooShort(count, clv.Length, pPurchase.Length);
        }

        var withQuantiles = !(clvP10.IsEmpty && clvP50.IsEmpty && clvP90.IsEmpty);
        if (withQuantiles && (clvP10.Length < count || clvP50.Length < count || clvP90.Length < count))
        {
            throw new ArgumentException($"Quantile destinations must all hold {count} values, or all be empty; they hold {clvP10.Length}, {clvP50.Length} and {clvP90.Length}.", nameof(clvP10));
        }

        var stepValues = steps * featureCount;
        fixed (float* features = sequences.Features)
        fixed (int* lengths = sequences.Lengths)
        fixed (float* clvValues = clv)
        fixed (float* pValues = pPurchase)
        fixed (float* p10Values = clvP10)
        fixed (float* p50Values = clvP50)
        fixed (float* p90Values = clvP90)
        {
            for (var start = 0; start < count; start += batchSize)
            {
                var size = Math.Min(batchSize, count - start);
                if (size == 1)
                {
                    var one = RunSingle(new ReadOnlySpan<float>(features + ((long)start * stepValues), stepValues), lengths[start]);
                    clvValues[start] = one.Clv;
                    pValues[start] = one.PPurchase;
                    if (withQuantiles)
                    {
                        p10Values[start] = one.ClvP10;
                        p50Values[start] = one.ClvP50;
                        p90Values[start] = one.ClvP90;
                    }
                }
                else if (withQuantiles)
                {
                    Run(features + ((long)start * stepValues), lengths + start, size, [(nint)(clvValues + start), (nint)(pValues + start), (nint)(p10Values + start), (nint)(p50Values + start), (nint)(p90Values + start)]);
                }
                else
                {
                    Run(features + ((long)start * stepValues), lengths + start, size, [(nint)(clvValues + start), (nint)(pValues + start)]);
                }
            }
        }
    }

    /// <summary>Scores every customer of <paramref name="sequences"/> into new arrays.</summary>
    /// <exception cref="ArgumentException">The sequences' shape or feature names differ from the model's.</exception>
    public ClvPredictionBatch Score(SequenceSet sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var scores = ClvPredictionBatch.Allocate(sequences.CustomerIds);
        Score(sequences, scores.Clv, scores.PPurchase, scores.ClvP10, scores.ClvP50, scores.ClvP90);
        return scores;
    }

    /// <summary>Scores one customer.</summary>
    /// <param name="features">The customer's raw features, <c>[T, F]</c>, right-padded (as <see cref="SequenceSet.Customer"/> gives).</param>
    /// <param name="length">Valid steps, in <c>1..T</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="features"/> is not <c>T * F</c> long or <paramref name="length"/> is outside <c>1..T</c>.</exception>
    public ClvPrediction ScoreOne(ReadOnlySpan<float> features, int length)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (features.Length != steps * featureCount)
        {
            throw new ArgumentException($"One customer's features have {features.Length} values; [T={steps}, F={featureCount}] needs {steps * featureCount}.", nameof(features));
        }

        if (length < 1 || length > steps)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Sequence length must be in 1..{steps}.");
        }

        return RunSingle(features, length);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var buffers in single.Values)
        {
            buffers.Dispose();
        }

        single.Dispose();
        runOptions.Dispose();
        session.Dispose();
    }

    internal static List<string> Differences(FeaturizerSignature expected, ModelMetadata found)
    {
        var differences = new List<string>();
        if (!expected.FeatureNames.SequenceEqual(found.FeatureNames, StringComparer.Ordinal))
        {
            differences.Add($"feature names: expected [{string.Join(", ", expected.FeatureNames)}], model has [{string.Join(", ", found.FeatureNames)}]");
        }

        if (expected.Bucket != found.Bucket)
        {
            differences.Add($"bucket: expected {expected.Bucket.ToString().ToLowerInvariant()}, model has {found.Bucket.ToString().ToLowerInvariant()}");
        }

        if (expected.SequenceLength != found.SequenceLength)
        {
            differences.Add($"sequence length T: expected {expected.SequenceLength}, model has {found.SequenceLength}");
        }

        return differences;
    }

    private static (InferenceSession Session, ScoringExecutionProvider Provider) CreateSession(byte[] model, string source, ScorerOptions options, ILogger logger)
    {
        var sessionOptions = NewSessionOptions(options);
        var provider = ScoringExecutionProvider.Cpu;
        try
        {
            if (options.ExecutionProvider == ScoringExecutionProvider.Cuda)
            {
                try
                {
                    sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
                    provider = ScoringExecutionProvider.Cuda;
                }
                catch (Exception error) when (error is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
                {
                    // The CPU-only ONNX Runtime build has no CUDA entry point; a GPU build without a usable GPU fails here too.
                    ScorerLog.CudaUnavailable(logger, error.Message, error);
                    sessionOptions.Dispose();
                    sessionOptions = NewSessionOptions(options);
                }
            }

            return (new InferenceSession(model, sessionOptions), provider);
        }
        catch (OnnxRuntimeException error)
        {
            throw new InvalidDataException($"Model file '{source}' could not be loaded by ONNX Runtime: {error.Message}", error);
        }
        finally
        {
            sessionOptions.Dispose();
        }
    }

    private static SessionOptions NewSessionOptions(ScorerOptions options) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = options.IntraOpThreads,
        InterOpNumThreads = 1,
    };

    [DoesNotReturn]
    private static void ThrowDestinationTooShort(int count, int clvLength, int pLength) =>
        throw new ArgumentException($"Destinations must hold {count} values; clv holds {clvLength}, pPurchase {pLength}.", "clv");

    private void CheckSequences(SequenceSet sequences)
    {
        if (sequences.SequenceLength != steps || sequences.FeatureCount != featureCount)
        {
            throw new ArgumentException(
                $"Sequences are [T={sequences.SequenceLength}, F={sequences.FeatureCount}]; model '{Source}' takes [T={steps}, F={featureCount}].", nameof(sequences));
        }

        if (!ReferenceEquals(sequences.FeatureNames, Metadata.FeatureNames) && !sequences.FeatureNames.SequenceEqual(Metadata.FeatureNames, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Sequences have features [{string.Join(", ", sequences.FeatureNames)}]; model '{Source}' takes [{string.Join(", ", Metadata.FeatureNames)}].", nameof(sequences));
        }

        var lengths = sequences.Lengths;
        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] < 1 || lengths[i] > steps)
            {
                throw new ArgumentException($"Customer '{sequences.CustomerIds[i]}' has sequence length {lengths[i]}; lengths must be in 1..{steps}.", nameof(sequences));
            }
        }
    }

    /// <summary>One ONNX Runtime run for one customer, <c>[T, F]</c>, on this thread's reused tensors.</summary>
    private ClvPrediction RunSingle(ReadOnlySpan<float> features, int length)
    {
        var buffers = single.Value!;
        features.CopyTo(buffers.Features);
        buffers.Length[0] = length;
        session.Run(runOptions, InputNames, buffers.Inputs, OutputNames, buffers.Outputs);
        var outputs = buffers.Values;
        return new ClvPrediction(outputs[0], outputs[1], outputs[2], outputs[3], outputs[4]);
    }

    /// <summary>
    /// One ONNX Runtime run over pinned memory: features <c>[count, T, F]</c> and lengths in, one <c>[count]</c>
    /// destination per output: clv and p, then P10, P50 and P90 when five are given.
    /// </summary>
    private unsafe void Run(float* features, int* lengths, int count, ReadOnlySpan<nint> destinations)
    {
        var memory = OrtMemoryInfo.DefaultInstance;
        long[] featureShape = [count, steps, featureCount];
        long[] vectorShape = [count];
        using var featureValue = OrtValue.CreateTensorValueWithData(memory, TensorElementType.Float, featureShape, (nint)features, (long)count * steps * featureCount * sizeof(float));
        using var lengthValue = OrtValue.CreateTensorValueWithData(memory, TensorElementType.Int32, vectorShape, (nint)lengths, (long)count * sizeof(int));
        var outputs = new OrtValue[destinations.Length];
        try
        {
            for (var i = 0; i < outputs.Length; i++)
            {
                outputs[i] = OrtValue.CreateTensorValueWithData(memory, TensorElementType.Float, vectorShape, destinations[i], (long)count * sizeof(float));
            }

            session.Run(runOptions, InputNames, [featureValue, lengthValue], destinations.Length == OutputNames.Length ? OutputNames : PointOutputNames, outputs);
        }
        finally
        {
            foreach (var output in outputs)
            {
                output?.Dispose();
            }
        }
    }

    /// <summary>
    /// One thread's input and output tensors for single-customer scoring, created once and reused by
    /// every call on that thread: a call copies <c>T * F</c> values in and runs, creating no tensors.
    /// </summary>
    private sealed class SingleCustomerBuffers : IDisposable
    {
        public SingleCustomerBuffers(int steps, int featureCount)
        {
            Features = new float[steps * featureCount];
            Inputs =
            [
                OrtValue.CreateTensorValueFromMemory(Features, [1, steps, featureCount]),
                OrtValue.CreateTensorValueFromMemory(Length, [1]),
            ];
            Outputs = new OrtValue[OutputNames.Length];
            for (var i = 0; i < Outputs.Length; i++)
            {
                Outputs[i] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, Values.AsMemory(i, 1), [1]);
            }
        }

        /// <summary>Features <c>[1, T, F]</c>.</summary>
        public float[] Features { get; }

        public int[] Length { get; } = new int[1];

        /// <summary>One value per output, in the order of <see cref="OutputNames"/>.</summary>
        public float[] Values { get; } = new float[OutputNames.Length];

        public OrtValue[] Inputs { get; }

        public OrtValue[] Outputs { get; }

        public void Dispose()
        {
            foreach (var value in Inputs.Concat(Outputs))
            {
                value.Dispose();
            }
        }
    }
}
