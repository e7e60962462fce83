using Reproduce.Compute;
using Reproduce.LinearAlgebra;

namespace Reproduce.Logistic;

/// <summary>Feature-space sketching for logistic regression (Dexter, Khanna, Raheel, Drineas 2023, abstract; P1
/// Appendix D): replace X by a low-rank X̃ and bound the loss change by the forward-error bound
/// |L(β; X) − L(β; X̃)| ≤ ‖(X − X̃)β‖₁ ≤ √n ‖X − X̃‖₂ ‖β‖₂ (softplus is 1-Lipschitz). Constructions: rank-k SVD
/// truncation, leverage-score column selection X̃ = C C⁺ X, and random projection X̃ = X S (S S⁺) with S a d×k
/// sketch from <see cref="Reproduce.LinearAlgebra"/>.</summary>
public static class FeatureSketch
{
    /// <summary>Best rank-k approximation U_k Σ_k V_kᵀ.</summary>
    public static Matrix SvdTruncation(Matrix x, int k)
    {
        Check(x, k);
        var (u, s, v) = Ops.Svd(x);
        var uk = Ops.GatherColumns(u, Enumerable.Range(0, k).ToArray());
        var vk = Ops.GatherColumns(v, Enumerable.Range(0, k).ToArray());
        var sk = Matrix.Vector(s.ToArray().AsSpan(0, k).ToArray());   // σ₁..σ_k (downloaded when the SVD ran on a GPU)
        return Ops.MatMul(Ops.ScaleColumns(uk, sk.Device.Kind == x.Device.Kind ? sk : sk.To(x.Device)), vk, transB: true);
    }

    /// <summary>Column selection: k columns sampled without replacement with probability ∝ their rank-k leverage scores
    /// ‖V_k(j,:)‖², X̃ = C C⁺ X (projection onto the span of the selected columns). Returns X̃ and the columns.</summary>
    public static (Matrix Approx, int[] Columns) LeverageColumnSelection(Matrix x, int k, Rng rng)
    {
        Check(x, k); ArgumentNullException.ThrowIfNull(rng);
        var (_, _, vd) = Ops.Svd(x);
        using var v = vd.ToCpu();   // leverage scores are read entry by entry on the host
        int d = x.Cols;
        var lev = new double[d];
        for (int j = 0; j < d; j++) for (int r = 0; r < k; r++) lev[j] += v[j, r] * v[j, r];
        var chosen = new List<int>(); var w = (double[])lev.Clone();
        for (int t = 0; t < k; t++)
        {
            double tot = w.Sum(); double u = rng.Uniform() * tot; int pick = -1;
            for (int j = 0; j < d; j++) { if (w[j] <= 0) continue; u -= w[j]; pick = j; if (u <= 0) break; }
            if (pick < 0) pick = Enumerable.Range(0, d).First(j => !chosen.Contains(j));
            chosen.Add(pick); w[pick] = 0;
        }
        var cols = chosen.Order().ToArray();
        var c = Ops.GatherColumns(x, cols);
        var (q, _) = Ops.Qr(c);
        return (Ops.MatMul(q, Ops.MatMul(q, x, transA: true)), cols);
    }

    /// <summary>Random projection X̃ = X P with P the orthogonal projector onto range(Sᵀ) for a k×d sketch S (Gaussian here),
    /// i.e. X S S⁺ written with S as d×k.</summary>
    public static Matrix RandomProjection(Matrix x, int k, Rng rng)
    {
        Check(x, k); ArgumentNullException.ThrowIfNull(rng);
        var sk = new GaussianSketch(k, x.Cols, rng);
        var st = Ops.Transpose(sk.S);                  // d×k
        var (q, _) = Ops.Qr(st);                       // d×k orthonormal basis of range(S)
        var qd = x.Device.Kind == DeviceKind.Cpu ? q : q.To(x.Device);
        return Ops.MatMul(Ops.MatMul(x, qd), qd, transB: true);
    }

    /// <summary>(|L(β; X) − L(β; X̃)|, √n‖X − X̃‖₂‖β‖₂) for labels y (the loss convention L = Σ softplus(−yᵢxᵢᵀβ)).</summary>
    public static (double Error, double Bound) ForwardError(Matrix x, Matrix approx, double[] y, double[] beta, double? spectralNorm = null)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(approx);
        var yv = Linalg.Vec(y, x.Device);
        var z = Ops.ScaleRows(yv, x); var za = Ops.ScaleRows(yv, approx);
        double err = Math.Abs(LogisticLoss.Value(z, beta) - LogisticLoss.Value(za, beta));
        double sn = spectralNorm ?? SpectralNorm(Ops.Sub(x, approx));
        return (err, Math.Sqrt(x.Rows) * sn * Linalg.Norm(beta));
    }

    /// <summary>‖A‖₂ (largest singular value, from the thin SVD).</summary>
    public static double SpectralNorm(Matrix a)
    {
        var (u, s, v) = Ops.Svd(a);
        using (u) using (v) using (s) return s.ToArray()[0];   // ToArray downloads when the SVD ran on a GPU
    }

    private static void Check(Matrix x, int k)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (k < 1 || k > x.Cols) throw new ArgumentException($"FeatureSketch: k = {k}; it must lie in 1..d = {x.Cols}.", nameof(k));
    }
}
