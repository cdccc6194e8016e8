using Clv.Modeling.Loss;

namespace Clv.Modeling.Lstm;

/// <summary>How the learning rate moves over the epochs.</summary>
public enum LearningRateSchedule
{
    /// <summary>The base rate throughout.</summary>
    Constant,

    /// <summary>Cosine from the base rate down to <see cref="TrainerOptions.MinLearningRateFraction"/> of it at the last epoch.</summary>
    Cosine,

    /// <summary>Multiplied by <see cref="TrainerOptions.StepDecayFactor"/> every <see cref="TrainerOptions.StepDecayEpochs"/> epochs.</summary>
    StepDecay,
}

/// <summary>Settings of <see cref="LstmTrainer"/>; every default in one place, changed with <c>with</c>.</summary>
public sealed record TrainerOptions
{
    /// <summary>Hidden units <c>H</c>. Compute grows with <c>4H(F + H)</c> per step.</summary>
    public int HiddenSize { get; init; } = 32;

    /// <summary>Maximum passes over the training rows; early stopping may end sooner.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Rows per minibatch. Larger batches run faster per row; smaller ones take more steps per epoch.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Base Adam step size.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Learning-rate schedule over epochs (setting <c>Clv:Training:LearningRateSchedule</c>; <c>Clv:Training:Schedule</c> is when training runs).</summary>
    public LearningRateSchedule LearningRateSchedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>Floor of the cosine schedule as a fraction of <see cref="LearningRate"/>.</summary>
    public double MinLearningRateFraction { get; init; } = 0.05;

    /// <summary>Epochs between decays of <see cref="LearningRateSchedule.StepDecay"/>.</summary>
    public int StepDecayEpochs { get; init; } = 10;

    /// <summary>Multiplier applied at each decay of <see cref="LearningRateSchedule.StepDecay"/>.</summary>
    public double StepDecayFactor { get; init; } = 0.5;

    /// <summary>Adam first-moment decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam second-moment decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam denominator guard.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Decoupled (AdamW) weight decay per step, scaled by the learning rate; biases are not decayed. 0 disables.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Largest global gradient L2 norm; larger gradients are scaled down to it. 0 disables clipping.</summary>
    public double GradientClipNorm { get; init; } = 1.0;

    /// <summary>Fraction of rows held out (seeded) for validation and early stopping; 0 uses the training loss.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Epochs without a better validation loss before training stops and the best weights are restored.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Seed of the initial weights, the validation split and the shuffling.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Threads per minibatch. Results are bit-identical for a given seed and thread count; a different
    /// thread count changes the summation order and so the last bits.
    /// </summary>
    public int ThreadCount { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Training objective.</summary>
    public LossKind Loss { get; init; } = LossKind.Ziln;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Positive(HiddenSize, nameof(HiddenSize));
        Positive(Epochs, nameof(Epochs));
        AtMost(HiddenSize, MaxHiddenSize, nameof(HiddenSize));
        AtMost(Epochs, MaxEpochs, nameof(Epochs));
        Positive(BatchSize, nameof(BatchSize));
        Positive(ThreadCount, nameof(ThreadCount));
        Positive(StepDecayEpochs, nameof(StepDecayEpochs));
        Range(LearningRate, double.Epsilon, 10, nameof(LearningRate));
        Range(MinLearningRateFraction, 0, 1, nameof(MinLearningRateFraction));
        Range(StepDecayFactor, double.Epsilon, 1, nameof(StepDecayFactor));
        Range(Beta1, 0, 0.999999, nameof(Beta1));
        Range(Beta2, 0, 0.999999999, nameof(Beta2));
        Range(Epsilon, double.Epsilon, 1, nameof(Epsilon));
        Range(WeightDecay, 0, 1, nameof(WeightDecay));
        Range(GradientClipNorm, 0, double.MaxValue, nameof(GradientClipNorm));
        Range(ValidationFraction, 0, 0.9, nameof(ValidationFraction));
        if (Patience < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Patience must be at least 1 epoch.");
        }
    }

    /// <summary>The largest <see cref="HiddenSize"/>: 4096.</summary>
    public const int MaxHiddenSize = 4096;

    /// <summary>The largest <see cref="Epochs"/>: 100,000.</summary>
    public const int MaxEpochs = 100_000;

    private static void AtMost(int value, int max, string name)
    {
        if (value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at most {max}.");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
        }
    }

    private static void Range(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [{min}, {max}].");
        }
    }
}
