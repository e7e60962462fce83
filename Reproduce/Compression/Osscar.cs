using System.Diagnostics;
using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>OSSCAR structured pruning (arXiv 2403.12983; brief §2.3): keep K of the d_in/G input groups
/// (G consecutive input columns: G = 1 for FFN neurons at the down-projection, G = head_dim for attention
/// heads at the output projection) minimising tr((Ŵ − W)H(Ŵ − W)ᵀ), H damped by λ₂·mean(diag H)·I.
/// Greedy elimination: deleting group g with optimal compensation costs tr(W_g[(H⁻¹)_gg]⁻¹W_gᵀ); remove the
/// cheapest <see cref="UpdateIter"/> groups, update W ← W − W_g[(H⁻¹)_gg]⁻¹(H⁻¹)_{g,:} and downdate H⁻¹;
/// re-solve least squares on the kept groups; then local search swaps groups while the objective falls.</summary>
public sealed class Osscar
{
    /// <summary>λ₂, the damping fraction of mean(diag H) (1e-2 as released).</summary>
    public double Percdamp { get; init; } = 1e-2;

    /// <summary>Groups removed per greedy step (1 = exact greedy; 10 for FFN and 2 for heads as released).</summary>
    public int UpdateIter { get; init; } = 1;

    /// <summary>Local-search iterations (30 as released; 0 turns local search off).</summary>
    public int LocalIterations { get; init; } = 30;

    /// <summary>Initial number of groups swapped per local-search move (halved on every rejected move).</summary>
    public int NumSwap { get; init; } = 4;

