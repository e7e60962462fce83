using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Sparsifiers;

/// <summary>Demonstrations for Bhattacharjee, Dexter, Musco, Ray, Sachdeva, Woodruff, "Universal matrix
/// sparsifiers and fast deterministic algorithms for linear algebra" (arXiv 2305.05826, ITCS 2024). The
/// paper has no experiments (believed); U1–U6 are designed for this package (brief §3). Norms are computed
/// by Lanczos with full reorthogonalisation (<see cref="SpectralNorm"/>): Ritz values converge from inside,
/// so a Lanczos norm is a lower estimate; upper-bound claims therefore carry the stated Lanczos tolerance.</summary>
public static class SparsifierExperiments
{
    private const double LanczosTolerance = 2e-3;

    private static int Steps(RunContext ctx) => ctx.Pick(150, 300);

    private static SamplingMatrix RandomRegular(RunContext ctx, int n, int d) =>
        SamplingMatrix.FromRegularGraph(RandomRegularGraph.Generate(n, d, ctx.Rng($"graph/random-regular/n={n}/d={d}")));

    private static SamplingMatrix Bernoulli(RunContext ctx, int n, int d) =>
        SamplingMatrix.Bernoulli(n, d, ctx.Rng($"graph/bernoulli/n={n}/d={d}"));

