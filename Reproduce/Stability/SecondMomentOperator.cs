using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>The second-moment map T of every sampling model as an explicit symmetric matrix, for
/// the exact mean-square stability threshold (brief §2.3). Every model has the form
/// T(η) = I − 2η·C + η²·D with C = ½(H⊕H) and D = (1−β)·H⊗H + α·(1/n)ΣHᵢ⊗Hᵢ acting on symmetric
/// matrices; each part is self-adjoint for the Frobenius inner product, so T is a symmetric matrix in
/// an orthonormal basis of Sym.
/// <para>Structure used: (1) T leaves Sym(range H) invariant, and outside it acts as the identity
/// (flat directions) or as the mean dynamics I − ηH, which never grows faster than the Sym(range H)
/// block; so the restriction to Sym(range H) of dimension r(r+1)/2 (r = rank H ≤ min(d, Σ rank Hᵢ);
/// r ≤ n for least squares) decides stability. (2) In the eigenbasis of H, C is diagonal:
/// C·F_ab = ½(μ_a + μ_b)F_ab. (3) When every Hᵢ is diagonal (Figure 1), D is diagonal too, and
/// everything costs O(n·r²) with no eigensolver.</para>
/// <para>Then ρ(T(η)) = λ_max(T(η)) (T is positive, so its spectral radius is its top eigenvalue),
/// and the critical step size is η* = 2/λ_max(C^{−1/2} D C^{−1/2}): T(η) ⪯ I ⇔ η·D ⪯ 2C.
/// For sampling without replacement this is Mulayoff &amp; Michaeli's η*_var = 2/λ_max(C⁺D).</para></summary>
public sealed class SecondMomentOperator
{
    private readonly double[] _c;          // ½(μ_a + μ_b) per basis element
    private readonly double[]? _hhDiag;    // H⊗H on Sym (diagonal: μ_a μ_b)
    private readonly double[]? _kkDiag;    // (1/n)ΣHᵢ⊗Hᵢ when diagonal
    private readonly Matrix? _kkDense;     // (1/n)ΣHᵢ⊗Hᵢ in the orthonormal Sym basis

    private SecondMomentOperator(int n, int d, int rank, double[] c, double[] hh, double[]? kkDiag, Matrix? kkDense)
    {
        N = n;
        D = d;
        Rank = rank;
        _c = c;
        _hhDiag = hh;
        _kkDiag = kkDiag;
        _kkDense = kkDense;
    }

    /// <summary>Number of samples n.</summary>
    public int N { get; }

    /// <summary>Parameter dimension d.</summary>
    public int D { get; }

    /// <summary>r = rank H: the restricted map acts on r×r symmetric matrices.</summary>
    public int Rank { get; }

    /// <summary>Dimension r(r+1)/2 of the space the restricted map acts on.</summary>
    public int Dimension => _c.Length;

    /// <summary>True when the diagonal (axis-aligned) fast path is in use.</summary>
    public bool IsDiagonal => _kkDiag is not null;

    /// <summary>Builds the operator parts of a family. Cost: one d×d eigensolve plus O(n·r⁴) for a
    /// general family; O(n·d + n·r²) for a diagonal one.</summary>
    public static SecondMomentOperator For(HessianFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (family.IsDiagonal)
        {
            var diags = new double[family.N][];
            for (int i = 0; i < family.N; i++)
            {
                var h = family.Hessians[i];
                diags[i] = new double[family.D];
                for (int a = 0; a < family.D; a++) diags[i][a] = h[a, a];
            }
            return ForDiagonal(diags, family.D);
        }
        return ForDense(family);
    }

    /// <summary>The operator of the Figure-1 axis-aligned family without forming d×d matrices.</summary>
    public static SecondMomentOperator For(AxisAlignedFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        var diags = new double[family.N][];
        for (int i = 0; i < family.N; i++)
        {
            diags[i] = new double[family.D];
            diags[i][family.Axis(i)] = family.M;
        }
        return ForDiagonal(diags, family.D);
    }

