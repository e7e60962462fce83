using System.Globalization;
using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Logistic;

/// <summary>Experiments of Dexter, Drineas, Khanna, "The Space Complexity of Approximating Logistic Loss" (NeurIPS 2024):
/// Fig. 1a (exact μ on row subsamples of the synthetic generator vs the full-data μ and the Munteanu et al. bounds),
/// a Fig. 1b stand-in on Fashion-MNIST (KDDCup99 is not obtainable), and two proposed demos standing in for the
/// unavailable P2 (Dexter, Khanna, Raheel, Drineas 2023): coreset quality against size and the feature-space forward
/// error bound (P1 Appendix D). Choices where the papers are silent are stated in each figure's notes.</summary>
public static partial class LogisticExperiments
{
    private const double Delta = 0.1;
    /// <summary>Largest subsample on which the Big-M MIP is attempted (CBC's root LP alone outlasts the limit above this at d = 100).</summary>
    private const int MipMaxRows = 2048;
    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Fig. 1a: μ on row subsamples ("sketches") of size n′ of the synthetic generator.</summary>
    [Experiment("logistic-complexity/fig1a", "Exact μ on row subsamples vs full data and the Munteanu et al. bounds (synthetic, Fig. 1a)")]
    public static FigureResult Fig1a(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int n = ctx.Pick(2000, 10_000), d = ctx.Pick(20, 100), repeats = ctx.Pick(3, 20); // paper: 20 repeats
        int[] sizes = ctx.Pick(new[] { 256, 512, 1024 }, new[] { 512, 1024, 2048, 4096, 8192 });
        var data = SyntheticLogistic.Generate(n, d, ctx.Rng("data"), device: ctx.Device);
        return SubsampleFigure(ctx, "logistic-complexity/fig1a", $"μ on row subsamples, synthetic n = {n}, d = {d}", data, sizes, repeats, balanced: false,
            proxyRows: 0, mipSeconds: ctx.Pick(2.0, 20.0),
            $"Generator §5.1 (xᵢ ~ N(0, I), unit β₀ drawn from N(0, I) and normalised, yᵢ = sign(β₀ᵀxᵢ − εᵢ)); 'sketch' = uniform row subsample without replacement; "
            + $"exact μ by the LAD form on the bounded IPM; U = FastL1Basis via the Fast Cauchy Transform with r = min(n′, 4d) rows; Munteanu lower = t (the MIP optimum, as P1 §4 plots), "
            + $"upper = t·d·ln(d/δ) with δ = {Delta} (natural log; P1 gives no constant); Big-M MIP (M = 2) by CBC on the first repeat of each n′ ≤ {MipMaxRows} under a {ctx.Pick(2, 20)} s limit (larger n′: CBC's root LP alone exceeded the limit); the scale-free ratio ‖(Uβ_t)⁺‖₁/‖(Uβ_t)⁻‖₁ is a certified lower bound on μ. Error bars: ±1 standard deviation over {repeats} repeats.");
    }