    /// <summary>U1: the universal certificate ‖𝟏 − S‖₂/n against the degree for LPS Ramanujan graphs, seeded
    /// random regular graphs and uniform (Bernoulli) sampling, with the Ramanujan curve 2√(d−1)/d.</summary>
    [Experiment("universal-sparsifiers/u1-certificate-vs-degree", "U1: certificate ‖1 − S‖₂/n vs degree (LPS, random regular, Bernoulli)")]
    public static FigureResult U1CertificateVsDegree(RunContext ctx)
    {
        int n = 2000;
        int[] ds = ctx.Pick(new[] { 4, 8, 16, 32, 64 }, new[] { 4, 8, 16, 32, 64, 128, 256 });
        (int P, int Q)[] lps = ctx.Pick(new[] { (17, 13), (29, 13), (53, 13), (101, 13) },
            new[] { (17, 13), (29, 13), (53, 13), (101, 13), (157, 13), (13, 17), (53, 17), (89, 17), (149, 17), (5, 29), (13, 29), (53, 29), (109, 29), (197, 29) });
        var table = new Table("family", "n", "d", "nnz", "certificate_over_n", "lambda2", "ramanujan_over_n");
        var claims = new List<Claim>();
        var rr = new List<(int D, double C)>();
        var be = new List<(int D, double C)>();
        foreach (int d in ds)
        {
            ctx.Report($"u1: random regular / Bernoulli d={d}");
            var s = RandomRegular(ctx, n, d);
            double c = SpectralNorm.Certificate(s, ctx.Rng($"u1/lanczos/rr/{d}"), Steps(ctx)) / n;
            rr.Add((d, c));
            table.Add("random regular", n, d, s.Nnz, c, c * d, 2 * Math.Sqrt(d - 1) / d);
            var b = Bernoulli(ctx, n, d);
            double cb = SpectralNorm.Certificate(b, ctx.Rng($"u1/lanczos/be/{d}"), Steps(ctx)) / n;
            be.Add((d, cb));
            table.Add("Bernoulli", n, d, b.Nnz, cb, double.NaN, 2 * Math.Sqrt(d - 1) / d);
        }
        var lpsPoints = new List<(int P, int Q, int N, double C)>();
        foreach (var (p, q) in lps)
        {
            ctx.Report($"u1: LPS p={p}, q={q}");
            var g = LpsGraph.Build(p, q);
            var s = SamplingMatrix.FromRegularGraph(g);
            double c = SpectralNorm.Certificate(s, ctx.Rng($"u1/lanczos/lps/{p}/{q}"), Steps(ctx)) / g.N;
            lpsPoints.Add((p, q, g.N, c));
            table.Add($"LPS q={q}", g.N, p + 1, s.Nnz, c, c * (p + 1), 2 * Math.Sqrt(p) / (p + 1));
        }
        var bip = LpsGraph.Build(5, 13, allowBipartite: true);
        double cBip = SpectralNorm.Certificate(SamplingMatrix.FromRegularGraph(bip), ctx.Rng("u1/lanczos/bipartite"), Steps(ctx)) / bip.N;
        table.Add("LPS bipartite (5, 13)", bip.N, 6, bip.N * 6, cBip, cBip * 6, 2 * Math.Sqrt(5) / 6);

        var fig = new Figure("universal-sparsifiers/u1-certificate-vs-degree", "U1: universal certificate ‖𝟏 − S‖₂/n vs degree d");
        fig.Layout.X().Type = AxisType.Log; fig.Layout.X().Title = "degree d (entries read ≈ n·d)";
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "‖𝟏 − S‖₂ / n";
        var curveD = Enumerable.Range(2, 300).Select(x => (double)x).Where(x => x <= ds.Max() * 1.2 || x <= 200).ToArray();
        fig.Add(new ScatterTrace { Name = "Ramanujan 2√(d−1)/d", X = curveD, Y = curveD.Select(d => 2 * Math.Sqrt(d - 1) / d).ToArray(), Mode = "lines", Dash = "dash", Color = "black" });
        fig.Add(new ScatterTrace { Name = $"random regular, n = {n}", X = rr.Select(r => (double)r.D).ToArray(), Y = rr.Select(r => r.C).ToArray(), Color = "#1f77b4" });
        fig.Add(new ScatterTrace { Name = $"Bernoulli p = d/n, n = {n}", X = be.Select(r => (double)r.D).ToArray(), Y = be.Select(r => r.C).ToArray(), Color = "#ff7f0e" });
        foreach (var q in lpsPoints.Select(l => l.Q).Distinct())
        {
            var pts = lpsPoints.Where(l => l.Q == q).ToList();
            fig.Add(new ScatterTrace { Name = $"LPS q = {q} (n = {pts[0].N})", X = pts.Select(l => (double)(l.P + 1)).ToArray(), Y = pts.Select(l => l.C).ToArray(), Mode = "markers", Text = pts.Select(l => $"p = {l.P}").ToArray() });
        }

        claims.Add(Claim.LessOrEqual("max over LPS graphs of certificate / (2√p/(p+1)) (Ramanujan)", lpsPoints.Max(l => l.C / (2 * Math.Sqrt(l.P) / (l.P + 1))), 1.0));
        var small = rr.Where(r => r.D <= 64).Select(r => r.C / (2 * Math.Sqrt(r.D - 1) / r.D)).ToList();
        claims.Add(Claim.InRange("min random-regular certificate / Ramanujan curve, d ≤ 64", small.Min(), 0.98, 1.02));
        claims.Add(Claim.InRange("max random-regular certificate / Ramanujan curve, d ≤ 64", small.Max(), 0.98, 1.02));
        claims.Add(Claim.Greater("Bernoulli / random regular certificate at d = 4", be.First(b => b.D == 4).C / rr.First(r => r.D == 4).C, 1.1));
        claims.Add(Claim.Near("bipartite LPS (p, q) = (5, 13): certificate / n", cBip, 1.0, rel: 1e-6));
        string notes = "LPS graphs use only admissible (p, q) with (p/q) = +1; the bipartite pair (5, 13) is built with allowBipartite to show it certifies nothing. "
            + $"Lanczos: {Steps(ctx)} steps, full reorthogonalisation, seeded start.";
        return new FigureResult(fig, table, claims, notes);
    }

