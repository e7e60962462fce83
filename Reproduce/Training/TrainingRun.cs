namespace Reproduce.Training;

/// <summary>The outcome of one classifier training run: the rule, the mean training loss over the
/// whole training set before training and after each epoch, test accuracy, the final weights and the
/// wall time of the epochs (evaluation excluded).</summary>
public sealed record TrainingRun(
    string Rule, double Rho, int NumMicroBatches, ulong Seed,
    double InitialTrainLoss, double[] EpochTrainLoss, double TestAccuracy, double[] FinalWeights, double[] EpochSeconds)
{
    /// <summary>Training loss after the last epoch.</summary>
    public double FinalTrainLoss => EpochTrainLoss[^1];
}