    /// <summary>Fig. 1b stand-in: Fashion-MNIST (PCA to 33, class 1 vs rest, 3.4 % positives) instead of KDDCup99.</summary>
    [Experiment("logistic-complexity/fig1b", "μ on subsets of an imbalanced real data set (Fashion-MNIST stand-in for KDDCup, Fig. 1b)")]
    public static FigureResult Fig1b(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        // Paper scale needs the Debian package (all 70 000 images); smoke scale uses its 10 000-image test split, or the
        // committed 2 000-image subset where the package is missing, so a fresh clone's smoke run still passes (said in the notes).
        var why = FashionMnistStandIn.MissingReason();
        if (why is not null && ctx.IsPaper)
            return new FigureResult(new Figure("logistic-complexity/fig1b", "Fashion-MNIST stand-in not available"), new Table("note"),
                [Claim.That("Fashion-MNIST available", false, "installed", why)], why);
        var split = ctx.IsPaper ? FashionMnistSplit.All : why is null ? FashionMnistSplit.Test : FashionMnistSplit.Subset;
        var data = FashionMnistStandIn.Load(ctx.Rng("fashion"), split);
        int[] sizes = ctx.Pick(new[] { 256, 512, 1024 }, new[] { 1024, 2048, 4096, 8192 });
        return SubsampleFigure(ctx, "logistic-complexity/fig1b", $"μ on subsets, Fashion-MNIST stand-in (n = {data.Rows}, d = {data.Cols}, {data.Y.Count(v => v > 0)} positives)",
            data, sizes, ctx.Pick(3, 20), balanced: true, proxyRows: ctx.Pick(4096, 16384), mipSeconds: ctx.Pick(0.0, 10.0),
            "Stand-in for KDDCup99 SA (not obtainable): Fashion-MNIST (Debian dataset-fashion-mnist; smoke: the 10 000-image test split, paper: all 70 000 images), PCA to 33 z-scored components "
            + "(KDD SA has 33 continuous features), class 1 (Trouser) = +1 vs the rest, positives subsampled to 3.4 % (as KDD SA), no intercept. Subsets: up to n′/2 positives (all if fewer), filled with negatives, "
            + "as P1 describes. ExactFull proxy = μ of one random subsample of the stated size (P1 used 16 384 rows); the μ of the whole stand-in set (LAD form) is reported beside it. "
            + "Subsets that are separable through the origin have μ = ∞ and are left out of the means (counted in the table)."
            + (split == FashionMnistSplit.Subset ? $" This run: the package is missing ({why}), so the committed 2 000-image subset was used." : ""));
    }

