using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using static Reproduce.LinearProgramming.IpmRuns;

namespace Reproduce.LinearProgramming;

/// <summary>Experiments of Chowdhury, Dexter, London, Avron, Drineas, "Faster Randomized Interior Point Methods for
/// Tall/Wide Linear Programs" (JMLR 2022) and the reconstructed inexact predictor–corrector study of Dexter et al.
/// (ICML 2022). All problems are synthetic stand-ins (brief §5): results are not the real data sets' results.</summary>
public static partial class IpmExperiments
{
    private static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Sketch seeds per sketched setting in Table 1 and Figure 1 (the paper states no repeat count; three show the spread).</summary>
    private const int SketchSeeds = 3;

    private static double Sd(double[] v)
    {
        if (v.Length < 2) return 0;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1));
    }
}
