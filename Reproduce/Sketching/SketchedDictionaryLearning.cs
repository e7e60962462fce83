using Reproduce.Compute;
using Reproduce.LinearAlgebra;

namespace Reproduce.Sketching;

/// <summary>r-sparse dictionary learning through sketches [proposal, brief §2.2/§3 demo-sparse-dl]:
/// alternating minimisation runs entirely on the right-sketched data Y = AG (t columns), giving
/// every point's code U and a sketched dictionary W ≈ VG; one final decode on the left sketch
/// recovers the d-dimensional dictionary V̂ = (SU)^†SA. Seeds: initial atoms from
/// <c>rng.Fork("init")</c>, G from <c>rng.Fork("right-sketch")</c>.</summary>
public sealed class SketchedDictionaryLearning
{
    /// <summary>The alternation settings and the sketch dimension t.</summary>
    public SketchedDictionaryLearning(DictionaryLearning learner, int t)
    {
        if (t < 1) throw new ArgumentOutOfRangeException(nameof(t), t, "Sketch dimension t must be >= 1.");
        Learner = learner;
        T = t;
    }

    /// <summary>The alternating minimiser, run on AG.</summary>
    public DictionaryLearning Learner { get; }
    /// <summary>Sketch dimension t.</summary>
    public int T { get; }

    /// <summary>Fits on A through G and <paramref name="left"/>; the result's dictionary is V̂ (k×d)
    /// and its half-step costs are those of the alternation on AG.</summary>
    public DictionaryLearningResult Fit(Matrix a, Rng rng, ISketch left)
    {
        KMeans.CheckPoints(a, nameof(a));
        var g = new HashedGaussianMap(a.Cols, T, rng.Fork("right-sketch").NextUInt64());
        return FitSketches(g.Apply(a), left.Apply(a), left, rng);
    }

    /// <summary>Fits from the sketches alone (Y = AG, SA and S), as at the end of a stream.</summary>
    public DictionaryLearningResult FitSketches(Matrix y, Matrix sa, ISketch left, Rng rng)
    {
        KMeans.CheckK(Learner.K, y.Rows);
        var w0 = Ops.GatherRows(y, rng.Fork("init").SampleWithoutReplacement(y.Rows, Learner.K));
        var onSketch = Learner.FitFrom(y, w0);
        var su = left.Apply(onSketch.Codes);
        var v = DictionaryUpdate.LeastSquares(su, sa);
        return new DictionaryLearningResult(onSketch.Codes, v, onSketch.HalfStepCosts);
    }
}
