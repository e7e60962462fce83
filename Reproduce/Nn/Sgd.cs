using System.Numerics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>SGD with heavy-ball momentum and L2 weight decay, as PyTorch's <c>torch.optim.SGD</c>
/// (dampening 0): g ← g + λθ; b ← μb + g (b = g at the first step); θ ← θ − lr·b.</summary>
public sealed class Sgd(double momentum = 0.9, double weightDecay = 0) : IOptimizer
{
    private readonly Dictionary<string, Matrix> _buf = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Step(ParameterSet parameters, double lr)
    {
        foreach (var p in parameters.All)
        {
            bool first = !_buf.TryGetValue(p.Name, out var b);
            if (first) _buf[p.Name] = b = Matrix.Zeros(p.Value.Rows, p.Value.Cols, p.Value.DType, p.Value.Device);
            if (NnHost.Cuda(p.Value) is { } cu) { cu.NnSgd(p.Grad, p.Value, b!, lr, momentum, weightDecay); continue; }
            NnHost.Run("optimizer", [p.Grad], [p.Value, b!], (i, o) =>
            {
                if (p.Value.DType == DType.F64) Update<double>(i[0], o[0], o[1], lr); else Update<float>(i[0], o[0], o[1], lr);
            });
        }
    }

    private void Update<T>(Matrix gm, Matrix wm, Matrix bm, double lr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = NnHost.S<T>(gm); var w = NnHost.S<T>(wm); var b = NnHost.S<T>(bm);
        for (int i = 0; i < g.Length; i++)
        {
            double wi = double.CreateTruncating(w[i]), gi = double.CreateTruncating(g[i]) + weightDecay * wi;
            double bi = momentum * double.CreateTruncating(b[i]) + gi; // b starts at 0, so the first step gives b = g
            b[i] = T.CreateTruncating(bi); w[i] = T.CreateTruncating(wi - lr * bi);
        }
    }
}
