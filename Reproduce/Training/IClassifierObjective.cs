using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>A classifier's mean cross-entropy on its training set as a function of its flat parameter
/// vector (<see cref="IBatchObjective"/>), plus what <see cref="ClassifierTraining"/> needs around the
/// steps: the model's parameters, the loss over many examples and the test accuracy. Implemented by
/// <see cref="MlpObjective"/> and <see cref="CnnObjective"/>, so SGD, SAM and mSAM train both through
/// the same wrappers.</summary>
public interface IClassifierObjective : IBatchObjective
{
    /// <summary>The model's parameters, laid out in w in this order.</summary>
    ParameterSet Parameters { get; }

    /// <summary>Mean loss at w over <paramref name="examples"/> (no gradient).</summary>
    double Loss(ReadOnlySpan<double> w, ReadOnlySpan<int> examples);

    /// <summary>Fraction of the columns of <paramref name="x"/> (features×examples, CPU) whose largest
    /// logit at w is the label.</summary>
    double Accuracy(double[] w, Matrix x, int[] labels);

    /// <summary>Every example index 0..N−1.</summary>
    int[] AllExamples() => Enumerable.Range(0, ExampleCount).ToArray();
}
