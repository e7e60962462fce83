using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using static Reproduce.LinearProgramming.IpmRuns;

namespace Reproduce.LinearProgramming;

public static partial class IpmExperiments
{
    /// <summary>Chebyshev iteration vs PCG on one late-iteration sketch-preconditioned system, against the ζᵗ bound.</summary>
    [Experiment("ipm/demo-cheb", "Chebyshev vs PCG on the preconditioned normal equations (proposal)")]
    public static FigureResult ChebyshevDemo(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int m = ctx.Pick(12, 50), nf = ctx.Pick(600, 5000), w = ctx.Pick(1100, 4000);
        var lp = SvmLpGenerator.Generate(SvmDataset.Arcene, m, nf, ctx.Rng("cheb/problem"));
        var r = InteriorPointSolver.Solve(lp, IpmOptions.Paper(w) with { Solver = NormalSolverKind.Cholesky });
        var d2 = r.StandardX.Zip(r.StandardS, (x, s) => x / s).ToArray();
        var d = d2.Select(Math.Sqrt).ToArray();
        var wm = new SketchMatrix(SketchKind.Gaussian, lp.Cols, w, ctx.Rng("cheb/sketch"));
        var ad = lp.A.ScaledDense(d);
        var (_, _, v) = Ops.Svd(ad);
        var vtw = Ops.MatMul(v, wm.ToDense(), transA: true);
        var e = Ops.Sub(Ops.Gram(vtw, outer: true), Matrix.Identity(m));
        double embed = Ops.SymmetricEigen(e).Values.ToArray().Select(Math.Abs).Max();
        double zeta = 2 * embed;
        var adw = wm.SketchScaled(lp.A, d);
        var q = new SketchPreconditioner(adw);
        var p = ctx.Rng("cheb/rhs").NormalMatrix(m, 1).ToArray();
        Func<double[], double[]> k = u => lp.A.NormalProduct(d2, u);
        int t = ctx.Pick(20, 30);
        var pcg = PreconditionedConjugateGradient.Solve(k, p, q.ApplyInverse, 0, t, CgStoppingNorm.Preconditioned, fixedIterations: t);
        var g = q.ApplyInverseSqrt(p);
        Func<double[], double[]> b = z => q.ApplyInverseSqrt(k(q.ApplyInverseSqrt(z)));
        var chebTheory = ChebyshevIteration.Solve(b, g, 1 / (1 + zeta / 2), 1 / (1 - zeta / 2), 0, t, fixedIterations: t);
        var sv = q.ApplyInverseSqrt(p); // placeholder to keep q warm
        var pk = Ops.MatMul(Ops.MatMul(q.InverseSqrtMatrix(), lp.A.NormalMatrix(d2)), q.InverseSqrtMatrix());
        var ev = Ops.SymmetricEigen(Ops.Scale(Ops.Add(pk, Ops.Transpose(pk)), 0.5)).Values.ToArray();
        // Oracle (brief): a QR preconditioner R from (A D W)ᵀ = Q_w R has RᵀR = A D W Wᵀ D Aᵀ, so R⁻ᵀ (A D² Aᵀ) R⁻¹ is similar to
        // Q^-1/2 (A D² Aᵀ) Q^-1/2 (built from the SVD): the two spectra must agree to rounding.
        var evQr = QrPreconditionedSpectrum(adw, lp.A.NormalMatrix(d2));
        double spectrumGap = ev.Order().Zip(evQr, (x, y) => Math.Abs(x - y)).Max() / ev.Max();
        var chebMeasured = ChebyshevIteration.Solve(b, g, ev.Min(), ev.Max(), 0, t, fixedIterations: t);
        var table = new Table("iteration", "pcg", "chebyshev_theory_interval", "chebyshev_measured_interval", "zeta_bound");
        double r0 = pcg.PreconditionedResidualHistory[0];
        var claims = new List<Claim>();
        bool pcgOk = true, chOk = true;
        var bound = new double[t + 1];
        for (int j = 0; j <= t; j++)
        {
            bound[j] = Math.Pow(zeta, j) * r0;
            double a = Hist(pcg.PreconditionedResidualHistory, j), c1 = Hist(chebTheory.PreconditionedResidualHistory, j), c2 = Hist(chebMeasured.PreconditionedResidualHistory, j);
            table.Add(j, a, c1, c2, bound[j]);
            if (j >= 1 && a > bound[j] * (1 + 1e-9) && a > 1e-13 * r0) pcgOk = false;
            if (j >= 1 && c1 > bound[j] * (1 + 1e-9) && c1 > 1e-13 * r0) chOk = false;
        }
        // The embedding error is a precondition of Lemma 2 (w is chosen large enough), not a result: it becomes a claim
        // only when it fails, so that the bound claims below are never checked outside the lemma's hypothesis.
        if (embed > 0.25) claims.Add(Claim.LessOrEqual("precondition violated: embedding error ‖VᵀWWᵀV − I‖₂ ≤ 1/4 (choose a larger w)", embed, 0.25));
        claims.Add(Claim.That("PCG preconditioned residual ≤ ζᵗ‖Q^-1/2 p‖ (ζ = 2·embedding error)", pcgOk));
        claims.Add(Claim.That("Chebyshev (theoretical interval) residual ≤ ζᵗ‖Q^-1/2 p‖", chOk));
        claims.Add(Claim.LessOrEqual("QR vs SVD preconditioner: max |λᵢ(R⁻ᵀKR⁻¹) − λᵢ(Q^-1/2KQ^-1/2)| / λ_max", spectrumGap, 1e-8));
        // Lemma 2: with embedding error ≤ ζ/2 the preconditioned spectrum lies in [1/(1 + ζ/2), 1/(1 − ζ/2)].
        bool inInterval = ev.Min() >= 1 / (1 + zeta / 2) * (1 - 1e-9) && ev.Max() <= 1 / (1 - zeta / 2) * (1 + 1e-9);
        claims.Add(Claim.That("Lemma 2: preconditioned spectrum inside [1/(1 + ζ/2), 1/(1 − ζ/2)]", inInterval, "inside", $"[{F(ev.Min())}, {F(ev.Max())}] vs [{F(1 / (1 + zeta / 2))}, {F(1 / (1 - zeta / 2))}]"));
        var verdict = Verdict.Demonstrate(
            "with ‖VᵀWWᵀV − I‖₂ ≤ ζ/2, PCG and Chebyshev on Lemma 2's interval reduce the preconditioned residual at least like ζᵗ (the paper's convergence argument, shown on one system).",
            $"embedding error {F(embed)} (ζ = {F(zeta)}), spectrum [{F(ev.Min())}, {F(ev.Max())}]; after {t} steps PCG {F(table.Numbers("pcg")[^1] / r0)}·r₀, Chebyshev {F(table.Numbers("chebyshev_theory_interval")[^1] / r0)}·r₀ against ζᵗ = {F(Math.Pow(zeta, t))}; "
            + $"bound held at every step: PCG {(pcgOk ? "yes" : "no")}, Chebyshev {(chOk ? "yes" : "no")}; QR and SVD preconditioned spectra agree to {F(spectrumGap)}.");
        var fig = new Figure("ipm/demo-cheb", $"Preconditioned residual vs inner iteration (m = {m}, n = {lp.Cols}, w = {w}, final IPM iterate)");
        var xs = Enumerable.Range(0, t + 1).Select(j => (double)j).ToArray();
        fig.Add(new ScatterTrace { Name = "PCG", X = xs, Y = table.Numbers("pcg") });
        fig.Add(new ScatterTrace { Name = "Chebyshev, theoretical interval", X = xs, Y = table.Numbers("chebyshev_theory_interval") });
        fig.Add(new ScatterTrace { Name = "Chebyshev, measured interval", X = xs, Y = table.Numbers("chebyshev_measured_interval") });
        fig.Add(new ScatterTrace { Name = "ζᵗ‖Q^-1/2 p‖", X = xs, Y = bound, Dash = "dash", Color = "black", Mode = "lines" });
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.X().Title = "inner iteration t"; fig.Layout.Y().Title = "‖Q^-1/2 (p − A D² Aᵀ Δy_t)‖";
        _ = sv;
        return new FigureResult(fig, table, claims, $"Measured embedding error {F(embed)}, ζ = {F(zeta)}; measured spectrum [{F(ev.Min())}, {F(ev.Max())}]. The measured interval uses exact extreme eigenvalues (a proposal; a few Lanczos steps would do in practice).", verdict);
    }

    /// <summary>Eigenvalues (ascending) of R⁻ᵀ K R⁻¹ with R the triangular factor of (A D W)ᵀ.</summary>
    private static double[] QrPreconditionedSpectrum(Matrix adw, Matrix k)
    {
        var (_, r) = Ops.Qr(Ops.Transpose(adw));
        var x = Ops.TriangularSolve(r, k, lower: false, transpose: true);                 // Rᵀ X = K
        var y = Ops.TriangularSolve(r, Ops.Transpose(x), lower: false, transpose: true);  // Rᵀ Y = Xᵀ = K R⁻¹, so Y = R⁻ᵀ K R⁻¹
        var sym = Ops.Scale(Ops.Add(y, Ops.Transpose(y)), 0.5);
        return Ops.SymmetricEigen(sym).Values.ToArray().Order().ToArray();
    }

    private static double Hist(IReadOnlyList<double> h, int j) => j < h.Count ? h[j] : h[^1];
}