    /// <summary>U2: spectral error ‖A − A∘S‖₂/n of PSD families against the degree, for random regular and
    /// uniform sampling, with the universal bound max_i A_ii·‖𝟏 − S‖₂.</summary>
    [Experiment("universal-sparsifiers/u2-psd-error-vs-degree", "U2: PSD sparsification error vs degree, against the universal bound")]
    public static FigureResult U2PsdErrorVsDegree(RunContext ctx)
    {
        int n = ctx.Pick(1000, 2000);
        int[] ds = ctx.Pick(new[] { 4, 16, 64 }, new[] { 4, 8, 16, 32, 64, 128, 256 });
        SymmetricTestMatrix[] families =
        [
            new SignRankOneMatrix(n, ctx.Rng("u2/sign")), new GramTestMatrix(n, 20, ctx.Rng("u2/gram")),
            DenseTestMatrix.Rbf(n, ctx.Rng("u2/rbf")), BlockSignMatrix.Standard(n, ctx.Rng("u2/block")),
        ];
        var table = new Table("sampler", "d", "family", "error_over_n", "bound_over_n");
        var rows = new List<(string Sampler, int D, string Family, double Err, double Bound)>();
        foreach (var sampler in new[] { "random regular", "Bernoulli" })
            foreach (int d in ds)
            {
                ctx.Report($"u2: {sampler}, d={d}");
                var s = sampler == "random regular" ? RandomRegular(ctx, n, d) : Bernoulli(ctx, n, d);
                double cert = SpectralNorm.Certificate(s, ctx.Rng($"u2/cert/{sampler}/{d}"), Steps(ctx));
                foreach (var a in families)
                {
                    double err = Sparsification.ErrorNorm(a, s, ctx.Rng($"u2/err/{sampler}/{d}/{a.Name}"), Steps(ctx));
                    double bound = a.MaxDiagonal() * cert;
                    rows.Add((sampler, d, a.Name, err / n, bound / n));
                    table.Add(sampler, d, a.Name, err / n, bound / n);
                }
            }
        var fig = new Figure("universal-sparsifiers/u2-psd-error-vs-degree", $"U2: ‖A − A∘S‖₂/n for PSD families (n = {n}); dashed: universal bound ‖𝟏 − S‖₂/n");
        fig.Layout.Grid(1, 2);
        fig.Layout.Width = 1200;
        string[] samplers = ["random regular", "Bernoulli"];
        string[] colors = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd"];
        for (int k = 1; k <= 2; k++)
        {
            string xa = k == 1 ? "x" : "x2", ya = k == 1 ? "y" : "y2";
            fig.Layout.X(k).Type = AxisType.Log; fig.Layout.X(k).Title = $"degree d ({samplers[k - 1]})";
            fig.Layout.Y(k).Type = AxisType.Log; if (k == 1) fig.Layout.Y(k).Title = "‖A − A∘S‖₂ / n";
            var sel = rows.Where(r => r.Sampler == samplers[k - 1]).ToList();
            var bnd = sel.Where(r => r.Family == families[0].Name).ToList();
            fig.Add(new ScatterTrace { Name = "bound ‖𝟏 − S‖₂/n", X = bnd.Select(r => (double)r.D).ToArray(), Y = bnd.Select(r => r.Bound).ToArray(), Dash = "dash", Color = "black", XAxis = xa, YAxis = ya, LegendGroup = "bound", ShowLegend = k == 1 });
            for (int f = 0; f < families.Length; f++)
            {
                var fr = sel.Where(r => r.Family == families[f].Name).ToList();
                fig.Add(new ScatterTrace { Name = families[f].Name, X = fr.Select(r => (double)r.D).ToArray(), Y = fr.Select(r => r.Err).ToArray(), Color = colors[f], XAxis = xa, YAxis = ya, LegendGroup = families[f].Name, ShowLegend = k == 1 });
            }
        }
        var claims = new List<Claim>
        {
            Claim.LessOrEqual("max over cells of error / (max_i A_ii·‖𝟏 − S‖₂) (PSD bound)", rows.Max(r => r.Err / r.Bound), 1 + LanczosTolerance),
            Claim.LessOrEqual("max |sign-family error / ‖𝟏 − S‖₂ − 1| (bound attained)", rows.Where(r => r.Family == "sign xxᵀ").Max(r => Math.Abs(r.Err / r.Bound - 1)), LanczosTolerance),
        };
        bool ordered = rows.Where(r => r.Family == "Gram BBᵀ").All(g =>
        {
            double Get(string fam) => rows.First(r => r.Sampler == g.Sampler && r.D == g.D && r.Family == fam).Err;
            return Get("Gram BBᵀ") < Get("RBF kernel") && Get("RBF kernel") < Get("block ±1") && Get("block ±1") < Get("sign xxᵀ");
        });
        claims.Add(Claim.That("ordering Gram < RBF < block < sign at every (sampler, d)", ordered));
        string notes = $"Lanczos {Steps(ctx)} steps; the tolerance {LanczosTolerance} on the upper-bound claims covers Lanczos under-convergence of the two norms compared. Families: xxᵀ (x ∈ {{±1}}ⁿ), BBᵀ/max diag (B ~ N(0,1)^(n×20)), RBF exp(−‖pᵢ−pⱼ‖²/2) on 3-D Gaussian points, permuted ±1 blocks 600/400/300/200/5×100 scaled to n.";
        return new FigureResult(fig, table, claims, notes);
    }

