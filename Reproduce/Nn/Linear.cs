using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Affine map y = Wᵀx + b on a batch of column vectors: X is in×N (one column per token or
/// example), W is the in×out matrix of a PyTorch weight [out, in], b is out×1. All three products
/// of forward and backward are GEMMs through <see cref="Ops"/>, so they run on the data's device.</summary>
public static class Linear
{
    /// <summary>Y = WᵀX + b1ᵀ (out×N). <paramref name="bias"/> may be null.</summary>
    public static Matrix Forward(string layer, Matrix x, Parameter weight, Parameter? bias)
    {
        var w = weight.Value;
        NnHost.SameKind(layer, x, w);
        if (x.Rows != w.Rows)
            throw new ArgumentException($"{layer}: input is {x.Rows}×{x.Cols} but the weight {weight.ShapeText} needs {w.Rows} rows (in_features × tokens).");
        long t0 = NnProfile.Start();
        var y = Ops.MatMul(w, x, transA: true);
        NnProfile.StopGemm(t0);
        if (bias is not null)
        {
            t0 = NnProfile.Start();
            if (y.Device.Kind == DeviceKind.Cpu) HostBias.Add(y, bias.Value);
            else Ops.Gemm(bias.Value, false, NnHost.SharedOnes(x.Cols, x), true, y, 1, 1); // y += b·1ᵀ
            NnProfile.Stop("bias add and gradient", t0);
        }
        return y;
    }

    /// <summary>Accumulates ∂W += X·dYᵀ and ∂b += dY·1, returns dX = W·dY.</summary>
    public static Matrix Backward(string layer, Matrix dy, Matrix x, Parameter weight, Parameter? bias)
    {
        var w = weight.Value;
        NnHost.Expect(layer, "output gradient", dy, w.Cols, x.Cols, "out_features × tokens");
        long t0 = NnProfile.Start();
        Ops.Gemm(x, false, dy, true, weight.Grad, 1, 1);
        var dx = Ops.MatMul(w, dy);
        NnProfile.StopGemm(t0);
        if (bias is not null)
        {
            t0 = NnProfile.Start();
            if (dy.Device.Kind == DeviceKind.Cpu) HostBias.AccumulateGradient(dy, bias.Grad);
            else Ops.Gemm(dy, false, NnHost.SharedOnes(dy.Cols, dy), false, bias.Grad, 1, 1); // ∂b += dY·1
            NnProfile.Stop("bias add and gradient", t0);
        }
        return dx;
    }
}
