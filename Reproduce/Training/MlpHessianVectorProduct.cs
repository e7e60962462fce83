using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>Exact Hessian–vector products of an MLP's mean cross-entropy by Pearlmutter's R-operator
/// (forward-over-reverse, Pearlmutter 1994): R{·} = d/dt (·)(w + t·v) at t = 0, pushed through the
/// forward pass and the backward pass. With zₗ = Wₗᵀaₗ₋₁ + bₗ, aₗ = f(zₗ), direction (Vₗ, cₗ):
/// R{zₗ} = Vₗᵀaₗ₋₁ + WₗᵀR{aₗ₋₁} + cₗ, R{aₗ} = f'(zₗ)∘R{zₗ};
/// at the output dz = (P − Y)/N, R{dz} = (P∘R{z} − P∘(1ᵀ(P∘R{z})))/N per column;
/// backward: R{∂Wₗ} = R{aₗ₋₁}dzₗᵀ + aₗ₋₁R{dzₗ}ᵀ, R{∂bₗ} = R{dzₗ}·1,
/// R{daₗ₋₁} = Vₗdzₗ + WₗR{dzₗ}, R{dzₗ₋₁} = f'(zₗ₋₁)∘R{daₗ₋₁} + f''(zₗ₋₁)∘R{zₗ₋₁}∘daₗ₋₁.
/// Written independently of the engine's backward pass. ReLU (f'' = 0 away from the kink) and SiLU
/// are supported; GELU is not (use <see cref="FiniteDifferenceHvp"/>).</summary>
public sealed class MlpHessianVectorProduct : IHessianVectorProduct
{
    private readonly MlpObjective _objective;
    private readonly (int W, int B)[] _offsets;

