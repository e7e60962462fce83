using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Compression;

public static partial class CompressionExperiments
{
    /// <summary>tab-slr: 2:4 + low rank. HASSLE-free (exact H, SparseGPT sparse step, closed-form low-rank
    /// step) against the OATS-style diagonal-H baseline and 2:4 alone, at ranks d/64·4 and 16; plus the
    /// best-kept AM loss per iteration.</summary>
    [Experiment("compression/sparse-plus-low-rank", "2:4 + low rank: HASSLE-free vs OATS-style vs 2:4 alone")]
    public static FigureResult SparsePlusLowRank(RunContext ctx)
    {
        var problems = Problems(ctx, 3);
        int d = problems[0].Cols;
        int[] ranks = [Math.Max(1, d / 16), 16];
        int iters = ctx.Pick(10, 80);
        var t = SparsityTarget.Pattern(2, 4);
        var table = new Table("method", "rank", "seed", "relative_error");
        var mean = new Dictionary<(string, int), double>();
        var history = new double[iters];
        foreach (int r in ranks)
            for (int s = 0; s < problems.Count; s++)
            {
                ctx.Report($"rank {r}, seed {s}");
                var p = problems[s];
                var alone = new SparseGpt().Prune(p, t);
                var hf = new HassleFree { Iterations = iters }.Compress(p, t, r);
                var oats = new OatsBaseline { Iterations = iters }.Compress(p, t, r);
                foreach (var (name, res) in new[] { ("2:4 alone (SparseGPT)", alone), ("OATS-style (diagonal H)", oats), ("HASSLE-free (exact H)", hf) })
                {
                    table.Add(name, r, s, res.RelativeError);
                    mean[(name, r)] = mean.GetValueOrDefault((name, r)) + res.RelativeError / problems.Count;
                }
                if (r == ranks[0]) for (int i = 0; i < iters; i++) history[i] += hf.History[i] / problems.Count;
            }
        string[] names = ["2:4 alone (SparseGPT)", "OATS-style (diagonal H)", "HASSLE-free (exact H)"];
        var fig = new Figure("compression/sparse-plus-low-rank", $"2:4 + low rank on the synthetic {d}×{d} layer (mean of {problems.Count} seeds, {iters} AM iterations)");
        var labels = ranks.Select(r => $"rank {r}").ToArray();
        foreach (var n in names) fig.Add(new BarTrace { Name = n, X = labels, Y = ranks.Select(r => mean[(n, r)]).ToArray() });
        fig.Layout.X().Title = "low-rank budget";
        fig.Layout.X().Type = AxisType.Category;
        fig.Layout.Y().Title = "relative error tr(ΔHΔᵀ)/tr(ŴHŴᵀ)";
        fig.Layout.Y().Type = AxisType.Log;

        bool hfBeatsOats = ranks.All(r => mean[(names[2], r)] <= mean[(names[1], r)]);
        bool lowRankHelps = ranks.All(r => mean[(names[2], r)] <= mean[(names[0], r)]);
        bool monotone = Enumerable.Range(1, iters - 1).All(i => history[i] <= history[i - 1]);
        double gap = 100 * (mean[(names[2], ranks[0])] / mean[(names[1], ranks[0])] - 1);
        var claims = new[]
        {
            Claim.That("HASSLE-free error ≤ OATS-style error on the exact objective at every rank", hfBeatsOats),
            Claim.That("2:4 + low rank (HASSLE-free) never worse than 2:4 alone", lowRankHelps),
            Claim.That("HASSLE-free best-kept loss non-increasing over AM iterations", monotone),
        };
        var verdict = Verdict.Judge(
            "minimising the exact layer objective (full H) gives lower error than OATS, which uses only diag(H); Llama3-8B 2:4 + rank 64: −12 % (v1) to −18 % (CPAL) WikiText-2 perplexity vs prior methods.",
            $"HASSLE-free vs OATS-style relative error at rank {ranks[0]}: {F(mean[(names[2], ranks[0])])} vs {F(mean[(names[1], ranks[0])])} ({Pct(gap)}); at rank {ranks[1]}: {F(mean[(names[2], ranks[1])])} vs {F(mean[(names[1], ranks[1])])}; 2:4 alone: {F(mean[(names[0], ranks[0])])}.",
            reproduced: hfBeatsOats);
        return new FigureResult(fig, table, claims, $"closed-form low-rank step (the exact minimiser of the released Adam sub-problem); {iters} AM iterations.", verdict);
    }
}
