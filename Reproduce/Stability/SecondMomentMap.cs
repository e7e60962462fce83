using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>The second-moment recursion of linearized SGD w_{t+1} = (I − (η/B)Σ_{i∈batch}Hᵢ)w_t
/// (arXiv:2401.12332 §2; brief §2.3): M_{t+1} = T(M_t) with M_t = E[w_t w_tᵀ] and
/// T(M) = (I − ηH)M(I − ηH) + η²[α·(1/n)ΣHᵢMHᵢ − β·HMH], (α, β) from <see cref="SgdNoise.Coefficients"/>.
/// Applied matrix-free through <see cref="Ops"/> in O(n·d³).</summary>
public sealed class SecondMomentMap
{
    private readonly Matrix _a;

    /// <summary>Creates the map; η must be positive, B in 1..n.</summary>
    public SecondMomentMap(HessianFamily family, double eta, int batchSize, SamplingModel model)
    {
        ArgumentNullException.ThrowIfNull(family);
        SgdNoise.CheckStepSize(eta);
        (Alpha, Beta) = SgdNoise.Coefficients(family.N, batchSize, model);
        Family = family;
        Eta = eta;
        BatchSize = batchSize;
        Model = model;
        _a = Matrix.Identity(family.D);
        Ops.Axpy(-eta, family.Mean, _a);
    }

    /// <summary>The Hessian family.</summary>
    public HessianFamily Family { get; }

    /// <summary>Step size η.</summary>
    public double Eta { get; }

    /// <summary>Batch size B.</summary>
    public int BatchSize { get; }

    /// <summary>Sampling model.</summary>
    public SamplingModel Model { get; }

    /// <summary>Coefficient α of (1/n)ΣHᵢMHᵢ.</summary>
    public double Alpha { get; }

    /// <summary>Coefficient β of HMH.</summary>
    public double Beta { get; }

    /// <summary>T(M) for a symmetric d×d matrix M.</summary>
    public Matrix Apply(Matrix m)
    {
        ArgumentNullException.ThrowIfNull(m);
        int d = Family.D;
        if (m.Rows != d || m.Cols != d) throw new ArgumentException($"M is {m.Rows}×{m.Cols} but the family has d = {d}; pass a d×d matrix.", nameof(m));
        var result = Ops.MatMul(_a, Ops.MatMul(m, _a));
        double eta2 = Eta * Eta;
        if (Alpha != 0)
        {
            double c = eta2 * Alpha / Family.N;
            foreach (var h in Family.Hessians) Ops.Gemm(h, false, Ops.MatMul(m, h), false, result, c, 1);
        }
        if (Beta != 0)
        {
            var hm = Family.Mean;
            Ops.Gemm(hm, false, Ops.MatMul(m, hm), false, result, -eta2 * Beta, 1);
        }
        return result;
    }

    /// <summary>tr T^t(M₀) for t = 0..steps, i.e. E‖w_t‖² when E[w₀w₀ᵀ] = M₀.</summary>
    public double[] TraceTrajectory(Matrix m0, int steps)
    {
        ArgumentNullException.ThrowIfNull(m0);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var traces = new double[steps + 1];
        var m = m0;
        traces[0] = Trace(m);
        for (int t = 1; t <= steps; t++)
        {
            m = Apply(m);
            traces[t] = Trace(m);
        }
        return traces;
    }

    /// <summary>An independent estimate of the mean-square growth factor ρ(T): iterate M ← T(M)/tr T(M)
    /// from M₀ = I (PSD, so it stays PSD) and return the final ratio tr T(M)/tr M. Because T is
    /// self-adjoint and positive, this converges to ρ(T) without the sign oscillation plain power
    /// iteration can show (brief §2.3 pitfall). Includes flat directions (growth 1) when H is singular.</summary>
    public double GrowthRate(int iterations = 400)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var m = Matrix.Identity(Family.D);
        Ops.MapInPlace(UnaryOp.Scale, m, 1.0 / Family.D);
        double ratio = 0;
        for (int k = 0; k < iterations; k++)
        {
            var next = Apply(m);
            ratio = Trace(next);
            if (!(ratio > 0)) return 0;
            m = Ops.MapInPlace(UnaryOp.Scale, next, 1.0 / ratio);
        }
        return ratio;
    }

    internal static double Trace(Matrix m)
    {
        double t = 0;
        for (int i = 0; i < m.Rows; i++) t += m[i, i];
        return t;
    }
}
