using System.Numerics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter 2019), as PyTorch's
/// <c>torch.optim.AdamW</c>: θ ← θ − lr·λ·θ; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
/// θ ← θ − lr·(m/(1 − β₁ᵗ))/(√(v/(1 − β₂ᵗ)) + ε).</summary>
public sealed class AdamW(double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01) : IOptimizer
{
    private readonly Dictionary<string, (Matrix M, Matrix V)> _state = new(StringComparer.Ordinal);
    private int _t;

    /// <summary>Decay applied to parameters whose name passes this filter (default: all). GPT training
    /// usually exempts biases and norm weights: <c>p =&gt; p.TorchShape.Length == 2</c>.</summary>
    public Func<Parameter, bool> DecayFilter { get; init; } = _ => true;

    /// <summary>Steps taken.</summary>
    public int StepCount => _t;

    /// <inheritdoc />
    public void Step(ParameterSet parameters, double lr)
    {
        _t++;
        double bc1 = 1 - Math.Pow(beta1, _t), bc2 = 1 - Math.Pow(beta2, _t);
        foreach (var p in parameters.All)
        {
            if (!_state.TryGetValue(p.Name, out var s))
                _state[p.Name] = s = (Matrix.Zeros(p.Value.Rows, p.Value.Cols, p.Value.DType, p.Value.Device), Matrix.Zeros(p.Value.Rows, p.Value.Cols, p.Value.DType, p.Value.Device));
            double wd = DecayFilter(p) ? weightDecay : 0;
            if (NnHost.Cuda(p.Value) is { } cu) { cu.NnAdamW(p.Grad, p.Value, s.M, s.V, lr, wd, beta1, beta2, bc1, bc2, eps); continue; }
            NnHost.Run("optimizer", [p.Grad], [p.Value, s.M, s.V], (i, o) =>
            {
                if (p.Value.DType == DType.F64) Update<double>(i[0], o[0], o[1], o[2], lr, wd, bc1, bc2);
                else Update<float>(i[0], o[0], o[1], o[2], lr, wd, bc1, bc2);
            });
        }
    }

    private void Update<T>(Matrix gm, Matrix wm, Matrix mm, Matrix vm, double lr, double wd, double bc1, double bc2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = NnHost.S<T>(gm); var w = NnHost.S<T>(wm); var m = NnHost.S<T>(mm); var v = NnHost.S<T>(vm);
        for (int i = 0; i < g.Length; i++)
        {
            double gi = double.CreateTruncating(g[i]), wi = double.CreateTruncating(w[i]);
            wi -= lr * wd * wi;
            double mi = beta1 * double.CreateTruncating(m[i]) + (1 - beta1) * gi;
            double vi = beta2 * double.CreateTruncating(v[i]) + (1 - beta2) * gi * gi;
            wi -= lr * (mi / bc1) / (Math.Sqrt(vi / bc2) + eps);
            m[i] = T.CreateTruncating(mi); v[i] = T.CreateTruncating(vi); w[i] = T.CreateTruncating(wi);
        }
    }
}
