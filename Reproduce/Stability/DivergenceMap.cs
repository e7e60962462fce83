using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>The Figure-1 experiment of arXiv:2401.12332 (§5; protocol in brief §2.7): for each step
/// size η, coherence σ and batch size B, run linearized SGD on the <see cref="AxisAlignedFamily"/>
/// (n samples, λ₁(H) = λ) from w₀ ~ U(0,1)^d for a number of steps, count runs with
/// ‖w‖² ≥ 1000·‖w₀‖², and attach the theory for the cell. Cells run in parallel; every run draws from
/// its own stream <c>root.Fork("eta=…/sigma=…/B=…/rep=…")</c>, so results do not depend on threads.</summary>
public static class DivergenceMap
{
    /// <summary>Computes every cell of the grid, ordered by η, then σ, then B.</summary>
    public static DivergenceCell[] Compute(
        Rng root, int n, IReadOnlyList<double> etas, IReadOnlyList<int> sigmas, IReadOnlyList<int> batchSizes,
        int repeats, int steps, SamplingModel sampling, double lambda = 2, double divergenceFactor = 1000)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        foreach (double eta in etas) SgdNoise.CheckStepSize(eta);
        foreach (int b in batchSizes) SgdNoise.CheckBatch(n, b);
        var families = sigmas.Select(s => new AxisAlignedFamily(n, s, lambda)).ToArray();
        var ops = new SecondMomentOperator[families.Length];
        Parallel.For(0, families.Length, k => ops[k] = SecondMomentOperator.For(families[k]));
        int ns = sigmas.Count, nb = batchSizes.Count;
        var cells = new DivergenceCell[etas.Count * ns * nb];
        Parallel.For(0, cells.Length, idx =>
        {
            int e = idx / (ns * nb), s = idx / nb % ns, bi = idx % nb;
            double eta = etas[e];
            int b = batchSizes[bi];
            var family = families[s];
            var sim = new AxisAlignedSgd(family, eta, b, sampling);
            var w = new double[family.D];
            int diverged = 0;
            for (int r = 0; r < repeats; r++)
            {
                var rng = root.Fork(FormattableString.Invariant($"eta={eta}/sigma={family.Sigma}/B={b}/rep={r}"));
                rng.FillUniform(w);
                if (sim.Run(w, rng, steps, divergenceFactor).Diverged) diverged++;
            }
            double gamma = Math.Max(AxisGrowthLaw.SharedAxis(family, eta, b, sampling).LogGrowth,
                AxisGrowthLaw.PrivateAxis(family, eta, b, sampling)?.LogGrowth ?? double.NegativeInfinity);
            cells[idx] = new DivergenceCell(eta, family.Sigma, b, diverged, repeats,
                StabilityThreshold.Theorem1PredictsDivergence(lambda, family.Sigma, eta, n, b),
                ops[s].SpectralRadius(eta, b, SamplingModel.Bernoulli),
                ops[s].SpectralRadius(eta, b, SamplingModel.WithoutReplacement),
                gamma,
                DivergenceCertificate.FlaggedBound(DivergenceCertificate.RunDivergesBound(family, eta, b, sampling, divergenceFactor), repeats),
                DivergenceCertificate.MissedBound(DivergenceCertificate.RunStaysBoundedBound(family, eta, b, sampling, steps, divergenceFactor), repeats));
        });
        return cells;
    }
}
