using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Sketching;

public static partial class SketchingExperiments
{
    /// <summary>demo-turnstile [proposal, brief §3]: the data arrive as ≈3·nnz entry updates with
    /// cancelling deletions (<see cref="TurnstileStream"/>); <see cref="TurnstileSketch"/> keeps
    /// Y = AG and SA. Panel (a): stored words against n, next to n·d for storing A. Panel (b): cost
    /// on A of the streamed solution (labels from Y, centres from SA) ÷ exact Lloyd on A, for two
    /// different update orders. The data are rounded to integers (mixture × 4) so that linearity
    /// can be checked bit for bit.</summary>
    [Experiment(Paper + "/turnstile-memory", "Turnstile streaming: sketch memory against n and final cost ratio")]
    public static FigureResult TurnstileMemory(RunContext ctx)
    {
        int[] ns = ctx.Pick<int[]>([500, 1000, 2000], [1000, 3000, 10_000, 30_000, 100_000]);
        int d = 50, k = 5, t = 16, s = 4 * k, reps = ctx.Pick(2, 5);
        var table = new Table("n", "repeat", "order", "updates", "sketch_words", "dense_words", "cost_ratio");
        var words = new double[ns.Length];
        var ratiosA = ns.Select(_ => new double[reps]).ToArray();
        var ratiosB = ns.Select(_ => new double[reps]).ToArray();
        bool allExact = true, orderInvariant = true, accounting = true, matchesOffline = true;
        for (int q = 0; q < ns.Length; q++)
        {
            int n = ns[q];
            for (int r = 0; r < reps; r++)
            {
                ctx.Report($"turnstile: n={n}, repeat {r + 1}/{reps}");
                var ds = Mixture(n, d, k, ctx.Rng($"data/turnstile/{n}/{r}"));
                var a = Matrix.Build(n, d, (i, j) => Math.Round(4 * ds.Points[i, j]));
                var run = ctx.Rng($"run/turnstile/{n}/{r}");
                double exact = new LloydKMeans(k).Fit(a, run.Fork("lloyd")).Cost;
                var results = new List<SketchedKMeansResult>();
                foreach (var order in new[] { "A", "B" })
                {
                    var sketch = new TurnstileSketch(n, d, t, s, run.Fork("sketch").NextUInt64());
                    var stream = TurnstileStream.FromMatrix(a, run.Fork("stream/" + order));
                    sketch.Apply(stream);
                    allExact &= sketch.RightSketch.ToArray().AsSpan().SequenceEqual(sketch.Right.Apply(a).ToArray())
                                && sketch.LeftSketch.ToArray().AsSpan().SequenceEqual(sketch.Left.Apply(a).ToArray());
                    accounting &= sketch.MemoryWords == sketch.StoredWords;
                    var res = sketch.SolveKMeans(k, run);
                    results.Add(res);
                    double ratio = res.CostOn(a) / exact;
                    (order == "A" ? ratiosA : ratiosB)[q][r] = ratio;
                    words[q] = sketch.MemoryWords;
                    table.Add(n, r, order, stream.Length, sketch.MemoryWords, (long)n * d, ratio);
                }
                orderInvariant &= results[0].Labels.AsSpan().SequenceEqual(results[1].Labels) && results[0].CostOn(a) == results[1].CostOn(a);
                // The same pipeline offline (AG and SA formed from the final A) must give the same output.
                var offlineSketch = new TurnstileSketch(n, d, t, s, run.Fork("sketch").NextUInt64());
                var offlineLabels = new LloydKMeans(k).Fit(offlineSketch.Right.Apply(a), run.Fork("lloyd")).Labels;
                var offlineCentres = SketchedKMeans.DecodeCentres(offlineLabels, k, offlineSketch.Left, offlineSketch.Left.Apply(a));
                matchesOffline &= offlineLabels.AsSpan().SequenceEqual(results[0].Labels) && KMeans.Cost(a, offlineLabels, offlineCentres) == results[0].CostOn(a);
            }
        }
        var fig = new Figure(Paper + "/turnstile-memory", "Turnstile k-means: memory (a) and cost ratio (b)");
        fig.Layout.Grid(1, 2);
        var x = ns.Select(v => (double)v).ToArray();
        fig.Add(new ScatterTrace { Name = $"sketches n·t + s·d + d·t (t={t}, s={s})", X = x, Y = words });
        fig.Add(new ScatterTrace { Name = "storing A: n·d", X = x, Y = ns.Select(v => (double)v * d).ToArray(), Dash = "dash" });
        fig.Add(Series("cost ratio, update order A", x, ratiosA, "x2", "y2"));
        var b = Series("cost ratio, update order B", x, ratiosB, "x2", "y2");
        b.Dash = "dot";
        fig.Add(b);
        fig.Layout.X().Title = "n (points)"; fig.Layout.X().Type = AxisType.Log;
        fig.Layout.Y().Title = "float64 words"; fig.Layout.Y().Type = AxisType.Log;
        fig.Layout.X(2).Title = "n (points)"; fig.Layout.X(2).Type = AxisType.Log;
        fig.Layout.Y(2).Title = "streamed cost ÷ exact Lloyd cost";
        double perPoint = (words[^1] - words[0]) / (ns[^1] - ns[0]);
        var claims = new List<Claim>
        {
            Claim.That("sketches after the stream equal the sketches of the final matrix bit for bit", allExact),
            Claim.That("memory accounting equals the stored buffers", accounting),
            Claim.Near("marginal memory per point equals t words", perPoint, t, rel: 0, abs: 1e-9),
            Claim.Less("sketch memory below n·d at the largest n", words[^1], (double)ns[^1] * d),
            Claim.That("labels and cost identical for two different update orders", orderInvariant),
            Claim.That("streamed labels and cost equal the offline sketched pipeline's on the final matrix", matchesOffline),
        };
        string notes = $"Mixture (c={MixtureSeparation}) × 4 rounded to integers, d={d}, k={k}, t={t}, s={s} (CountSketch), {reps} seeds; " +
                       $"words at n={ns[^1]}: {words[^1]} vs n·d = {(long)ns[^1] * d}; mean cost ratio at largest n {F(ratiosA[^1].Average())} " +
                       "(dominated by the CountSketch decode with s = 4k; see left-sketch-centres for its dependence on s).";
        return new FigureResult(fig, table, claims, notes);
    }
}
