namespace Reproduce.Training;

/// <summary>The outcome of one classifier training run: the rule, the mean training loss over the
/// whole training set before training and after the last epoch, test accuracy, the final weights and
/// the wall time of each epoch (evaluation excluded).</summary>
public sealed record TrainingRun(
    string Rule, double Rho, int NumMicroBatches, ulong Seed,
    double InitialTrainLoss, double FinalTrainLoss, double TestAccuracy, double[] FinalWeights, double[] EpochSeconds)
;