    private static FigureResult SubsampleFigure(RunContext ctx, string id, string title, LogisticData data, int[] sizes, int repeats, bool balanced, int proxyRows, double mipSeconds, string notes)
    {
        var z = data.Z();
        int n = data.Rows, d = data.Cols;
        ctx.Report($"{id}: exact μ on the full data ({n}×{d})");
        var full = Mu.Lad(z);
        double fullMu = full.Value, proxyMu = double.NaN;
        if (proxyRows > 0 && proxyRows < n)
        {
            var pidx = ctx.Rng("proxy").SampleWithoutReplacement(n, proxyRows);
            proxyMu = Mu.Lad(Ops.GatherRows(z, pidx)).Value;
        }
        var table = new Table("n_prime", "repeat", "exact_sketched", "exact_full", "proxy_full", "appr_lower_t", "appr_upper", "mip_ratio_bound", "mip_gap", "mip_status", "lad_seconds");
        var claims = new List<Claim>();
        var pos = Enumerable.Range(0, n).Where(i => data.Y[i] > 0).ToArray();
        var neg = Enumerable.Range(0, n).Where(i => data.Y[i] < 0).ToArray();
        bool cbc = MunteanuMip.IsAvailable && mipSeconds > 0;
        var means = new List<double>(); var sds = new List<double>(); var lowerT = new List<double>(); var upperT = new List<double>(); var ratioB = new List<double>();
        int mipRuns = 0, mipOptimal = 0, upperValid = 0, upperInvalid = 0; var mipMeasured = new List<string>();
        double factor = d * Math.Log(d / Delta);
        string projectorNote = "";
        foreach (var np in sizes)
        {
            var vals = new List<double>();
            double tFirst = double.NaN, rFirst = double.NaN;
            for (int r = 0; r < repeats; r++)
            {
                ctx.Report($"{id}: n′ = {np}, repeat {r + 1}/{repeats}");
                var rng = ctx.Rng($"sub/{np}/{r}");
                int[] idx;
                if (!balanced) idx = rng.SampleWithoutReplacement(n, np);
                else
                {
                    int kp = Math.Min(pos.Length, np / 2);
                    var ps = rng.Fork("p").SampleWithoutReplacement(pos.Length, kp).Select(i => pos[i]);
                    var ns = rng.Fork("n").SampleWithoutReplacement(neg.Length, np - kp).Select(i => neg[i]);
                    idx = ps.Concat(ns).ToArray();
                }
                var zs = Ops.GatherRows(z, idx);
                var res = Mu.Lad(zs);
                double t = double.NaN, up = double.NaN, ratio = double.NaN, gap = double.NaN; string status = "not run";
                if (r == 0 && cbc && np <= MipMaxRows)
                {
                    var (u, _) = L1Basis.Compute(zs, rng.Fork("fct"));
                    var mip = MunteanuMip.Solve(u, mipSeconds);
                    ratio = mip.RatioBound; gap = mip.Gap; status = mip.Status; mipRuns++;
                    // ‖(Uβ)⁺‖₁/‖(Uβ)⁻‖₁ at any β is a lower bound on μ (certified whatever CBC's status): an oracle on the exact μ.
                    if (double.IsFinite(ratio) && !res.Separable)
                        claims.Add(Claim.LessOrEqual($"n′ = {np}: MIP scale-free ratio bound ≤ exact μ of the same subsample", ratio, res.Value * (1 + 1e-8)));
                    // Munteanu's bounds are functions of the MIP optimum t; an incumbent of an unfinished search is not t,
                    // so they are plotted (and their upper bound checked against the exact μ) only for proven optima.
                    if (mip.Optimal && double.IsFinite(mip.Incumbent))
                    {
                        mipOptimal++;
                        t = mip.Incumbent; up = t * factor;
                        if (!res.Separable)
                        {
                            claims.Add(Claim.GreaterOrEqual($"n′ = {np}: Munteanu upper bound t·d·ln(d/δ) ≥ exact μ of the same subsample", up, res.Value));
                            if (up >= res.Value) upperValid++; else upperInvalid++;
                        }
                    }
                    mipMeasured.Add($"n′ = {np}: CBC {status}, gap {F(gap)}" + (mip.Optimal ? $", t = {F(mip.Incumbent)}, upper {F(mip.Incumbent * factor)} vs exact μ {F(res.Value)}" : ""));
                    tFirst = t; rFirst = ratio;
                }
                // P1's own LP (Appendix B, dense n′×n′ projector) on the first repeat of the smallest size up to 512 rows: the
                // figure's exact μ comes from the derived LAD form, so the paper's form is checked against it where it is affordable.
                if (r == 0 && np == sizes[0] && np <= 512 && !res.Separable)
                {
                    var p1 = Mu.ProjectorLp(zs);
                    claims.Add(Claim.Near($"n′ = {np}: P1's projector LP gives the LAD form's μ (IPM tolerance 1e-11; 1e-7 relative)", p1.Value, res.Value, rel: 1e-7));
                    projectorNote = $" P1's projector LP at n′ = {np}: μ = {F(p1.Value)} in {p1.Seconds:F1} s (LAD form {F(res.Value)}).";
                }
                table.Add(np, r, res.Value, fullMu, proxyMu, t, up, ratio, gap, status, res.Seconds);
                if (!res.Separable) vals.Add(res.Value);
            }
            double mean = vals.Count > 0 ? vals.Average() : double.NaN;
            double sd = vals.Count > 1 ? Math.Sqrt(vals.Sum(v => (v - mean) * (v - mean)) / (vals.Count - 1)) : 0;
            means.Add(mean); sds.Add(sd); lowerT.Add(tFirst); upperT.Add(tFirst * factor); ratioB.Add(rFirst);
        }
        var xs = sizes.Select(v => (double)v).ToArray();
        var fig = new Figure(id, title);
        fig.Add(new ScatterTrace { Name = "ExactSketched (mean ± sd)", X = xs, Y = means.ToArray(), ErrorY = sds.ToArray() });
        fig.Add(new ScatterTrace { Name = "ExactFull", X = xs, Y = xs.Select(_ => fullMu).ToArray(), Mode = "lines", Dash = "dash" });
        if (double.IsFinite(proxyMu)) fig.Add(new ScatterTrace { Name = $"ExactFull proxy ({proxyRows} rows)", X = xs, Y = xs.Select(_ => proxyMu).ToArray(), Mode = "lines", Dash = "dot" });
        // Sizes where CBC did not prove optimality (or was not run) have no t: those points are left out.
        var optionalTraces = cbc
            ? new[]
            {
                ScatterTrace.OfFinitePoints("ApprSketchedLower (t, proven-optimal MIPs only)", xs, lowerT.ToArray()),
                ScatterTrace.OfFinitePoints("ApprSketchedUpper (t·d·ln(d/δ))", xs, upperT.ToArray()),
                ScatterTrace.OfFinitePoints("certified lower bound ‖(Uβ)⁺‖₁/‖(Uβ)⁻‖₁ at the MIP's β", xs, ratioB.ToArray()),
            }
            : [];
        foreach (var trace in optionalTraces.OfType<ScatterTrace>()) fig.Add(trace);
        fig.Layout.X().Title = "rows in the subsample n′"; fig.Layout.X().Type = AxisType.Log; fig.Layout.Y().Title = "μ";
        claims.Add(Claim.That("μ of the full data is finite", double.IsFinite(fullMu), "finite", F(fullMu)));
        // Subsampling biases μ upward (a subsample's sup is over fewer negative terms). Paired over repeats would need
        // nested subsamples; instead the two extreme sizes are compared with their seed spread: the drop must exceed
        // two standard errors of the difference, so noise alone does not pass it.
        // With the smoke scale's 3 repeats such a test has little power, so it is a claim at paper scale (20 repeats, as P1)
        // and a reported number at smoke scale.
        double se = Math.Sqrt(sds[0] * sds[0] / repeats + sds[^1] * sds[^1] / repeats);
        double drop = (means[0] - means[^1]) / Math.Max(se, 1e-300);
        if (ctx.IsPaper)
            claims.Add(Claim.Greater($"mean ExactSketched at the smallest n′ − at the largest n′, in standard errors of the difference ({repeats} repeats)", drop, 2));
        claims.Add(Claim.Greater("mean ExactSketched at the smallest n′ exceeds ExactFull", means[0], double.IsFinite(proxyMu) ? Math.Min(proxyMu, fullMu) : fullMu));
        if (ctx.IsPaper && !balanced)
        {
            claims.Add(Claim.Near("mean ExactSketched at n′ = 8192 within 5 % of ExactFull", means[^1], fullMu, 0.05));
            claims.Add(Claim.InRange("ExactFull inside the paper's axis range", fullMu, -2, 14));
        }
        if (!cbc) notes += " CBC: " + (MunteanuMip.IsAvailable ? "not run at this scale." : MunteanuMip.MissingReason + ".");
        notes += $" Measured: μ(full) = {F(fullMu)} ({full.Seconds:F2} s, {full.Iterations} IPM iterations)" + (double.IsFinite(proxyMu) ? $", proxy μ on {proxyRows} rows = {F(proxyMu)}." : ".") + projectorNote;
        double reference = double.IsFinite(proxyMu) ? proxyMu : fullMu;
        bool biasShown = drop > 2 && means[0] > Math.Min(reference, fullMu);
        string exactPart = $"drop from the smallest to the largest n′ = {F(drop)} standard errors (upward bias shown when > 2); mean exact μ of subsamples {string.Join(" / ", means.Select(F))} (± {string.Join(" / ", sds.Select(F))} sd, {repeats} repeats; the paper uses 20) at n′ = {string.Join(" / ", sizes)}, against μ(full) = {F(fullMu)}"
            + (double.IsFinite(proxyMu) ? $" (proxy {F(proxyMu)})" : "");
        string mipPart = !cbc ? "the Munteanu et al. MIP was not run (" + (MunteanuMip.IsAvailable ? "not at this scale" : "CBC missing") + ")"
            : $"Munteanu et al. MIP: {mipOptimal} of {mipRuns} CBC solves proven optimal within {F(mipSeconds)} s; upper bound ≥ exact μ in {upperValid}, below it in {upperInvalid} ({string.Join("; ", mipMeasured)})";
        var verdict = Verdict.Judge(
            "exact μ of row subsamples stays close to the full-data μ (slightly above it, approaching it as n′ grows), while the Munteanu et al. approximation (MIP optimum t, bounds t and t·d·ln(d/δ)) is loose on both sides.",
            exactPart + "; " + mipPart + ".",
            reproduced: biasShown && cbc && mipOptimal == mipRuns && mipRuns > 0 && upperInvalid == 0,
            partly: biasShown);
        return new FigureResult(fig, table, claims, notes, verdict);
    }

