using System.Diagnostics;
using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>HASSLE-free sparse + low-rank (Makni, Behdin, Xu, Ponomareva, Mazumder, CPAL 2025; brief §2.6):
/// min over S (N:M or unstructured-k) and L (rank ≤ r) of tr((Ŵ − S − L)H(Ŵ − S − L)ᵀ) with the full H,
/// by alternating minimisation: S ← exact-H pruner applied to Ŵ − L; L ← the closed-form low-rank step on
/// Ŵ − S; keep the best (S, L) by the true objective. (The released code solves the low-rank step with Adam
/// on a LoRA factorisation; the closed form is its exact minimiser, used here on the CPU.)</summary>
public sealed class HassleFree
{
    /// <summary>Alternating-minimisation iterations (80 as released).</summary>
    public int Iterations { get; init; } = 80;

    /// <summary>Pruner for the sparse step.</summary>
    public SparseStep Sparse { get; init; } = SparseStep.SparseGpt;

    /// <summary>Damping fraction of mean(diag H) for the sparse step (and the low-rank step when H is singular).</summary>
    public double Percdamp { get; init; } = 0.01;

    /// <summary>ADMM iteration cap when the sparse step is ALPS (200 inside HASSLE-free as released).</summary>
    public int AlpsIterations { get; init; } = 200;

    /// <summary>Compresses Ŵ into S + L.</summary>
    public CompressionResult Compress(LayerProblem p, SparsityTarget target, int rank)
    {
        ArgumentNullException.ThrowIfNull(p); ArgumentNullException.ThrowIfNull(target);
        LowRankStep.CheckRank(rank, p.Rows, p.Cols);
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "HASSLE-free needs at least one alternating-minimisation iteration (80 as released).");
        target.CheckFits(p.Cols);
        var sw = Stopwatch.StartNew();
        var notes = new List<string>();
        var lowRank = new LowRankStep(p, Percdamp, notes);
        var l = Matrix.Zeros(p.Rows, p.Cols);
        Matrix? bestS = null, bestL = null;
        double best = double.PositiveInfinity;
        var history = new List<double>();
        for (int t = 0; t < Iterations; t++)
        {
            var residual = Ops.Sub(p.W, l);
            var step = Sparse == SparseStep.Alps
                ? new Alps { Percdamp = Percdamp, InitialRho = 0.1 * (5 * t + 1), MaxIterations = AlpsIterations }.Prune(p, target, residual)
                : new SparseGpt { Percdamp = Percdamp }.Prune(p, target, residual);
            if (t == 0) notes.AddRange(step.Notes.Where(n => !n.StartsWith("ADMM", StringComparison.Ordinal)));
            var s = step.Weights;
            l = lowRank.Solve(Ops.Sub(p.W, s), rank);
            double obj = p.Objective(Ops.Add(s, l));
            if (obj < best) { best = obj; bestS = s; bestL = l; }
            history.Add(p.RelativeError(Ops.Add(bestS!, bestL!)));
        }
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"{Iterations} alternating-minimisation iterations, sparse step {Sparse}, rank {rank}."));
        var w = Ops.Add(bestS!, bestL!);
        return CompressionResult.Of($"hassle-free ({(Sparse == SparseStep.Alps ? "alps" : "sparsegpt")})", p, w, sw.Elapsed, notes, sparsityOf: bestS)
            with { Sparse = bestS, LowRank = bestL, History = history };
    }
}