    /// <summary>The restricted operator matrix T(η) = I − 2ηC + η²D (dimension r(r+1)/2) in the
    /// orthonormal basis F_aa = E_aa, F_ab = (E_ab + E_ba)/√2 of Sym(range H), written in H's eigenbasis.</summary>
    public Matrix OperatorMatrix(double eta, int batchSize, SamplingModel model)
    {
        SgdNoise.CheckStepSize(eta);
        var dm = NoiseMatrix(batchSize, model);
        int m = Dimension;
        var t = Matrix.Zeros(m, m);
        var ts = t.Span;
        var ds = dm.Span;
        for (int k = 0; k < ts.Length; k++) ts[k] = eta * eta * ds[k];
        for (int k = 0; k < m; k++) t[k, k] += 1 - 2 * eta * _c[k];
        return t;
    }

    /// <summary>ρ(T) on Sym(range H) at step size η: E‖w_t‖² grows like ρ^t. Mean-square stable iff ρ ≤ 1.</summary>
    public double SpectralRadius(double eta, int batchSize, SamplingModel model)
    {
        SgdNoise.CheckStepSize(eta);
        var (alpha, beta) = SgdNoise.Coefficients(N, batchSize, model);
        if (_kkDiag is not null)
        {
            double rho = 0;
            for (int k = 0; k < _c.Length; k++)
            {
                double dk = (1 - beta) * _hhDiag![k] + alpha * _kkDiag[k];
                rho = Math.Max(rho, Math.Abs(1 - 2 * eta * _c[k] + eta * eta * dk));
            }
            return rho;
        }
        if (Dimension == 0) return 0;
        var vals = Ops.SymmetricEigen(OperatorMatrix(eta, batchSize, model)).Values;
        return Math.Max(Math.Abs(vals[0]), Math.Abs(vals[vals.Rows - 1]));
    }

    /// <summary>The exact critical step size η* = 2/λ_max(C^{−1/2} D C^{−1/2}): mean-square stable
    /// (ρ(T) ≤ 1) iff η ≤ η*. +∞ when the noise and curvature vanish (H = 0).</summary>
    public double CriticalStepSize(int batchSize, SamplingModel model)
    {
        var (alpha, beta) = SgdNoise.Coefficients(N, batchSize, model);
        if (Dimension == 0) return double.PositiveInfinity;
        if (_kkDiag is not null)
        {
            double best = double.PositiveInfinity;
            for (int k = 0; k < _c.Length; k++)
            {
                double dk = (1 - beta) * _hhDiag![k] + alpha * _kkDiag[k];
                if (dk > 0) best = Math.Min(best, 2 * _c[k] / dk);
            }
            return best;
        }
        var g = NoiseMatrix(batchSize, model);
        int m = Dimension;
        var s = new double[m];
        for (int k = 0; k < m; k++) s[k] = 1 / Math.Sqrt(_c[k]);
        for (int j = 0; j < m; j++)
            for (int i = 0; i < m; i++)
                g[i, j] *= s[i] * s[j];
        var vals = Ops.SymmetricEigen(g).Values;
        double top = vals[m - 1];
        return top > 0 ? 2 / top : double.PositiveInfinity;
    }

    /// <summary>D = (1−β)·H⊗H + α·(1/n)ΣHᵢ⊗Hᵢ on Sym(range H) as a dense matrix.</summary>
    public Matrix NoiseMatrix(int batchSize, SamplingModel model)
    {
        var (alpha, beta) = SgdNoise.Coefficients(N, batchSize, model);
        int m = Dimension;
        var dm = Matrix.Zeros(m, m);
        if (_kkDense is not null)
        {
            var src = _kkDense.Span;
            var dst = dm.Span;
            for (int k = 0; k < dst.Length; k++) dst[k] = alpha * src[k];
        }
        for (int k = 0; k < m; k++)
            dm[k, k] += (1 - beta) * _hhDiag![k] + (_kkDiag is null ? 0 : alpha * _kkDiag[k]);
        return dm;
    }

