using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Sketching;

/// <summary>Demonstration figures for Dexter, Drineas, Woodruff and Yasuda, "Sketching Algorithms
/// for Sparse Dictionary Learning: PTAS and Turnstile Streaming" (NeurIPS 2023, arXiv:2310.19068).
/// Only the abstract is available and it reports no experiments, so every figure is a [proposal]
/// that exercises the stated bounds (paper brief §3); no constant is attributed to the paper.
/// Seeds: dataset r uses ctx.Rng("data/r"), algorithm runs ctx.Rng("run/r"), so sketched and
/// exact runs share k-means++ seeds (Lloyd uses the "lloyd" fork of the run stream).</summary>
public static partial class SketchingExperiments
{
    /// <summary>Figure id prefix.</summary>
    public const string Paper = "sketching-kmeans";

    /// <summary>Separation c of the smoke Gaussian mixtures (centres N(0, c²I), noise N(0, I)).</summary>
    public const double MixtureSeparation = 1.0;

    internal static (double Mean, double Sd) MeanSd(IReadOnlyList<double> xs) => SampleStats.MeanSd(xs);

    internal static ScatterTrace Series(string name, double[] x, IReadOnlyList<IReadOnlyList<double>> samples, string xAxis = "x", string yAxis = "y")
    {
        var stats = samples.Select(MeanSd).ToArray();
        return new ScatterTrace
        {
            Name = name, X = x, Y = stats.Select(s => s.Mean).ToArray(), ErrorY = stats.Select(s => s.Sd).ToArray(),
            XAxis = xAxis, YAxis = yAxis,
        };
    }

    internal static LabeledDataset Mixture(int n, int d, int k, Rng rng) => GaussianMixture.Generate(n, d, k, MixtureSeparation, rng);

    /// <summary>Least-squares slope of log(y) on log(x) (for reporting fitted exponents).</summary>
    internal static double LogLogSlope(double[] x, double[] y)
    {
        var pts = x.Zip(y).Where(p => p.First > 0 && p.Second > 0).Select(p => (Math.Log(p.First), Math.Log(p.Second))).ToArray();
        if (pts.Length < 2) return double.NaN;
        double mx = pts.Average(p => p.Item1), my = pts.Average(p => p.Item2);
        double sxy = pts.Sum(p => (p.Item1 - mx) * (p.Item2 - my)), sxx = pts.Sum(p => (p.Item1 - mx) * (p.Item1 - mx));
        return sxy / sxx;
    }

    /// <summary>One-sided paired comparison across seeds with common random numbers (same data, same
    /// k-means++ seeds on both sides): the mean of before − after and the margin t₀.₉₅(m−1)·sd/√m.
    /// "mean − margin &gt; 0" says the decrease exceeds the seed-to-seed noise of the paired
    /// difference at the 5 % level (Student t; m seeds).</summary>
    internal static (double Mean, double Margin) PairedDecrease(IReadOnlyList<double> before, IReadOnlyList<double> after)
    {
        if (before.Count != after.Count || before.Count < 2) throw new ArgumentException("A paired comparison needs the same seeds on both sides, at least 2.");
        var diff = before.Zip(after, (b, a) => b - a).ToArray();
        var (m, sd) = MeanSd(diff);
        return (m, TQuantile95(diff.Length - 1) * sd / Math.Sqrt(diff.Length));
    }

    /// <summary>Claim that <paramref name="after"/> is below <paramref name="before"/> by more than the seed noise.</summary>
    internal static Claim PairedDecreaseClaim(string name, IReadOnlyList<double> before, IReadOnlyList<double> after)
    {
        var (mean, margin) = PairedDecrease(before, after);
        return Claim.Greater($"{name}: paired decrease over {before.Count} seeds minus its one-sided 95 % t margin", mean - margin, 0);
    }

    /// <summary>t₀.₉₅ quantile of Student's t with <paramref name="df"/> degrees of freedom (table; 1.645 beyond 30).</summary>
    internal static double TQuantile95(int df) => df switch
    {
        1 => 6.314, 2 => 2.920, 3 => 2.353, 4 => 2.132, 5 => 2.015, 6 => 1.943, 7 => 1.895, 8 => 1.860, 9 => 1.833, 10 => 1.812,
        <= 20 => 1.75, <= 30 => 1.70, _ => 1.645,
    };

    internal static string MeanPm(IReadOnlyList<double> xs)
    {
        var (m, sd) = MeanSd(xs);
        return $"{F(m)} ± {F(sd)}";
    }

    internal static string F(double v) => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
}
