using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>One CPU-vs-CUDA comparison of a pruner: pass or fail with what was measured.</summary>
public sealed record CompressionParityResult(string Check, bool Pass, string Detail);

/// <summary>CPU against CUDA for SparseGPT and ALPS on small synthetic layers: the checks the [CudaFact] tests run
/// and `reproduce compress check --device cuda` prints (for machines without the .NET SDK).
///
/// Tolerances, fixed from the error analysis in SparseGpt.Cuda.cs / Alps.Cuda.cs, not from runs: the two paths run
/// the same float64 algorithm and differ only in the summation order of the Cholesky factor, the triangular solves
/// and the GEMMs (cuSOLVER/cuBLAS against LAPACK/BLAS): ~d_in·ε ≈ 3e-14 relative per operation, times the condition
/// number of the damped, scaled Gram (≤ ~1e4 on these layers with 1 % damping: mean(diag)/λ_min), so weights and
/// objectives agree to ~1e-9; SparseGPT's mask and ALPS's float64 support are then equal unless two saliencies lie
/// within that of each other (vanishingly rare on continuous random data). SparseGPT: masks equal, weights within
/// 1e-8·max|W|, objective within 1e-8 relative. ALPS with float64 solves: support equal, the same ADMM path (iterations,
/// stop, final ρ), objective within 1e-7 relative (a tenfold margin for up to 300 ADMM iterations before the refit). ALPS with float32 solves (the default): the iterates differ by
/// float32 rounding (~1e-7), so the support may differ; checked: exactly k kept (or N:M valid) and an objective no
/// worse than magnitude pruning's (the oracle every exact-H method must meet); the CPU/CUDA objective ratio is reported.</summary>
public static class CompressionCudaParity
{
    /// <summary>Runs every check on <paramref name="gpu"/>.</summary>
    public static IReadOnlyList<CompressionParityResult> Run(Device gpu, ulong seed = 7)
    {
        var results = new List<CompressionParityResult>();
        var sg = SyntheticLayer.Create(64, 320, 640, new Rng(seed));   // 320 = two full blocks of 128 and one of 64
        foreach (var t in new[] { "0.5", "0.7", "2:4", "1:4" })
            results.AddRange(SparseGpt(gpu, sg, Parse(t)));
        var al = SyntheticLayer.Create(32, 128, 256, new Rng(seed + 1));
        foreach (var t in new[] { "0.5", "2:4" })
        {
            results.AddRange(AlpsFloat64(gpu, al, Parse(t)));
            results.AddRange(AlpsFloat32(gpu, al, Parse(t)));
        }
        return results;
    }

    internal static SparsityTarget Parse(string t) =>
        t.Contains(':') ? SparsityTarget.ParsePattern(t) : SparsityTarget.Unstructured(double.Parse(t, CultureInfo.InvariantCulture));

    private static IEnumerable<CompressionParityResult> SparseGpt(Device gpu, LayerProblem p, SparsityTarget t)
    {
        var cpu = new SparseGpt().Prune(p, t);
        var dev = new SparseGpt { Device = gpu }.Prune(p, t);
        string name = $"sparsegpt {t} {p.Rows}×{p.Cols}";
        yield return Masks(name, cpu.Weights, dev.Weights);
        double scale = cpu.Weights.ToArray().Max(Math.Abs), diff = MaxDiff(cpu.Weights, dev.Weights);
        yield return new(name + ": weights", diff <= 1e-8 * scale, F($"max |Δw| = {diff:E2}, bound 1e-8·max|W| = {1e-8 * scale:E2}"));
        yield return Objective(name, cpu, dev, 1e-8);
        if (t.IsPattern) yield return new(name + ": N:M valid on CUDA", PruningMask.SatisfiesNM(dev.Weights.Span, p.Rows, t.N, t.M), "");
    }

    private static IEnumerable<CompressionParityResult> AlpsFloat64(Device gpu, LayerProblem p, SparsityTarget t)
    {
        var cpu = new Alps { AdmmFloat32 = false }.Prune(p, t);
        var dev = new Alps { AdmmFloat32 = false, Device = gpu }.Prune(p, t);
        string name = $"alps float64 solves {t} {p.Rows}×{p.Cols}";
        yield return Masks(name, cpu.Weights, dev.Weights);
        yield return Objective(name, cpu, dev, 1e-7);
        string Stop(CompressionResult r) => r.Notes.FirstOrDefault(n => n.StartsWith("ADMM stopped", StringComparison.Ordinal)) ?? "?";
        yield return new(name + ": same ADMM path", Stop(cpu) == Stop(dev), $"CPU: {Stop(cpu)} CUDA: {Stop(dev)}");
    }

    private static IEnumerable<CompressionParityResult> AlpsFloat32(Device gpu, LayerProblem p, SparsityTarget t)
    {
        var cpu = new Alps().Prune(p, t);
        var dev = new Alps { Device = gpu }.Prune(p, t);
        var mag = MagnitudePruner.Prune(p, t);
        string name = $"alps float32 solves {t} {p.Rows}×{p.Cols}";
        long nz = dev.Weights.ToArray().LongCount(v => v != 0);
        yield return t.IsPattern
            ? new(name + ": N:M valid on CUDA", PruningMask.SatisfiesNM(dev.Weights.Span, p.Rows, t.N, t.M), "")
            : new(name + ": k kept on CUDA", nz <= t.Kept((long)p.Rows * p.Cols), F($"{nz} nonzeros, k = {t.Kept((long)p.Rows * p.Cols)}"));
        yield return new(name + ": no worse than magnitude", dev.Objective <= mag.Objective,
            F($"CUDA {dev.Objective:G6}, magnitude {mag.Objective:G6}; CPU {cpu.Objective:G6} (CUDA/CPU {dev.Objective / cpu.Objective:F4})"));
    }

    private static CompressionParityResult Masks(string name, Matrix a, Matrix b)
    {
        var x = a.ToArray(); var y = b.ToArray();
        long differ = 0;
        for (int i = 0; i < x.Length; i++) if ((x[i] == 0) != (y[i] == 0)) differ++;
        return new(name + ": masks equal", differ == 0, F($"{differ} of {x.Length} entries differ"));
    }

    private static CompressionParityResult Objective(string name, CompressionResult cpu, CompressionResult dev, double tol)
    {
        double rel = Math.Abs(dev.Objective - cpu.Objective) / Math.Max(cpu.Objective, double.Epsilon);
        return new(name + ": objective", rel <= tol, F($"CPU {cpu.Objective:G10}, CUDA {dev.Objective:G10}, relative difference {rel:E2} (bound {tol:E0})"));
    }

    private static double MaxDiff(Matrix a, Matrix b)
    {
        var x = a.ToArray(); var y = b.ToArray();
        double m = 0;
        for (int i = 0; i < x.Length; i++) m = Math.Max(m, Math.Abs(x[i] - y[i]));
        return m;
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