    /// <summary>Prunes Ŵ to <paramref name="keepGroups"/> groups of <paramref name="groupSize"/> input columns.</summary>
    public CompressionResult Prune(LayerProblem p, int groupSize, int keepGroups)
    {
        ArgumentNullException.ThrowIfNull(p);
        CheckGroups(p.Cols, groupSize, keepGroups);
        if (UpdateIter < 1) throw new ArgumentOutOfRangeException(nameof(UpdateIter), UpdateIter, "groups removed per step must be ≥ 1.");
        var sw = Stopwatch.StartNew();
        var notes = new List<string>();
        var h = Damping.Damp(p, Percdamp, notes, "osscar");
        int groups = p.Cols / groupSize;
        var kept = Greedy(p, h, groupSize, groups, keepGroups);
        var w = Refit(p, Columns(kept, groupSize), h);
        double greedyObjective = p.Objective(w);
        int accepted = 0;
        if (LocalIterations > 0 && keepGroups < groups && keepGroups > 0)
            (kept, w, accepted) = LocalSearch(p, h, groupSize, groups, kept, w);
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"greedy objective {greedyObjective:G6}; local search accepted {accepted} swap(s), objective {p.Objective(w):G6}; kept groups [{string.Join(",", kept.Order())}]."));
        return CompressionResult.Of("osscar", p, w, sw.Elapsed, notes);
    }

    /// <summary>Validates a structured target.</summary>
    public static void CheckGroups(int dIn, int groupSize, int keepGroups)
    {
        if (groupSize < 1 || dIn % groupSize != 0)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, $"group size must be ≥ 1 and divide d_in = {dIn} (groups are G consecutive input columns).");
        int groups = dIn / groupSize;
        if (keepGroups < 0 || keepGroups > groups)
            throw new ArgumentOutOfRangeException(nameof(keepGroups), keepGroups, $"keep-groups must lie in 0..{groups} (d_in = {dIn} holds {groups} groups of {groupSize}).");
    }

    /// <summary>The input columns of the given groups, ascending.</summary>
    public static int[] Columns(IEnumerable<int> groups, int groupSize) =>
        groups.Order().SelectMany(g => Enumerable.Range(g * groupSize, groupSize)).ToArray();

    private List<int> Greedy(LayerProblem p, Matrix h, int gs, int groups, int keep)
    {
        int rows = p.Rows, n = p.Cols;
        var hinv = Damping.Inverse(h, Percdamp, "osscar");
        var w = p.W.Copy();
        var alive = new HashSet<int>(Enumerable.Range(0, groups));
        while (alive.Count > keep)
        {
            var costs = alive.Select(g => (g, cost: DeletionCost(w, hinv, g, gs))).OrderBy(t => t.cost).ThenBy(t => t.g).ToList();
            foreach (var (g, _) in costs.Take(Math.Min(UpdateIter, alive.Count - keep)))
            {
                // Block inverse of (H⁻¹)_gg, then W ← W − W_g·B·(H⁻¹)_{g,:}, H⁻¹ ← H⁻¹ − (H⁻¹)_{:,g}·B·(H⁻¹)_{g,:}.
                var cols = Enumerable.Range(g * gs, gs).ToArray();
                var b = InverseBlock(hinv, cols);
                var wg = Ops.GatherColumns(w, cols);                      // rows × gs
                var hg = Matrix.Build(gs, n, (a, j) => hinv[cols[a], j]);  // gs × n
                var bh = Ops.MatMul(b, hg);
                Ops.Gemm(wg, false, bh, false, w, alpha: -1, beta: 1);
                Ops.Gemm(hg, true, bh, false, hinv, alpha: -1, beta: 1);
                foreach (int c in cols)
                {
                    for (int r = 0; r < rows; r++) w[r, c] = 0;
                    for (int j = 0; j < n; j++) { hinv[c, j] = 0; hinv[j, c] = 0; }
                }
                alive.Remove(g);
            }
        }
        return [.. alive];
    }

    /// <summary>The final least-squares re-solve on the kept columns: on the undamped H when H_SS is
    /// positive definite (then it is the exact optimum for the support; damping relative to mean(diag H)
    /// is large for ordinary channels when a few outlier channels dominate the diagonal), else on the damped H.</summary>
    private static Matrix Refit(LayerProblem p, int[] cols, Matrix damped)
    {
        try { return LeastSquaresRefit.SharedColumns(p, cols, p.H); }
        catch (ArgumentException) { return LeastSquaresRefit.SharedColumns(p, cols, damped); }
    }

    /// <summary>tr(W_g[(H⁻¹)_gg]⁻¹W_gᵀ): the objective increase of deleting group g and re-solving the rest.</summary>
    internal static double DeletionCost(Matrix w, Matrix hinv, int g, int gs)
    {
        var cols = Enumerable.Range(g * gs, gs).ToArray();
        var b = InverseBlock(hinv, cols);
        var wg = Ops.GatherColumns(w, cols);
        var wb = Ops.MatMul(wg, b);
        double s = 0;
        var x = wb.Span; var y = wg.Span;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    private static Matrix InverseBlock(Matrix m, int[] idx)
    {
        var blk = Matrix.Build(idx.Length, idx.Length, (a, b) => m[idx[a], idx[b]]);
        return Damping.CholeskySolveOrExplain(blk, Matrix.Identity(idx.Length), "osscar");
    }

    /// <summary>Kept groups tried as the outgoing group of a one-group swap before local search stops.</summary>
    public int SwapCandidates { get; init; } = 8;

    private (List<int> Kept, Matrix W, int Accepted) LocalSearch(LayerProblem p, Matrix damped, int gs, int groups, List<int> kept, Matrix w)
    {
        // Search on the undamped H when it is positive definite (N ≥ d_in), so moves are judged on the objective itself.
        Matrix h = damped;
        try { Damping.CholeskyOrExplain(p.H, 0, "osscar"); h = p.H; } catch (ArgumentException) { }
        double best = p.Objective(w);
        int swap = Math.Max(1, Math.Min(NumSwap, Math.Min(kept.Count, groups - kept.Count)));
        int accepted = 0;
        var wh = Ops.MatMul(p.W, h);
        for (int it = 0; it < LocalIterations && swap >= 1; it++)
        {
            // Out: the kept groups whose deletion (with compensation inside the kept set) costs least.
            var keptCols = Columns(kept, gs);
            var hssInv = InverseBlock(h, keptCols);
            var wS = Ops.GatherColumns(w, keptCols);
            var byCost = kept.Order().Select((g, k) => (g, cost: DeletionCost(wS, hssInv, k, gs))).OrderBy(t => t.cost).Select(t => t.g).ToList();
            var outSets = swap > 1 ? [byCost.Take(swap).ToList()] : byCost.Take(SwapCandidates).Select(g => new List<int> { g }).ToList();
            bool improved = false;
            foreach (var outs in outSets)
            {
                var reduced = kept.Where(g => !outs.Contains(g)).ToList();
                var trial = reduced.Concat(BestAdditions(p, h, wh, gs, groups, kept, reduced, outs.Count)).ToList();
                var wt = Refit(p, Columns(trial, gs), damped);
                double obj = p.Objective(wt);
                if (obj < best * (1 - 1e-12)) { best = obj; kept = trial; w = wt; accepted++; improved = true; break; }
            }
            if (!improved) swap /= 2;
        }
        return (kept, w, accepted);
    }

    /// <summary>The <paramref name="count"/> pruned groups with the largest gain tr(r_g C_g⁻¹ r_gᵀ) when added
    /// to <paramref name="reduced"/>: r_g = (ŴH)[:, g] − W_{S'}H[S', g] (the residual correlation) and
    /// C_g = H_gg − H_gS'(H_S'S')⁻¹H_S'g (a Schur complement).</summary>
    private static IEnumerable<int> BestAdditions(LayerProblem p, Matrix h, Matrix wh, int gs, int groups, List<int> kept, List<int> reduced, int count)
    {
        var rCols = Columns(reduced, gs);
        var wR = LeastSquaresRefit.SharedColumns(p, rCols, h);
        var resid = Ops.Sub(wh, Ops.MatMul(wR, h));
        Matrix? m = null;
        if (rCols.Length > 0)
        {
            var hsr = Matrix.Build(rCols.Length, rCols.Length, (a, b) => h[rCols[a], rCols[b]]);
            var hsAll = Matrix.Build(rCols.Length, p.Cols, (a, j) => h[rCols[a], j]);
            m = Ops.MatMul(hsAll, Damping.CholeskySolveOrExplain(hsr, hsAll, "osscar"), transA: true);  // H_:,S'(H_S'S')⁻¹H_S',:
        }
        var keptSet = kept.ToHashSet();
        return Enumerable.Range(0, groups).Where(g => !keptSet.Contains(g)).Select(g =>
        {
            var cols = Enumerable.Range(g * gs, gs).ToArray();
            var cg = Matrix.Build(gs, gs, (a, b) => h[cols[a], cols[b]] - (m is null ? 0 : m[cols[a], cols[b]]));
            var rgT = Ops.Transpose(Ops.GatherColumns(resid, cols));
            var x = Damping.CholeskySolveOrExplain(cg, rgT, "osscar");
            double gain = 0;
            var xs = x.Span; var rt = rgT.Span;
            for (int i = 0; i < xs.Length; i++) gain += xs[i] * rt[i];
            return (g, gain);
        }).OrderByDescending(t => t.gain).Take(count).Select(t => t.g).ToList();
    }
}