    /// <summary>U3: the non-PSD case. The adversary 𝟏 − 2·supp(S) keeps error ≈ 2n for every degree; a random
    /// ±1 Wigner matrix (‖A‖₁ ≈ n^{3/2}) has error far below its ε·max(n, ‖A‖₁) scale.</summary>
    [Experiment("universal-sparsifiers/u3-nonpsd", "U3: non-PSD matrices: adversarial failure and Wigner matrices")]
    public static FigureResult U3NonPsd(RunContext ctx)
    {
        int n = ctx.Pick(1000, 2000);
        int[] ds = ctx.Pick(new[] { 4, 16, 64 }, new[] { 4, 8, 16, 32, 64, 128, 256 });
        var wigner = DenseTestMatrix.Wigner(n, ctx.Rng("u3/wigner"));
        var table = new Table("d", "family", "error_over_n", "certificate_over_n", "lower_bound_over_n");
        var adv = new List<(int D, double E)>();
        var wig = new List<(int D, double E)>();
        var certs = new List<double>();
        foreach (int d in ds)
        {
            ctx.Report($"u3: d={d}");
            var s = RandomRegular(ctx, n, d);
            double cert = SpectralNorm.Certificate(s, ctx.Rng($"u3/cert/{d}"), Steps(ctx)) / n;
            certs.Add(cert);
            double ea = Sparsification.ErrorNorm(new AdversarialMatrix(s), s, ctx.Rng($"u3/adv/{d}"), Steps(ctx)) / n;
            double ew = Sparsification.ErrorNorm(wigner, s, ctx.Rng($"u3/wig/{d}"), Steps(ctx)) / n;
            adv.Add((d, ea)); wig.Add((d, ew));
            table.Add(d, "adversarial 𝟏 − 2·supp(S)", ea, cert, 2.0 * (1 - (double)d / n));
            table.Add(d, "random ±1 Wigner", ew, cert, double.NaN);
        }
        var fig = new Figure("universal-sparsifiers/u3-nonpsd", $"U3: non-PSD error ‖A − A∘S‖₂/n, random regular S (n = {n})");
        fig.Layout.X().Type = AxisType.Log; fig.Layout.X().Title = "degree d";
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "‖A − A∘S‖₂ / n";
        fig.Add(new ScatterTrace { Name = "adversarial 𝟏 − 2·supp(S)", X = adv.Select(a => (double)a.D).ToArray(), Y = adv.Select(a => a.E).ToArray(), Color = "#d62728" });
        fig.Add(new ScatterTrace { Name = "random ±1 Wigner", X = wig.Select(a => (double)a.D).ToArray(), Y = wig.Select(a => a.E).ToArray(), Color = "#1f77b4" });
        fig.Add(new ScatterTrace { Name = "‖𝟏 − S‖₂/n (PSD bound)", X = ds.Select(d => (double)d).ToArray(), Y = certs.ToArray(), Dash = "dash", Color = "black" });
        var claims = new List<Claim>
        {
            Claim.GreaterOrEqual("min over d of adversarial error / (2n − 2d) (equality for regular S; 1e-9 rounding slack)", adv.Min(a => a.E / (2 * (1 - (double)a.D / n))), 1 - 1e-9),
            Claim.That("adversarial error exceeds the PSD certificate at every d", adv.Zip(certs).All(t => t.First.E > t.Second)),
        };
        return new FigureResult(fig, table, claims, "The adversary is built against the fixed pattern S; the non-PSD theorem's scale ε·max(n, ‖A‖₁) is of order n for it (‖A‖₁ ≥ n), so it is consistent with the theorem.");
    }

