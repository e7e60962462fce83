namespace Reproduce.Training;

/// <summary>Hessian–vector products by central differences of gradients (brief §2.4):
/// Hv ≈ [∇L(w + hv̂) − ∇L(w − hv̂)]/(2h)·‖v‖ with v̂ = v/‖v‖ and h = <see cref="Step"/>.
/// The truncation error is h²/6·‖∇³L[v̂,v̂]‖ and the rounding error about u·‖∇L‖/h (u = 1.1e-16),
/// so h = 1e-4 balances them near 1e-9 relative for O(1) derivatives. Works for any objective.</summary>
public sealed class FiniteDifferenceHvp(IBatchObjective objective, double step = 1e-4) : IHessianVectorProduct
{
    private readonly IBatchObjective _f = objective ?? throw new ArgumentNullException(nameof(objective));

    /// <summary>h, the step along the unit direction.</summary>
    public double Step { get; } = step > 0 && double.IsFinite(step) ? step
        : throw new ArgumentOutOfRangeException(nameof(step), step, "The finite-difference step must be positive and finite.");

    /// <inheritdoc />
    public int ParameterCount => _f.ParameterCount;

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> w, ReadOnlySpan<int> examples, ReadOnlySpan<double> v, Span<double> hv)
    {
        int d = ParameterCount;
        if (w.Length != d || v.Length != d || hv.Length != d)
            throw new ArgumentException($"w, v and hv must have {d} entries; got {w.Length}, {v.Length}, {hv.Length}.");
        double norm = FlatVector.Norm(v);
        if (norm == 0) { hv.Clear(); return; }
        double h = Step / norm;
        var wp = new double[d]; var wm = new double[d]; var gp = new double[d]; var gm = new double[d];
        for (int i = 0; i < d; i++) { wp[i] = w[i] + h * v[i]; wm[i] = w[i] - h * v[i]; }
        _f.LossAndGradient(wp, examples, gp);
        _f.LossAndGradient(wm, examples, gm);
        for (int i = 0; i < d; i++) hv[i] = (gp[i] - gm[i]) / (2 * h);
    }
}
