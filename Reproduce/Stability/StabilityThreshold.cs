using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>Step-size thresholds for mean-square stability of linearized SGD: the paper's
/// Theorem 1 (sufficient condition for divergence) and Theorem 2 (construction that stays stable),
/// plus the exact critical step size by two independent routes (arXiv:2401.12332 §3–4; brief §2.3–2.6).</summary>
public static class StabilityThreshold
{
    /// <summary>Theorem 1 as a step size: η₁ = σ·√(B/(n − B))/λ₁(H). For η ≥ η₁ linearized SGD under
    /// Bernoulli sampling diverges in mean square; +∞ when B = n (no noise, the theorem is silent).</summary>
    public static double Theorem1StepSize(double sharpness, double sigma, int n, int batchSize)
    {
        SgdNoise.CheckBatch(n, batchSize);
        CheckPositive(sharpness, nameof(sharpness));
        CheckPositive(sigma, nameof(sigma));
        if (batchSize == n) return double.PositiveInfinity;
        return sigma * Math.Sqrt(batchSize / (double)(n - batchSize)) / sharpness;
    }

    /// <summary>Theorem 1's condition λ₁(H) ≥ (σ/η)(n/B − 1)^{−1/2}, written (η/σ)²(n/B − 1)λ₁(H)² ≥ 1
    /// (we use ≥; whether the paper writes ≥ or &gt; is not in the available text).</summary>
    public static bool Theorem1PredictsDivergence(double sharpness, double sigma, double eta, int n, int batchSize)
    {
        SgdNoise.CheckStepSize(eta);
        SgdNoise.CheckBatch(n, batchSize);
        CheckPositive(sharpness, nameof(sharpness));
        CheckPositive(sigma, nameof(sigma));
        double ratio = eta / sigma * sharpness;
        return ratio * ratio * ((double)n / batchSize - 1) >= 1;
    }

    /// <summary>Theorem 1's step size for a family: σ and λ₁(H) computed from the Hessians.</summary>
    public static double Theorem1StepSize(HessianFamily family, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(family);
        return Theorem1StepSize(family.Sharpness, Coherence.Sigma(family), family.N, batchSize);
    }

    /// <summary>The Theorem-2 construction (Hᵢ = (λn/σ)e₁e₁ᵀ for σ samples, 0 otherwise) under Bernoulli
    /// sampling is mean-square stable iff λ &lt; 2σ/(η(σ + n/B − 1)) (brief §2.6, derived from its
    /// one-step factor (1 − ηλ)² + (ηλ)²(n/B − 1)/σ). Returns that bound on λ.</summary>
    public static double Theorem2SharpnessBound(double eta, int n, int batchSize, double sigma)
    {
        SgdNoise.CheckStepSize(eta);
        SgdNoise.CheckBatch(n, batchSize);
        CheckPositive(sigma, nameof(sigma));
        return 2 * sigma / (eta * (sigma + (double)n / batchSize - 1));
    }

    /// <summary>Exact critical step size of a family (η* = 2/λ_max(C^{−1/2}DC^{−1/2}) on Sym(range H)).</summary>
    public static double CriticalStepSize(HessianFamily family, int batchSize, SamplingModel model) =>
        SecondMomentOperator.For(family).CriticalStepSize(batchSize, model);

    /// <summary>Mulayoff &amp; Michaeli's exact threshold for sampling without replacement, computed as
    /// they state it on the full d²-dimensional Kronecker space: p = (n−B)/(B(n−1)),
    /// C = ½(H⊗I + I⊗H), D = (1 − p)H⊗H + p(1/n)ΣHᵢ⊗Hᵢ, η*_var = 2/λ_max(C⁺D). λ_max(C⁺D) is taken as
    /// λ_max of the symmetric C^{+1/2}DC^{+1/2} from an eigendecomposition of the explicit C. Costs
    /// O(d⁶): an independent check of <see cref="CriticalStepSize"/> for small d.</summary>
    public static double MulayoffStepSize(HessianFamily family, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(family);
        var (p, _) = SgdNoise.Coefficients(family.N, batchSize, SamplingModel.WithoutReplacement);
        int d = family.D, dd = d * d;
        var h = family.Mean;
        var eye = Matrix.Identity(d);
        var c = Ops.Scale(Ops.Add(Kron(h, eye), Kron(eye, h)), 0.5);
        var dm = Ops.Scale(Kron(h, h), 1 - p);
        foreach (var hi in family.Hessians) Ops.Axpy(p / family.N, Kron(hi, hi), dm);
        var (cv, cw) = Ops.SymmetricEigen(c);
        double tol = Math.Max(cv[dd - 1], 0) * dd * 1e-12;
        // C^{+1/2} = W diag(1/√c) Wᵀ over the positive eigenvalues.
        var keep = Enumerable.Range(0, dd).Where(k => cv[k] > tol).ToArray();
        if (keep.Length == 0) return double.PositiveInfinity;
        var w = Ops.GatherColumns(cw, keep);
        var scale = Matrix.Vector(keep.Select(k => 1 / Math.Sqrt(cv[k])).ToArray());
        var ws = Ops.ScaleColumns(w, scale);
        var g = Ops.MatMul(ws, Ops.MatMul(dm, ws), transA: true);
        Symmetrize(g);
        var vals = Ops.SymmetricEigen(g).Values;
        double top = vals[vals.Rows - 1];
        return top > 0 ? 2 / top : double.PositiveInfinity;
    }

    /// <summary>Critical step size by bisection on ρ(T(η)) = 1 (ρ from the explicit operator's
    /// eigenvalues), relative tolerance <paramref name="relTol"/>. A second route to
    /// <see cref="CriticalStepSize"/>.</summary>
    public static double BisectStepSize(HessianFamily family, int batchSize, SamplingModel model, double relTol = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(family);
        var op = SecondMomentOperator.For(family);
        double lo = 0, hi = 1 / Math.Max(family.Sharpness, 1e-300);
        while (op.SpectralRadius(hi, batchSize, model) <= 1)
        {
            lo = hi;
            hi *= 2;
            if (hi > 1e300) return double.PositiveInfinity;
        }
        while (hi - lo > relTol * hi)
        {
            double mid = 0.5 * (lo + hi);
            if (op.SpectralRadius(mid, batchSize, model) <= 1) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    private static Matrix Kron(Matrix a, Matrix b)
    {
        int p = a.Rows, q = b.Rows;
        return Matrix.Build(p * q, p * q, (i, j) => a[i / q, j / q] * b[i % q, j % q]);
    }

    private static void Symmetrize(Matrix g)
    {
        for (int j = 0; j < g.Cols; j++)
            for (int i = j + 1; i < g.Rows; i++)
            {
                double v = 0.5 * (g[i, j] + g[j, i]);
                g[i, j] = v;
                g[j, i] = v;
            }
    }

    private static void CheckPositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite; got {value}.");
    }
}
