namespace Clv.Modeling.Lstm;

/// <summary>
/// Adam with decoupled weight decay (AdamW, Loshchilov and Hutter 2019) over one parameter buffer.
/// </summary>
/// <remarks>
/// <c>m = b1 m + (1 - b1) g</c>, <c>v = b2 v + (1 - b2) g^2</c>,
/// <c>p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) + lr wd p</c>, the decay applied only
/// where <c>decayMask</c> is true (weight matrices, not biases).
/// </remarks>
internal sealed class AdamOptimizer(int parameterCount, double beta1, double beta2, double epsilon, double weightDecay, bool[] decayMask)
{
    private readonly float[] m = new float[parameterCount];
    private readonly float[] v = new float[parameterCount];
    private int step;

    /// <summary>One update of <paramref name="parameters"/> from <paramref name="gradients"/>.</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, double learningRate)
    {
        step++;
        var b1 = (float)beta1;
        var b2 = (float)beta2;
        var correction1 = (float)(1 - Math.Pow(beta1, step));
        var correction2 = (float)(1 - Math.Pow(beta2, step));
        var lr = (float)learningRate;
        var decay = (float)(learningRate * weightDecay);
        var eps = (float)epsilon;
        for (var i = 0; i < parameters.Length; i++)
        {
            var g = gradients[i];
            m[i] = (b1 * m[i]) + ((1 - b1) * g);
            v[i] = (b2 * v[i]) + ((1 - b2) * g * g);
            var update = lr * (m[i] / correction1) / (MathF.Sqrt(v[i] / correction2) + eps);
            parameters[i] -= update + (decayMask[i] ? decay * parameters[i] : 0f);
        }
    }
}