    private static SecondMomentOperator ForDiagonal(double[][] diags, int d)
    {
        int n = diags.Length;
        var mean = new double[d];
        foreach (var h in diags)
            for (int a = 0; a < d; a++)
            {
                if (h[a] < 0) throw new ArgumentException($"A diagonal Hessian has a negative entry {h[a]} on axis {a}; Hessians must be PSD.", nameof(diags));
                mean[a] += h[a] / n;
            }
        var axes = Enumerable.Range(0, d).Where(a => mean[a] > 0).ToArray();
        int r = axes.Length;
        // G = (1/n)Σ hᵢhᵢᵀ restricted to the active axes, via one Gram of the n×r matrix.
        var hm = Matrix.Build(n, r, (i, k) => diags[i][axes[k]]);
        var gram = Ops.Gram(hm);
        int m = r * (r + 1) / 2;
        var c = new double[m];
        var hh = new double[m];
        var kk = new double[m];
        int idx = 0;
        for (int b = 0; b < r; b++)
            for (int a = 0; a <= b; a++, idx++)
            {
                double ma = mean[axes[a]], mb = mean[axes[b]];
                c[idx] = 0.5 * (ma + mb);
                hh[idx] = ma * mb;
                kk[idx] = gram[a, b] / n;
            }
        return new SecondMomentOperator(n, d, r, c, hh, kk, null);
    }

    private static SecondMomentOperator ForDense(HessianFamily family)
    {
        int n = family.N, d = family.D;
        var (vals, vecs) = Ops.SymmetricEigen(family.Mean);
        double top = vals[d - 1];
        double tol = Math.Max(top, 0) * d * 1e-12;
        var keep = Enumerable.Range(0, d).Where(k => vals[k] > tol).ToArray();
        int r = keep.Length;
        var q = Ops.GatherColumns(vecs, keep);
        var mu = keep.Select(k => vals[k]).ToArray();
        int m = r * (r + 1) / 2;
        var pairA = new int[m];
        var pairB = new int[m];
        var g = new double[m];
        var c = new double[m];
        var hh = new double[m];
        int idx = 0;
        for (int b = 0; b < r; b++)
            for (int a = 0; a <= b; a++, idx++)
            {
                pairA[idx] = a;
                pairB[idx] = b;
                g[idx] = a == b ? Math.Sqrt(0.5) : 1.0;
                c[idx] = 0.5 * (mu[a] + mu[b]);
                hh[idx] = mu[a] * mu[b];
            }
        // (1/n)ΣKᵢ⊗Kᵢ with Kᵢ = QᵀHᵢQ: entry (ab, cd) = g_ab g_cd (K_ac K_bd + K_ad K_bc).
        var kk = Matrix.Zeros(m, m);
        var ks = kk.Span;
        foreach (var h in family.Hessians)
        {
            var k = Ops.MatMul(q, Ops.MatMul(h, q), transA: true).ToArray(); // column-major r×r
            for (int col = 0; col < m; col++)
            {
                int cc = pairA[col], dd = pairB[col];
                double gc = g[col] / n;
                int off = col * m;
                for (int row = 0; row <= col; row++)
                {
                    int aa = pairA[row], bb = pairB[row];
                    ks[off + row] += g[row] * gc * (k[cc * r + aa] * k[dd * r + bb] + k[dd * r + aa] * k[cc * r + bb]);
                }
            }
        }
        for (int col = 0; col < m; col++)
            for (int row = col + 1; row < m; row++)
                ks[col * m + row] = ks[row * m + col];
        return new SecondMomentOperator(n, d, r, c, hh, null, kk);
    }
}