    /// <summary>U4 + deterministic estimation: top-k eigenvalues of A and A∘S with the Weyl band, and the
    /// deterministic power method's top-eigenvalue error against the number of entries read.</summary>
    [Experiment("universal-sparsifiers/u4-deterministic-eigenvalues", "U4: deterministic eigenvalue estimation from A∘S vs entries read")]
    public static FigureResult U4DeterministicEigenvalues(RunContext ctx)
    {
        int n = ctx.Pick(1000, 2000);
        int[] ds = ctx.Pick(new[] { 4, 8, 16, 32 }, new[] { 4, 8, 16, 32, 64, 128 });
        int t = ctx.Pick(8, 16);
        const int topK = 20;
        SymmetricTestMatrix[] families = [new GramTestMatrix(n, 20, ctx.Rng("u4/gram")), BlockSignMatrix.Standard(n, ctx.Rng("u4/block"))];
        var table = new Table("family", "d", "entries_read", "lambda_max_A", "lambda_max_B", "power_estimate", "power_lower", "power_upper", "error_norm", "weyl_max_gap_topk");
        var claims = new List<Claim>();
        var fig = new Figure("universal-sparsifiers/u4-deterministic-eigenvalues", $"U4: deterministic top-eigenvalue error |λ̂ − λ_max(A)|/n vs entries read (n = {n}); dashed: ‖A − A∘S‖₂/n");
        fig.Layout.X().Type = AxisType.Log; fig.Layout.X().Title = "entries of A read (nnz of S)";
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "error / n";
        string[] colors = ["#1f77b4", "#2ca02c"];
        bool weylOk = true, bracketOk = true;
        for (int f = 0; f < families.Length; f++)
        {
            var a = families[f];
            var ritzA = SpectralNorm.RitzValues((x, y) => a.Apply(x, y), n, Steps(ctx), ctx.Rng($"u4/ritzA/{f}"));
            double lamA = ritzA[^1];
            var xs = new List<double>(); var est = new List<double>(); var band = new List<double>();
            foreach (int d in ds)
            {
                ctx.Report($"u4: {a.Name}, d={d}");
                var s = RandomRegular(ctx, n, d);
                var b = Sparsification.Sparsify(a, s);
                double err = Sparsification.ErrorNorm(a, b, ctx.Rng($"u4/err/{f}/{d}"), Steps(ctx));
                var ritzB = SpectralNorm.RitzValues((x, y) => Sparsification.Apply(b, x, y), n, Steps(ctx), ctx.Rng($"u4/ritzB/{f}/{d}"));
                double gap = 0;
                // A is low rank: Lanczos stops early on an invariant subspace, and the eigenvalues it did not
                // return are 0.
                for (int k = 1; k <= Math.Min(topK, ritzB.Length); k++)
                    gap = Math.Max(gap, Math.Abs((k <= ritzA.Length ? ritzA[^k] : 0) - ritzB[^k]));
                if (gap > err * (1 + LanczosTolerance)) weylOk = false;
                var pm = DeterministicPowerMethod.Top(b, t);
                double sigma1 = Math.Max(Math.Abs(ritzB[0]), Math.Abs(ritzB[^1]));
                if (sigma1 < pm.Lower * (1 - 1e-9) || sigma1 > pm.Upper * (1 + LanczosTolerance)) bracketOk = false;
                xs.Add(s.Nnz); est.Add(Math.Abs(pm.Rayleigh - lamA) / n); band.Add(err / n);
                table.Add(a.Name, d, s.Nnz, lamA, ritzB[^1], pm.Rayleigh, pm.Lower, pm.Upper, err, gap);
            }
            fig.Add(new ScatterTrace { Name = $"{a.Name}: |λ̂ − λ_max(A)|/n (deterministic power method, t = {t})", X = xs.ToArray(), Y = est.ToArray(), Color = colors[f] });
            fig.Add(new ScatterTrace { Name = $"{a.Name}: ‖A − A∘S‖₂/n", X = xs.ToArray(), Y = band.ToArray(), Dash = "dash", Color = colors[f] });
            claims.Add(Claim.Less($"{a.Name}: estimate error at the largest d below that at the smallest d", est[^1], est[0]));
        }
        claims.Insert(0, Claim.That($"Weyl: |λᵢ(A) − λᵢ(A∘S)| ≤ ‖A − A∘S‖₂ for the top {topK} (Lanczos tolerance {LanczosTolerance})", weylOk));
        claims.Insert(1, Claim.That("deterministic power method brackets σ₁(A∘S) in [max‖Bᵗeᵢ‖^{1/t}, that·n^{1/(2t)}]", bracketOk));
        string notes = "Reconstruction (brief §2.6, not the paper's stated algorithm): t power steps from every basis vector of B = A∘S, keep the largest ‖Bᵗeᵢ‖, report its Rayleigh quotient. Cost n·t·nnz(B), no randomness.";
        return new FigureResult(fig, table, claims, notes);
    }

