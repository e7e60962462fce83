using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Sparsifiers;

/// <summary>Demonstrations for Bhattacharjee, Dexter, Musco, Ray, Sachdeva, Woodruff, "Universal matrix
/// sparsifiers and fast deterministic algorithms for linear algebra" (arXiv 2305.05826, ITCS 2024). The
/// paper has no experiments (believed); U1–U6 are designed for this package (brief §3). Norms are computed
/// by Lanczos with full reorthogonalisation (<see cref="SpectralNorm"/>): Ritz values converge from inside,
/// so a Lanczos norm is a lower estimate; upper-bound claims therefore carry the stated Lanczos tolerance.</summary>
public static partial class SparsifierExperiments
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
        var table = new Table("family", "n", "d", "nnz", "certificate_over_n", "lambda2", "ramanujan_over_n", "upper_bound_proven");
        var claims = new List<Claim>();
        // A Lanczos value is a lower estimate of ‖𝟏 − S‖₂. Where a dense factorisation is affordable, (1 + tol)·value is
        // proven to be an upper bound as well (Cholesky of τI ∓ (𝟏 − S)), so the claims below compare a proven bracket.
        int certifyMaxN = ctx.Pick(1100, 2500), eligible = 0, proven = 0;
        string Prove(SamplingMatrix sm, double valueOverN)
        {
            if (sm.N > certifyMaxN) return "not checked (n > " + certifyMaxN.ToString(CultureInfo.InvariantCulture) + ")";
            eligible++;
            bool ok = SpectralNorm.IsCertifiedUpperBound(sm, valueOverN * sm.N * (1 + LanczosTolerance), ctx.Device);
            if (ok) proven++;
            return ok ? "yes" : "no";
        }
        var rr = new List<(int D, double C)>();
        var be = new List<(int D, double C)>();
        foreach (int d in ds)
        {
            ctx.Report($"u1: random regular / Bernoulli d={d}");
            var s = RandomRegular(ctx, n, d);
            double c = SpectralNorm.Certificate(s, ctx.Rng($"u1/lanczos/rr/{d}"), Steps(ctx)) / n;
            rr.Add((d, c));
            table.Add("random regular", n, d, s.Nnz, c, c * d, 2 * Math.Sqrt(d - 1) / d, Prove(s, c));
            var b = Bernoulli(ctx, n, d);
            double cb = SpectralNorm.Certificate(b, ctx.Rng($"u1/lanczos/be/{d}"), Steps(ctx)) / n;
            be.Add((d, cb));
            table.Add("Bernoulli", n, d, b.Nnz, cb, double.NaN, 2 * Math.Sqrt(d - 1) / d, Prove(b, cb));
        }
        var lpsPoints = new List<(int P, int Q, int N, double C)>();
        foreach (var (p, q) in lps)
        {
            ctx.Report($"u1: LPS p={p}, q={q}");
            var g = LpsGraph.Build(p, q);
            var s = SamplingMatrix.FromRegularGraph(g);
            double c = SpectralNorm.Certificate(s, ctx.Rng($"u1/lanczos/lps/{p}/{q}"), Steps(ctx)) / g.N;
            lpsPoints.Add((p, q, g.N, c));
            table.Add($"LPS q={q}", g.N, p + 1, s.Nnz, c, c * (p + 1), 2 * Math.Sqrt(p) / (p + 1), Prove(s, c));
        }
        var bip = LpsGraph.Build(5, 13, allowBipartite: true);
        var sBip = SamplingMatrix.FromRegularGraph(bip);
        double cBip = SpectralNorm.Certificate(sBip, ctx.Rng("u1/lanczos/bipartite"), Steps(ctx)) / bip.N;
        table.Add("LPS bipartite (5, 13)", bip.N, 6, bip.N * 6, cBip, cBip * 6, 2 * Math.Sqrt(5) / 6, Prove(sBip, cBip));

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
        claims.Add(Claim.Greater($"points with n ≤ {certifyMaxN} whose upper bound (1 + {LanczosTolerance})·Lanczos value is proven (the next claim is not vacuous)", eligible, 0));
        claims.Add(Claim.That($"(1 + {LanczosTolerance})·Lanczos value proven an upper bound on ‖𝟏 − S‖₂ at every point with n ≤ {certifyMaxN} (Cholesky of τI ∓ (𝟏 − S))",
            proven == eligible, "all", $"{proven} of {eligible}"));
        string notes = "LPS graphs use only admissible (p, q) with (p/q) = +1; the bipartite pair (5, 13) is built with allowBipartite to show it certifies nothing. "
            + $"Lanczos: {Steps(ctx)} steps, full reorthogonalisation, seeded start. A Lanczos value is a lower estimate of ‖𝟏 − S‖₂ (Ritz values converge from inside); the unit tests check it against the dense eigensolver, and column upper_bound_proven says where (1 + "
            + $"{LanczosTolerance})·value was proven an upper bound by Cholesky factorisations of τI ∓ (𝟏 − S) (dense, so only for n ≤ {certifyMaxN}).";
        double lpsWorst = lpsPoints.Max(l => l.C / (2 * Math.Sqrt(l.P) / (l.P + 1)));
        double rrLo = small.Min(), rrHi = small.Max();
        var verdict = Verdict.Judge(
            "S = (n/d)·A_G for a non-bipartite d-regular Ramanujan graph G has ‖𝟏 − S‖₂ = (n/d)·λ(G) ≤ 2n√(d−1)/d (§1); a bipartite graph certifies nothing.",
            FormattableString.Invariant($"LPS graphs reach at most {lpsWorst:0.000} of the Ramanujan value (Lanczos estimates; (1 + {LanczosTolerance})·estimate proven an upper bound at {proven} of the {eligible} points with n ≤ {certifyMaxN}); seeded random regular graphs {rrLo:0.000}–{rrHi:0.000} of 2√(d−1)/d for d ≤ 64; Bernoulli sampling at d = 4 gives {be.First(b => b.D == 4).C / rr.First(r => r.D == 4).C:0.00}× the random-regular value; bipartite LPS {cBip:0.000000}·n."),
            reproduced: lpsWorst <= 1 && Math.Abs(cBip - 1) <= 1e-6, partly: lpsWorst <= 1);
        return new FigureResult(fig, table, claims, notes, verdict);
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
        bool ordered = rows.Where(r => r.Family == "Gram BBᵀ").All(g =>
        {
            double Get(string fam) => rows.First(r => r.Sampler == g.Sampler && r.D == g.D && r.Family == fam).Err;
            return Get("Gram BBᵀ") < Get("RBF kernel") && Get("RBF kernel") < Get("block ±1") && Get("block ±1") < Get("sign xxᵀ");
        });
        // The sign family attains the bound by an identity (A − A∘S = D_x(𝟏 − S)D_x), so it is plotted but not
        // claimed; the bound is claimed on the three families where it is a statement.
        double worstOther = rows.Where(r => r.Family != "sign xxᵀ").Max(r => r.Err / r.Bound);
        var claims = new List<Claim>();
        claims.Add(Claim.LessOrEqual("max over cells and the Gram, RBF and block families of error / (max_i A_ii·‖𝟏 − S‖₂) (PSD theorem)", worstOther, 1 + LanczosTolerance));
        claims.Add(Claim.That("ordering Gram < RBF < block < sign at every (sampler, d)", ordered));
        string notes = $"Lanczos {Steps(ctx)} steps; the tolerance {LanczosTolerance} on the upper-bound claims covers Lanczos under-convergence of the two norms compared. Families: xxᵀ (x ∈ {{±1}}ⁿ), BBᵀ/max diag (B ~ N(0,1)^(n×20)), RBF exp(−‖pᵢ−pⱼ‖²/2) on 3-D Gaussian points, permuted ±1 blocks 600/400/300/200/5×100 scaled to n.";
        var verdict = Verdict.Judge(
            "‖𝟏 − S‖₂ ≤ εn implies ‖A − A∘S‖₂ ≤ εn for every PSD A with entries bounded by 1 (§1).",
            FormattableString.Invariant($"over {rows.Count} (sampler, d, family) cells the error reaches at most {worstOther:0.000} of maxᵢAᵢᵢ·‖𝟏 − S‖₂ on the Gram, RBF and block families (the ±1 rank-one family attains it by an identity); ordering Gram < RBF < block < sign holds at every cell: {(ordered ? "yes" : "no")}."),
            reproduced: worstOther <= 1 + LanczosTolerance);
        return new FigureResult(fig, table, claims, notes, verdict);
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
            // Oracle for the error computation: the all-ones vector gives ‖A − A∘S‖₂ ≥ 2(n − d) exactly.
            Claim.GreaterOrEqual("min over d of adversarial error / (2n − 2d) (all-ones lower bound; 1e-9 rounding slack)", adv.Min(a => a.E / (2 * (1 - (double)a.D / n))), 1 - 1e-9),
        };
        double advLo = adv.Min(a => a.E), advHi = adv.Max(a => a.E);
        var verdict = Verdict.Demonstrate(
            "the PSD guarantee does not extend to bounded-entry non-PSD matrices: the non-PSD theorem needs ‖𝟏 − S‖₂ ≤ ε²n/(c·log²(1/ε)) and bounds the error by ε·max(n, ‖A‖₁) (c is not in the available text, so the bound cannot be drawn).",
            FormattableString.Invariant($"an adversary built against S keeps error/n between {advLo:0.000} and {advHi:0.000} for d = {ds[0]}..{ds[^1]} while ‖𝟏 − S‖₂/n falls to {certs[^1]:0.000}; a random ±1 Wigner matrix's error/n goes from {wig[0].E:0.000} to {wig[^1].E:0.000}."));
        return new FigureResult(fig, table, claims, "The adversary is built against the fixed pattern S; the non-PSD theorem's scale ε·max(n, ‖A‖₁) is of order n for it (‖A‖₁ ≥ n), so it is consistent with the theorem.", verdict);
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
        var fig = new Figure("universal-sparsifiers/u4-deterministic-eigenvalues", $"U4: deterministic top-eigenvalue estimate from A∘S, relative error |λ̂ − λ_max(A)|/λ_max(A) vs entries read (n = {n}); dashed: the guarantee");
        fig.Layout.X().Type = AxisType.Log; fig.Layout.X().Title = "entries of A read (nnz of S)";
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "|λ̂ − λ_max(A)| / λ_max(A)";
        string[] colors = ["#1f77b4", "#2ca02c"];
        double worstGuarantee = 0;
        var lastRelative = new List<(string Name, double Lambda, double Est, double Rel, double Guarantee)>();
        for (int f = 0; f < families.Length; f++)
        {
            var a = families[f];
            var ritzA = SpectralNorm.RitzValues((x, y) => a.Apply(x, y), n, Steps(ctx), ctx.Rng($"u4/ritzA/{f}"));
            double lamA = ritzA[^1];
            var xs = new List<double>(); var rel = new List<double>(); var guar = new List<double>();
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
                var pm = DeterministicPowerMethod.Top(b, t);
                double sigma1 = Math.Max(Math.Abs(ritzB[0]), Math.Abs(ritzB[^1]));
                // Guarantee (PSD theorem + Weyl + the power method's n^{1/t} bracket, brief §2.6):
                // |λ̂ − λ_max(A)| ≤ ‖A − A∘S‖₂ + (1 − n^{−1/t})·σ₁(A∘S).
                double guarantee = err + (1 - Math.Pow(n, -1.0 / t)) * sigma1;
                double absErr = Math.Abs(pm.Rayleigh - lamA);
                worstGuarantee = Math.Max(worstGuarantee, absErr / guarantee);
                xs.Add(s.Nnz); rel.Add(Math.Max(absErr / lamA, 1e-12)); guar.Add(guarantee / lamA);
                table.Add(a.Name, d, s.Nnz, lamA, ritzB[^1], pm.Rayleigh, pm.Lower, pm.Upper, err, gap);
                if (d == ds[^1]) lastRelative.Add((a.Name, lamA, pm.Rayleigh, absErr / lamA, guarantee / lamA));
            }
            fig.Add(new ScatterTrace { Name = $"{a.Name}: |λ̂ − λ_max(A)|/λ_max(A) (deterministic power method, t = {t})", X = xs.ToArray(), Y = rel.ToArray(), Color = colors[f] });
            fig.Add(new ScatterTrace { Name = $"{a.Name}: guarantee (‖A − A∘S‖₂ + (1 − n^(−1/t))σ₁(A∘S))/λ_max(A)", X = xs.ToArray(), Y = guar.ToArray(), Dash = "dash", Color = colors[f] });
        }
        var claims = new List<Claim>
        {
            Claim.LessOrEqual("max over (family, d) of |λ̂ − λ_max(A)| / (‖A − A∘S‖₂ + (1 − n^(−1/t))·σ₁(A∘S))", worstGuarantee, 1 + LanczosTolerance),
        };
        bool useful = lastRelative.All(r => r.Rel <= 0.5);
        var verdict = Verdict.Judge(
            "eigenvalues of a PSD A are approximated to ±εn deterministically from A∘S (Weyl plus ‖A − A∘S‖₂ ≤ εn), and the top one by t = O(log n/ε) power steps from every basis vector.",
            FormattableString.Invariant($"the estimate stays within the guarantee (worst {worstGuarantee:0.000} of it); at the largest degree d = {ds[^1]} the relative errors are ") +
            string.Join(", ", lastRelative.Select(r => FormattableString.Invariant($"{r.Name}: λ̂ = {r.Est:G4} against λ_max(A) = {r.Lambda:G4} ({100 * r.Rel:0}% error; guarantee {100 * r.Guarantee:0}%)"))) +
            (useful ? "." : " — an additive ±εn error is larger than λ_max for a low-rank family at these degrees, so the estimate says little about it."),
            reproduced: worstGuarantee <= 1 + LanczosTolerance && useful, partly: worstGuarantee <= 1 + LanczosTolerance);
        string notes = "Reconstruction (brief §2.6, not the paper's stated algorithm): t power steps from every basis vector of B = A∘S, keep the largest ‖Bᵗeᵢ‖, report its Rayleigh quotient. Cost n·t·nnz(B), no randomness. Weyl (|λᵢ(A) − λᵢ(A∘S)| ≤ ‖A − A∘S‖₂) and the power method's bracket are mathematical facts checked in the unit tests; the table reports the top-20 Weyl gap. Verdict: reproduced when the estimate is within the guarantee and, at the largest degree, within 50 % of λ_max for every family (our reading of \"useful\"); partly when only the guarantee holds.";
        return new FigureResult(fig, table, claims, notes, verdict);
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
        var fig = new Figure("universal-sparsifiers/u6-block-recovery", $"U6: spectral error/n after keeping recovered blocks ≥ εn (n = {n}); dotted: ε");
        fig.Layout.X().Type = AxisType.Log; fig.Layout.X().Title = "entries of A read";
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "‖A − Â‖₂ / n";
        var claims = new List<Claim>();
        var reached = new List<string>();
        bool allBelow = true, exactOk = true;
        foreach (double e in eps)
        {
            var xs = new List<double>(); var ys = new List<double>();
            // The paper's target: keep blocks of at least εn rows, so the dropped part (blocks < εn) has
            // spectral norm < εn. With every block of the generator recovered whole, the error is exactly
            // the largest dropped block's size; a recovery that splits or mis-signs a block adds to it.
            int minBlock = (int)Math.Ceiling(e * n);
            double dropped = a.BlockSizes.Where(b => b < minBlock).DefaultIfEmpty(0).Max() / (double)n;
            foreach (int d in ds)
            {
                ctx.Report($"u6: ε={e}, d={d}");
                var g = RandomRegularGraph.Generate(n, d, ctx.Rng($"graph/random-regular/n={n}/d={d}"));
                var r = BlockRecovery.Recover(a, g, minBlock);
                double err = BlockRecovery.Error(a, r, ctx.Rng($"u6/err/{e}/{d}"), Steps(ctx)) / n;
                xs.Add(r.EntriesRead); ys.Add(Math.Max(err, 1e-6));
                table.Add(e, d, r.EntriesRead, r.Blocks.Count, err);
            }
            fig.Add(new ScatterTrace { Name = $"ε = {e}", X = xs.ToArray(), Y = ys.ToArray() });
            fig.Add(new ScatterTrace { Name = $"ε = {e} target", X = [xs[0], xs[^1]], Y = [e, e], Mode = "lines", Dash = "dot", Color = "gray" });
            claims.Add(Claim.Less($"ε = {e}: error/n at the largest degree (paper: error < εn)", ys[^1], e));
            claims.Add(Claim.Near($"ε = {e}: error/n at the largest degree equals the largest dropped block / n (exact recovery of the kept blocks)", ys[^1], Math.Max(dropped, 1e-6), rel: LanczosTolerance));
            allBelow &= ys[^1] < e;
            exactOk &= Math.Abs(ys[^1] - Math.Max(dropped, 1e-6)) <= LanczosTolerance * Math.Max(dropped, 1e-6);
            int first = ys.FindIndex(y => y < e);
            reached.Add(first >= 0
                ? FormattableString.Invariant($"ε = {e}: error < εn from {xs[first]:0} entries read ({xs[first] / n:0.0}·n; n/ε = {n / e:0})")
                : FormattableString.Invariant($"ε = {e}: error never below εn"));
        }
        var verdict = Verdict.Demonstrate(
            "for PSD A ∈ {−1, 0, 1}^(n×n), a spectral approximation with error εn from Õ(n/ε) deterministic queries (algorithm not in the available text; ours is the brief's expander proposal).",
            string.Join("; ", reached) + (allBelow && exactOk ? "; at the largest degree every kept block is recovered exactly." : "; at the largest degree the recovery is NOT exact."));
        return new FigureResult(fig, table, claims, "Proposal (brief §2.7): read the diagonal and every edge of a d-regular random graph; components of the observed nonzero pattern with signs along BFS trees; keep components of ≥ εn rows (the paper's target; a block of about εn rows that loses isolated rows at small degree is dropped, which the error then shows).", verdict);
    }
}