    /// <summary>Coreset quality against size (proposed demo; P2's experiments are not available): loss ratio of the coreset
    /// minimiser on the full data and the worst relative loss error over probe βs, for uniform, √leverage + 1/n and ℓ1
    /// Lewis-weight sampling.</summary>
    [Experiment("logistic-complexity/coreset", "Coreset quality against size: uniform, sensitivity (√leverage + 1/n), ℓ1 Lewis weights")]
    public static FigureResult Coresets(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int n = ctx.Pick(2000, 10_000), d = ctx.Pick(20, 100), repeats = ctx.Pick(3, 10);
        int[] sizes = ctx.Pick(new[] { 64, 128, 256, 512 }, new[] { 256, 512, 1024, 2048, 4096, 8192 });
        const double l2 = 1e-3;
        var data = SyntheticLogistic.Generate(n, d, ctx.Rng("data"), device: ctx.Device);
        var z = data.Z();
        var opt = LogisticRegression.Solve(z, null, l2);
        var probeRng = ctx.Rng("probes");
        var probes = new List<double[]> { opt.Beta };
        for (int k = 0; k < 10; k++)
        {
            var b = new double[d]; probeRng.FillNormal(b); double nb = Linalg.Norm(b);
            probes.Add(b.Select(v => v / nb * (k % 2 == 0 ? 1 : 5)).ToArray());
        }
        var table = new Table("method", "m", "repeat", "loss_ratio_minus_1", "worst_relative_error");
        var claims = new List<Claim>();
        var fig = new Figure("logistic-complexity/coreset", $"Coreset quality, synthetic n = {n}, d = {d}");
        fig.Layout.Grid(1, 2);
        fig.Layout.X(1).Title = "coreset size m"; fig.Layout.X(1).Type = AxisType.Log; fig.Layout.Y(1).Title = "L(β̂)/L(β*) − 1"; fig.Layout.Y(1).Type = AxisType.Log;
        fig.Layout.X(2).Title = "coreset size m"; fig.Layout.X(2).Type = AxisType.Log; fig.Layout.Y(2).Title = "worst relative loss error over probes"; fig.Layout.Y(2).Type = AxisType.Log;
        double minRatio = double.PositiveInfinity;
        var lewis = CoresetSampler.L1LewisWeights(z);
        var summary = new List<string>(); bool falls = true;
        foreach (var method in new[] { "uniform", "sqrt-leverage", "lewis" })
        {
            var mr = new List<double>(); var sr = new List<double>(); var mw = new List<double>();
            foreach (var m in sizes)
            {
                var rs = new List<double>(); var ws = new List<double>();
                for (int r = 0; r < repeats; r++)
                {
                    var rng = ctx.Rng($"coreset/{method}/{m}/{r}");
                    var cs = method switch
                    {
                        "uniform" => CoresetSampler.Uniform(n, m, rng),
                        "sqrt-leverage" => CoresetSampler.Sensitivity(z, m, rng),
                        _ => SampleLewis(lewis, m, rng),
                    };
                    var (ratio, worst, _) = CoresetQuality.Evaluate(z, cs, opt.Loss, probes, l2);
                    minRatio = Math.Min(minRatio, ratio);
                    rs.Add(ratio - 1); ws.Add(worst);
                    table.Add(method, m, r, ratio - 1, worst);
                }
                mr.Add(rs.Average()); sr.Add(Sd(rs)); mw.Add(ws.Average());
            }
            var xs = sizes.Select(v => (double)v).ToArray();
            fig.Add(new ScatterTrace { Name = method, X = xs, Y = mr.ToArray(), ErrorY = sr.ToArray(), LegendGroup = method });
            fig.Add(new ScatterTrace { Name = method + " (probe error)", X = xs, Y = mw.ToArray(), XAxis = "x2", YAxis = "y2", LegendGroup = method, ShowLegend = false });
            // Coreset theory: the excess loss shrinks as m grows (ε² ∝ 1/m). Between the extreme sizes the mean must fall by more
            // than two standard errors of the difference, so that noise alone does not pass the claim.
            double seDiff = Math.Sqrt(sr[0] * sr[0] / repeats + sr[^1] * sr[^1] / repeats);
            claims.Add(Claim.Greater($"{method}: (mean excess loss at m = {sizes[0]} − at m = {sizes[^1]}) in standard errors of the difference", (mr[0] - mr[^1]) / Math.Max(seDiff, 1e-300), 2));
            summary.Add($"{method}: mean L(β̂)/L(β*) − 1 from {F(mr[0])} (m = {sizes[0]}) to {F(mr[^1])} (m = {sizes[^1]})");
            falls &= (mr[0] - mr[^1]) > 2 * seDiff;
        }
        // L(β̂) ≥ L(β*) holds for any β̂ when β* is the minimiser: a check of the optimiser, not of the coresets.
        claims.Add(Claim.GreaterOrEqual("optimiser check: every loss ratio L(β̂)/L(β*) ≥ 1 (β* minimises the full loss)", minRatio, 1 - 1e-9));
        var verdict = Verdict.Demonstrate("P2 (abstract only): coresets of size m give a (1 + ε)-approximation of the logistic loss with ε shrinking as m grows; sensitivity and Lewis-weight sampling should beat uniform sampling.",
            string.Join("; ", summary) + $"; the excess loss falls beyond two standard errors for every method: {(falls ? "yes" : "no")}.");
        return new FigureResult(fig, table, claims,
            $"Proposed demo (P2's experiments are missing). Generator §5.1; i.i.d. sampling with replacement, weights 1/(m pᵢ); ℓ2 = {l2} in every fit (small coresets can be separable); "
            + "probes: β* and 10 random directions with norms 1 and 5; Lewis weights by 20 fixed-point iterations. Error bars: ±1 sd.", verdict);
    }

