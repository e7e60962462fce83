namespace Reproduce.Training;

/// <summary>Hyperparameters of one classifier training run: <paramref name="Epochs"/> passes over a
/// fresh permutation of the training set in batches of <paramref name="BatchSize"/> (the last,
/// incomplete batch of each epoch is dropped so that every batch splits into m micro-batches), SGD
/// with heavy-ball <paramref name="Momentum"/> and L2 <paramref name="WeightDecay"/> at a constant
/// <paramref name="LearningRate"/>.</summary>
public sealed record TrainingSettings(int Epochs, int BatchSize, double LearningRate, double Momentum, double WeightDecay)
{
    /// <summary>Throws, naming the field, when a setting is out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train for at least one epoch.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        if (Momentum is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        if (WeightDecay < 0 || !double.IsFinite(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must be finite and ≥ 0.");
    }
}
