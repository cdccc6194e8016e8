namespace Clv.Modeling.Lstm;

/// <summary>
/// All trainable parameters of the LSTM and its head in one buffer, cut into named views.
/// </summary>
/// <remarks>
/// Gate blocks follow the ONNX <c>LSTM</c> operator order: input (i), output (o), forget (f), cell (c),
/// each block <c>H</c> rows, so the weights export to ONNX without permutation.
/// <list type="bullet">
/// <item><c>W</c> <c>[4H, F]</c>: input-to-gate weights.</item>
/// <item><c>R</c> <c>[4H, H]</c>: hidden-to-gate weights.</item>
/// <item><c>B</c> <c>[4H]</c>: gate bias (ONNX <c>Wb</c>; <c>Rb</c> is zero).</item>
/// <item><c>HeadW</c> <c>[3, H]</c>, <c>HeadB</c> <c>[3]</c>: dense head to the ZILN logits.</item>
/// </list>
/// </remarks>
public sealed class LstmWeights
{
    /// <summary>Creates zeroed weights for <paramref name="shape"/>.</summary>
    public LstmWeights(LstmShape shape)
        : this(shape, new float[ValidatedCount(shape)])
    {
    }

    /// <summary>Wraps an existing parameter buffer (not copied).</summary>
    /// <exception cref="ArgumentException">The buffer length is not <see cref="LstmShape.ParameterCount"/>.</exception>
    public LstmWeights(LstmShape shape, float[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Length != ValidatedCount(shape))
        {
            throw new ArgumentException(
                $"Parameter buffer has {buffer.Length} values; shape F={shape.FeatureCount}, H={shape.HiddenSize} needs {shape.ParameterCount}.",
                nameof(buffer));
        }

        Shape = shape;
        Buffer = buffer;
    }

    /// <summary>The sizes.</summary>
    public LstmShape Shape { get; }

    /// <summary>Every parameter, in the order W, R, B, HeadW, HeadB.</summary>
    public float[] Buffer { get; }

    private LstmParameterLayout Layout => new(Shape);

    /// <summary><c>W</c> <c>[4H, F]</c>, gate order i, o, f, c.</summary>
    public Span<float> W => Buffer.AsSpan(0, Shape.InputWeightCount);

    /// <summary><c>R</c> <c>[4H, H]</c>, gate order i, o, f, c.</summary>
    public Span<float> R => Buffer.AsSpan(Layout.R, Shape.RecurrentWeightCount);

    /// <summary>Gate bias <c>[4H]</c>, gate order i, o, f, c.</summary>
    public Span<float> B => Buffer.AsSpan(Layout.B, Shape.GateBiasCount);

    /// <summary>Head weights <c>[3, H]</c>.</summary>
    public Span<float> HeadW => Buffer.AsSpan(Layout.HeadW, Shape.HeadWeightCount);

    /// <summary>Head bias <c>[3]</c>.</summary>
    public Span<float> HeadB => Buffer.AsSpan(Layout.HeadB, LstmShape.HeadOutputCount);

    /// <summary>A deep copy.</summary>
    public LstmWeights Clone() => new(Shape, (float[])Buffer.Clone());

    private static int ValidatedCount(LstmShape shape)
    {
        shape.Validate();
        return shape.ParameterCount;
    }
}
