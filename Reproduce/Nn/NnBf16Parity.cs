using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Nn;

/// <summary>The bf16 GEMM option on CUDA (<see cref="CudaBackend.Bf16"/>) against float64 on the host.
/// Bounds, elementwise for C = AB with inner dimension k (|A||B| the product of absolute values):
/// <list type="bullet">
/// <item>against the product of the unrounded operands: each operand is rounded with relative error
/// at most u = 2⁻⁸ (bf16's 8-bit significand, round to nearest), so each product aᵢbᵢ carries at most
/// 2u + u², and the float32 accumulation adds at most γₖ = k·2⁻²⁴/(1 − k·2⁻²⁴) (Higham, Thm. 3.5):
/// |C_gpu − C| ≤ (2u + u² + γₖ)·|A||B|;</item>
/// <item>against the product of the operands rounded on the host to bf16 (<see cref="Bf16.Round"/>):
/// only the float32 accumulation remains, |C_gpu − Ĉ| ≤ γₖ·|Â||B̂|; this fails if the device rounds
/// differently from round-to-nearest-even;</item>
/// <item>the rounding must show: max |C_gpu − C| / (|A||B|) &gt; γₖ, which a float32 (or TF32-free)
/// GEMM cannot exceed, so the check fails if the option silently leaves the operands in float32.
/// With normal entries the bf16 error is ≈ 1.3u/√k per entry (k = 300: 3e-4, 8× γₖ), so the
/// largest of thousands of entries clears γₖ by far.</item>
/// </list></summary>
public static class NnBf16Parity
{
    /// <summary>A GEMM under test: C (m×n, float32) = op(A)·op(B) on some device; returns C on the host.</summary>
    public delegate double[] GemmUnderTest(Matrix a, bool transA, Matrix b, bool transB, int m, int n);

    /// <summary>The checks on a CUDA device with bf16 on (plain GEMM in all four transpose forms and
    /// the strided batched GEMM of attention), then a short GPU training run with bf16 GEMMs.
    /// Empty on any other device.</summary>
    public static List<NnCheckResult> Run(Device device, int trainSteps, ulong seed = 1)
    {
        var results = new List<NnCheckResult>();
        if (device.Backend is not CudaBackend cu) return results;
        bool was = cu.Bf16;
        cu.Bf16 = true;
        try
        {
            results.AddRange(CheckGemm("bf16 gemm", (a, ta, b, tb, m, n) =>
            {
                using var ad = a.To(device); using var bd = b.To(device);
                using var c = Matrix.Zeros(m, n, DType.F32, device);
                Ops.Gemm(ad, ta, bd, tb, c, 1, 0);
                return c.ToArray();
            }, seed));
            results.AddRange(CheckGemm("bf16 batched gemm", (a, ta, b, tb, m, n) => cu.GemmBatchedForCheck(a, ta, b, tb, m, n / 3, 3), seed, batched: true));
            var r = NnCheck.TrainingFalls(device, trainSteps);
            results.Add(r with { Name = r.Name + " with bf16 GEMMs" });
        }
        finally { cu.Bf16 = was; }
        return results;
    }

    /// <summary>The three bounds of the class remarks for one GEMM implementation, m = 70, n = 90,
    /// k = 300, in every transpose form (batched: op(A) = Aᵀ and A, op(B) = B, three blocks side by side).</summary>
    public static List<NnCheckResult> CheckGemm(string name, GemmUnderTest gemm, ulong seed = 1, bool batched = false)
    {
        const int m = 70, n = 90, k = 300;
        double u = Bf16.UnitRoundoff, gk = k * Math.Pow(2, -23) / (1 - k * Math.Pow(2, -23));
        int blocks = batched ? 3 : 1;
        var results = new List<NnCheckResult>();
        var forms = batched ? new[] { (true, false), (false, false) } : new[] { (false, false), (true, false), (false, true), (true, true) };
        foreach (var (ta, tb) in forms)
        {
            var rng = new Rng(seed).Fork($"bf16-{name}-{ta}-{tb}");
            // Stored shapes: op(A) is m×k, op(B) is k×n; blocks lie side by side (column offsets).
            var a = rng.NormalMatrix(ta ? k : m, (ta ? m : k) * blocks).AsType(DType.F32);
            var b = rng.NormalMatrix(tb ? n : k, (tb ? k : n) * blocks).AsType(DType.F32);
            double[] got = gemm(a, ta, b, tb, m, n * blocks);
            double[] A = a.ToArray(), B = b.ToArray();
            double[] Ar = A.Select(x => (double)Bf16.Round((float)x)).ToArray(), Br = B.Select(x => (double)Bf16.Round((float)x)).ToArray();
            double worstExact = 0, worstRounded = 0, shown = 0;
            for (int blk = 0; blk < blocks; blk++)
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < m; i++)
                    {
                        double c = 0, cr = 0, abs = 0, absr = 0;
                        for (int l = 0; l < k; l++)
                        {
                            int ia = ta ? (blk * m + i) * k + l : (blk * k + l) * m + i;
                            int ib = tb ? (blk * k + l) * n + j : (blk * n + j) * k + l;
                            c += A[ia] * B[ib]; cr += Ar[ia] * Br[ib];
                            abs += Math.Abs(A[ia] * B[ib]); absr += Math.Abs(Ar[ia] * Br[ib]);
                        }
                        double g = got[(blk * n + j) * m + i];
                        worstExact = Math.Max(worstExact, Math.Abs(g - c) / abs / (2 * u + u * u + gk));
                        worstRounded = Math.Max(worstRounded, Math.Abs(g - cr) / absr / gk);
                        shown = Math.Max(shown, Math.Abs(g - c) / abs);
                    }
            string form = $"{(ta ? "Aᵀ" : "A")}{(tb ? "Bᵀ" : "B")}";
            results.Add(new NnCheckResult($"{name} {form} vs float64 of the float32 operands", worstExact <= 1,
                $"worst |error| / ((2u + u² + γₖ)|A||B|) = {worstExact:F3} (≤ 1; u = 2⁻⁸, γₖ = {gk:E2}, k = {k})"));
            results.Add(new NnCheckResult($"{name} {form} vs float64 of bf16-rounded operands", worstRounded <= 1 && shown > gk,
                $"worst |error| / (γₖ|Â||B̂|) = {worstRounded:F3} (≤ 1); rounding shows: max |error| / |A||B| vs the unrounded product {shown:E2} (> γₖ = {gk:E2})"));
        }
        return results;
    }
}