    /// <summary>HVPs of <paramref name="objective"/>'s loss.</summary>
    public MlpHessianVectorProduct(MlpObjective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.Mlp.Activation == ActivationKind.Gelu)
            throw new NotSupportedException("The exact R-operator HVP supports ReLU and SiLU MLPs; for GELU use FiniteDifferenceHvp.");
        _objective = objective;
        var ps = objective.Mlp.Parameters;
        var offsetOf = new Dictionary<string, int>(StringComparer.Ordinal);
        int o = 0;
        foreach (var p in ps.All) { offsetOf[p.Name] = o; o += (int)p.Count; }
        int layers = objective.Mlp.Sizes.Length - 1;
        _offsets = new (int, int)[layers];
        for (int l = 0; l < layers; l++) _offsets[l] = (offsetOf[$"fc{l + 1}.weight"], offsetOf[$"fc{l + 1}.bias"]);
    }

    /// <inheritdoc />
    public int ParameterCount => _objective.ParameterCount;

    /// <inheritdoc />
    public void Apply(ReadOnlySpan<double> w, ReadOnlySpan<int> examples, ReadOnlySpan<double> v, Span<double> hv)
    {
        int d = ParameterCount;
        if (w.Length != d || v.Length != d || hv.Length != d)
            throw new ArgumentException($"w, v and hv must have {d} entries (the MLP's parameters); got {w.Length}, {v.Length}, {hv.Length}.");
        var sizes = _objective.Mlp.Sizes;
        var kind = _objective.Mlp.Activation;
        int layers = sizes.Length - 1;
        var (x, y) = _objective.Gather(examples);
        int n = x.Cols;

        Matrix Block(ReadOnlySpan<double> flat, int offset, int rows, int cols) =>
            Matrix.FromColumnMajor(rows, cols, flat.Slice(offset, rows * cols).ToArray());
        var W = new Matrix[layers]; var B = new Matrix[layers]; var V = new Matrix[layers]; var C = new Matrix[layers];
        for (int l = 0; l < layers; l++)
        {
            W[l] = Block(w, _offsets[l].W, sizes[l], sizes[l + 1]); B[l] = Block(w, _offsets[l].B, sizes[l + 1], 1);
            V[l] = Block(v, _offsets[l].W, sizes[l], sizes[l + 1]); C[l] = Block(v, _offsets[l].B, sizes[l + 1], 1);
        }

        // Forward and R-forward. a[l] is the input of layer l (a[0] = x); z[l] its pre-activation.
        var a = new Matrix[layers]; var ra = new Matrix?[layers]; var z = new Matrix[layers]; var rz = new Matrix[layers];
        a[0] = x; ra[0] = null;
        for (int l = 0; l < layers; l++)
        {
            z[l] = Ops.MatMul(W[l], a[l], transA: true); AddColumn(z[l], B[l]);
            rz[l] = Ops.MatMul(V[l], a[l], transA: true); AddColumn(rz[l], C[l]);
            if (ra[l] is { } r) Ops.Gemm(W[l], true, r, false, rz[l], 1, 1);
            if (l + 1 < layers)
            {
                a[l + 1] = Map(z[l], t => Activation.Value(kind, t));
                var fp = Map(z[l], t => Activation.Derivative(kind, t));
                ra[l + 1] = Ops.Hadamard(fp, rz[l]);
            }
        }

        // Output layer: dz = (P − Y)/N and its R-derivative.
        var zl = z[layers - 1]; var rzl = rz[layers - 1];
        int k = zl.Rows;
        var dz = Matrix.Zeros(k, n); var rdz = Matrix.Zeros(k, n);
        var p = new double[k];
        for (int j = 0; j < n; j++)
        {
            var col = zl.Column(j); var rcol = rzl.Column(j);
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++) max = Math.Max(max, col[c]);
            double s = 0;
            for (int c = 0; c < k; c++) { p[c] = Math.Exp(col[c] - max); s += p[c]; }
            double pr = 0;
            for (int c = 0; c < k; c++) { p[c] /= s; pr += p[c] * rcol[c]; }
            var dzc = dz.Column(j); var rdzc = rdz.Column(j);
            for (int c = 0; c < k; c++)
            {
                dzc[c] = (p[c] - (c == y[j] ? 1 : 0)) / n;
                rdzc[c] = p[c] * (rcol[c] - pr) / n;
            }
        }

        // R-backward.
        for (int l = layers - 1; l >= 0; l--)
        {
            var rgW = Ops.MatMul(a[l], rdz, transB: true);
            if (ra[l] is { } r) Ops.Gemm(r, false, dz, true, rgW, 1, 1);
            rgW.Span.CopyTo(hv.Slice(_offsets[l].W, rgW.Span.Length));
            var rgB = hv.Slice(_offsets[l].B, sizes[l + 1]);
            rgB.Clear();
            for (int j = 0; j < n; j++) { var c = rdz.Column(j); for (int i = 0; i < c.Length; i++) rgB[i] += c[i]; }
            if (l == 0) break;
            var da = Ops.MatMul(W[l], dz);
            var rda = Ops.MatMul(W[l], rdz);
            Ops.Gemm(V[l], false, dz, false, rda, 1, 1);
            var zp = z[l - 1]; var rzp = rz[l - 1];
            var ndz = Matrix.Zeros(zp.Rows, n); var nrdz = Matrix.Zeros(zp.Rows, n);
            var zs = zp.Span; var rzs = rzp.Span; var das = da.Span; var rdas = rda.Span; var o1 = ndz.Span; var o2 = nrdz.Span;
            for (int i = 0; i < zs.Length; i++)
            {
                double f1 = Activation.Derivative(kind, zs[i]);
                o1[i] = f1 * das[i];
                o2[i] = f1 * rdas[i] + SecondDerivative(kind, zs[i]) * rzs[i] * das[i];
            }
            dz = ndz; rdz = nrdz;
        }
    }

    /// <summary>f''(x): 0 for ReLU (away from 0, where the Hessian is defined); σ(1−σ)(2 + x(1−2σ)) for SiLU.</summary>
    internal static double SecondDerivative(ActivationKind kind, double x)
    {
        switch (kind)
        {
            case ActivationKind.Relu: return 0;
            case ActivationKind.Silu:
                double s = x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
                return s * (1 - s) * (2 + x * (1 - 2 * s));
            default: throw new NotSupportedException($"No second derivative for {kind}.");
        }
    }

    private static void AddColumn(Matrix m, Matrix col)
    {
        var c = col.Span;
        for (int j = 0; j < m.Cols; j++) { var mc = m.Column(j); for (int i = 0; i < mc.Length; i++) mc[i] += c[i]; }
    }

    private static Matrix Map(Matrix m, Func<double, double> f)
    {
        var r = Matrix.Zeros(m.Rows, m.Cols);
        var s = m.Span; var t = r.Span;
        for (int i = 0; i < s.Length; i++) t[i] = f(s[i]);
        return r;
    }
}
