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
        var rightFactor = ns.Select(_ => new double[reps]).ToArray();
        var leftFactor = ns.Select(_ => new double[reps]).ToArray();
        bool allExact = true, orderInvariant = true, matchesOffline = true;
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
                    var res = sketch.SolveKMeans(k, run);
                    results.Add(res);
                    double ratio = res.CostOn(a) / exact;
                    (order == "A" ? ratiosA : ratiosB)[q][r] = ratio;
                    if (order == "A")
                    {
                        // Where the excess comes from: labels from Y = AG (with their exact centroids) and
                        // centres decoded from SA for those labels; ratio = right factor × left factor.
                        double centroidCost = KMeans.CostOfPartition(a, res.Labels, k);
                        rightFactor[q][r] = centroidCost / exact;
                        leftFactor[q][r] = res.CostOn(a) / centroidCost;
                    }
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
        fig.Layout.Width = 1100; // the long legend names leave two 800 px panels too narrow for the inner axis title
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
        var rf = Series("right factor: labels from Y, exact centroids ÷ exact Lloyd (order A)", x, rightFactor, "x2", "y2");
        rf.Dash = "dash";
        fig.Add(rf);
        var lf = Series("left factor: centres from SA ÷ exact centroids, same labels (order A)", x, leftFactor, "x2", "y2");
        lf.Dash = "dashdot";
        fig.Add(lf);
        // Memory formulas (n·t + s·d + d·t) are plotted, not claimed: they hold by construction of the buffers.
        var claims = new List<Claim>
        {
            Claim.That("sketches after the stream equal the sketches of the final matrix bit for bit", allExact),
            Claim.That("labels and cost identical for two different update orders", orderInvariant),
            Claim.That("streamed labels and cost equal the offline sketched pipeline's on the final matrix", matchesOffline),
        };
        var allLeft = leftFactor.SelectMany(v => v).ToArray();
        var allRight = rightFactor.SelectMany(v => v).ToArray();
        var verdict = Verdict.Demonstrate(
            "in a turnstile stream k-means with assignments needs Õ(n/ε² + dk/ε) words: Y = AG (n·t) and SA (s·d) are linear, so they can be updated entry by entry; the answer is that of the offline sketched pipeline.",
            $"sketches equal those of the final matrix bit for bit: {(allExact ? "yes" : "NO")}; order invariant: {(orderInvariant ? "yes" : "NO")}; words at n = {ns[^1]}: {words[^1]} vs n·d = {(long)ns[^1] * d}. " +
            $"Streamed cost ÷ exact Lloyd {MeanPm(ratiosA[^1])} at n = {ns[^1]} = right factor (assignment from t = {t} columns) {MeanPm(allRight)} × left factor (centres decoded from s = {s} CountSketch rows) {MeanPm(allLeft)} over all n and seeds: " +
            (allLeft.Average() - 1 > allRight.Average() - 1 ? "the excess comes mostly from the small left sketch (see left-sketch-centres for its fall with s)." : "the excess comes mostly from the right sketch's assignments."));
        string notes = $"Mixture (c={MixtureSeparation}) × 4 rounded to integers, d={d}, k={k}, t={t}, s={s} (CountSketch), {reps} seeds; " +
                       $"words at n={ns[^1]}: {words[^1]} vs n·d = {(long)ns[^1] * d}; mean cost ratio at largest n {F(ratiosA[^1].Average())} " +
                       "(dominated by the CountSketch decode with s = 4k; see left-sketch-centres for its dependence on s).";
        return new FigureResult(fig, table, claims, notes, verdict);
    }
}