    private static Coreset SampleLewis(double[] w, int m, Rng rng)
    {
        double s = w.Sum(); var p = w.Select(v => v / s).ToArray();
        var idx = rng.SampleWithReplacement(p, m);
        return new Coreset("lewis", idx, idx.Select(i => 1.0 / (m * p[i])).ToArray());
    }

    /// <summary>Feature-space sketching forward error (P1 Appendix D; proxy for P2): |L(β;X) − L(β;X̃)| against
    /// √n‖X − X̃‖₂‖β‖₂ for rank-k SVD truncation, leverage-score column selection and Gaussian random projection.</summary>
    [Experiment("logistic-complexity/sketch", "Feature-space sketching: loss error vs the bound √n‖X − X̃‖₂‖β‖₂")]
    public static FigureResult FeatureSketching(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int n = ctx.Pick(2000, 10_000), d = ctx.Pick(20, 100);
        var data = SyntheticLogistic.Generate(n, d, ctx.Rng("data"), device: ctx.Device);
        var x = data.X;
        var opt = LogisticRegression.Solve(data.Z(), null, 1e-3);
        var betas = new List<(string, double[])> { ("β*", opt.Beta) };
        var br = ctx.Rng("betas");
        foreach (var norm in new[] { 0.1, 1, 10 })
        {
            var b = new double[d]; br.FillNormal(b); double nb = Linalg.Norm(b);
            betas.Add(($"random ‖β‖ = {norm}", b.Select(v => v / nb * norm).ToArray()));
        }
        var ks = new[] { 1, d / 4, d / 2, 3 * d / 4 }.Distinct().Where(k => k >= 1).ToArray();
        var table = new Table("method", "k", "beta", "bound", "error", "ratio");
        var fig = new Figure("logistic-complexity/sketch", $"Forward error of feature sketching, synthetic n = {n}, d = {d}");
        double worst = 0; int points = 0;
        var all = new List<double>();
        foreach (var method in new[] { "svd", "leverage-columns", "gaussian-projection" })
        {
            var bx = new List<double>(); var ey = new List<double>(); var txt = new List<string>();
            foreach (var k in ks)
            {
                var rng = ctx.Rng($"sketch/{method}/{k}");
                var approx = method switch
                {
                    "svd" => FeatureSketch.SvdTruncation(x, k),
                    "leverage-columns" => FeatureSketch.LeverageColumnSelection(x, k, rng).Approx,
                    _ => FeatureSketch.RandomProjection(x, k, rng),
                };
                double sn = FeatureSketch.SpectralNorm(Ops.Sub(x, approx));
                foreach (var (name, b) in betas)
                {
                    var (err, bound) = FeatureSketch.ForwardError(x, approx, data.Y, b, sn);
                    table.Add(method, k, name, bound, err, err / bound);
                    worst = Math.Max(worst, err / bound); points++;
                    bx.Add(bound); ey.Add(Math.Max(err, 1e-12)); txt.Add($"k={k}, {name}");
                    all.Add(bound);
                }
            }
            fig.Add(new ScatterTrace { Name = method, X = bx.ToArray(), Y = ey.ToArray(), Mode = "markers", Text = txt.ToArray() });
        }
        double lo = all.Min(), hi = all.Max();
        fig.Add(new ScatterTrace { Name = "y = x (the bound)", X = [lo, hi], Y = [lo, hi], Mode = "lines", Dash = "dash", Color = "black" });
        fig.Layout.X().Title = "√n‖X − X̃‖₂‖β‖₂"; fig.Layout.X().Type = AxisType.Log;
        fig.Layout.Y().Title = "|L(β;X) − L(β;X̃)|"; fig.Layout.Y().Type = AxisType.Log;
        // The bound holds for every β by the 1-Lipschitz argument, so it checks the implementation (of the loss, the
        // spectral norm and the sketches), not the paper's claim; the SVD row adds an oracle that can fail for a wrong
        // truncation: Eckart–Young makes ‖X − X_k‖₂ = σ_{k+1}, so the rank-k SVD error is the smallest of the three methods.
        var bnd = table.Numbers("bound"); var methods = table.Strings("method"); var kcol = table.Numbers("k");
        double svdWorse = 0;
        foreach (var k in ks)
        {
            double At(string mth) => Enumerable.Range(0, table.RowCount).Where(i => methods[i] == mth && kcol[i] == k).Select(i => bnd[i]).Min();
            svdWorse = Math.Max(svdWorse, At("svd") / Math.Min(At("leverage-columns"), At("gaussian-projection")));
        }
        var claims = new List<Claim>
        {
            Claim.LessOrEqual($"every one of {points} points on or below y = x (max error/bound)", worst, 1 + 1e-12),
            Claim.LessOrEqual("Eckart–Young: at every k, the SVD's ‖X − X̃‖₂ bound / the best other method's (same β set)", svdWorse, 1 + 1e-9),
        };
        var verdict = Verdict.Demonstrate("P1 Appendix D: |L(β;X) − L(β;X̃)| ≤ √n‖X − X̃‖₂‖β‖₂ for any feature sketch X̃ (a proxy for P2's feature-space sketching).",
            $"largest error/bound over {points} (method, k, β) points {F(worst)}; median error/bound {F(Median(table.Numbers("ratio")))}.");
        return new FigureResult(fig, table, claims,
            "Proposed demo for P1 Appendix D (P2's methods are missing). Ranks k ∈ {1, d/4, d/2, 3d/4}; leverage-score column selection samples k columns without replacement ∝ rank-k leverage and projects X onto their span; "
            + "Gaussian projection X̃ = X Q Qᵀ with Q an orthonormal basis of range(Sᵀ), S a k×d Gaussian sketch; β* = the ℓ2-regularised (λ = 1e-3) full-data fit.", verdict);
    }

    private static double Median(double[] v)
    {
        var a = v.Where(double.IsFinite).Order().ToArray();
        return a.Length == 0 ? double.NaN : a.Length % 2 == 1 ? a[a.Length / 2] : 0.5 * (a[a.Length / 2 - 1] + a[a.Length / 2]);
    }

    private static double Sd(List<double> v) { double m = v.Average(); return v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1)) : 0; }
}