    /// <summary>U6: recovery of a PSD {−1, 0, 1} matrix from entries read along random regular expanders of
    /// increasing degree (a labelled proposal; the paper's Õ(n/ε) algorithm is not available).</summary>
    [Experiment("universal-sparsifiers/u6-block-recovery", "U6: {−1,0,1} PSD block recovery vs entries read")]
    public static FigureResult U6BlockRecovery(RunContext ctx)
    {
        int n = ctx.Pick(2000, 10_000);
        int[] ds = ctx.Pick(new[] { 2, 4, 8, 16, 32, 64 }, new[] { 2, 4, 8, 16, 32, 64, 128 });
        double[] eps = [0.2, 0.1];
        var a = BlockSignMatrix.Standard(n, ctx.Rng("u6/block"));
        var table = new Table("epsilon", "d", "entries_read", "blocks_kept", "error_over_n");
        var fig = new Figure("universal-sparsifiers/u6-block-recovery", $"U6: spectral error/n after keeping recovered blocks ≥ εn/2 (n = {n}); dotted: ε");
        fig.Layout.X().Type = AxisType.Log; fig.Layout.X().Title = "entries of A read";
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "‖A − Â‖₂ / n";
        var claims = new List<Claim>();
        foreach (double e in eps)
        {
            var xs = new List<double>(); var ys = new List<double>();
            foreach (int d in ds)
            {
                ctx.Report($"u6: ε={e}, d={d}");
                var g = RandomRegularGraph.Generate(n, d, ctx.Rng($"graph/random-regular/n={n}/d={d}"));
                var r = BlockRecovery.Recover(a, g, (int)Math.Ceiling(e * n / 2));
                double err = BlockRecovery.Error(a, r, ctx.Rng($"u6/err/{e}/{d}"), Steps(ctx)) / n;
                xs.Add(r.EntriesRead); ys.Add(Math.Max(err, 1e-6));
                table.Add(e, d, r.EntriesRead, r.Blocks.Count, err);
            }
            fig.Add(new ScatterTrace { Name = $"ε = {e}", X = xs.ToArray(), Y = ys.ToArray() });
            fig.Add(new ScatterTrace { Name = $"ε = {e} target", X = [xs[0], xs[^1]], Y = [e, e], Mode = "lines", Dash = "dot", Color = "gray" });
            claims.Add(Claim.Less($"ε = {e}: error/n at the largest degree", ys[^1], e));
            int first = ys.FindIndex(y => y < e);
            claims.Add(Claim.That($"ε = {e}: error/n < ε from some degree on (first reached at entries read = {(first >= 0 ? xs[first] : double.NaN)})", first >= 0 && ys.Skip(first).All(y => y < e)));
        }
        return new FigureResult(fig, table, claims, "Proposal (brief §2.7): read the diagonal and every edge of a d-regular random graph; components of the observed nonzero pattern with signs along BFS trees; keep components of ≥ εn/2 rows (our choice, so a block of εn rows that loses a few isolated rows is still kept).");
    }
}
