namespace Clv.Modeling.Lstm;

/// <summary>What one epoch of training achieved, reported through the progress callback.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainingLoss">Mean per-row loss over the epoch's minibatches.</param>
/// <param name="ValidationLoss">Mean per-row loss on the held-out rows after the epoch; <see cref="double.NaN"/> without a validation split.</param>
/// <param name="LearningRate">Learning rate used during the epoch.</param>
/// <param name="SamplesPerSecond">Training rows processed per second (forward, backward and update).</param>
/// <param name="IsBest">Whether this epoch's weights are the best so far (the ones kept).</param>
public sealed record TrainingEpoch(int Epoch, double TrainingLoss, double ValidationLoss, double LearningRate, double SamplesPerSecond, bool IsBest);
