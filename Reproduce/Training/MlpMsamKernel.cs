using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>Gradients and the mSAM direction of a ReLU <see cref="Mlp"/> with softmax cross-entropy,
/// on flat arrays with buffers reused across calls (one instance per objective; not thread-safe).
/// Products run on the managed GEMM with one thread, because the figures train many runs in parallel.
///
/// <para><b>Fused mSAM.</b> Layer l maps Aₗ (inₗ×b, one column per example) to Zₗ = Wₗᵀ Aₗ + bₗ1ᵀ. With
/// Dₗ = ∂(per-example loss)/∂Zₗ (unscaled; the softmax layer gives P − Y), micro-batch j (columns
/// Sⱼ, s = b/m of them) has the weight gradient gⱼ = (1/s)·Aₗ,ⱼ Dₗ,ⱼᵀ: a rank-s matrix. So the
/// perturbation Eₗ,ⱼ = cⱼ gⱼ with cⱼ = ρ/(‖gⱼ‖ + 1e-12) never has to be formed:
/// ‖Aₗ,ⱼDₗ,ⱼᵀ‖²_F = ⟨Aₗ,ⱼᵀAₗ,ⱼ, Dₗ,ⱼᵀDₗ,ⱼ⟩_F (two s×s Grams);
/// (Wₗ + Eₗ,ⱼ)ᵀA′ₗ,ⱼ = WₗᵀA′ₗ,ⱼ + (cⱼ/s)·Dₗ,ⱼ(Aₗ,ⱼᵀA′ₗ,ⱼ) (forward at w + εⱼ);
/// (Wₗ + Eₗ,ⱼ)D′ₗ,ⱼ = WₗD′ₗ,ⱼ + (cⱼ/s)·Aₗ,ⱼ(Dₗ,ⱼᵀD′ₗ,ⱼ) (backward at w + εⱼ).
/// WₗᵀA′ₗ and WₗD′ₗ are one GEMM over the whole batch (Wₗ is shared by all micro-batches; for the
/// first layer A′₀ = A₀ = X, so W₀ᵀX is reused from the unperturbed pass), and the averaged
/// direction G = (1/m)Σⱼ(1/s)A′ₗ,ⱼD′ₗ,ⱼᵀ = (1/b)·A′ₗD′ₗᵀ is one GEMM too. The math is that of
/// <see cref="Msam"/>'s reference loop; only the order of floating-point operations differs. Cost per
/// step: the two full-batch GEMMs of an SGD step plus b·s·in₀ multiply-adds for the input Grams, so
/// mSAM with many micro-batches costs about one SGD step, and s = b (SAM) about 1.5 when in₀ ≈ b.</para></summary>
internal sealed class MlpMsamKernel
{
    private readonly int[] _sizes;
    private readonly int[] _wOff, _bOff;
    private readonly int _layers, _count;
    private readonly double[] _x;
    private readonly int _rows;
    private readonly int[] _labels;
    private double[] _w = [], _grad = [];
    private int _cap = -1;
    // Per layer l: A[l] (in×cap; A[0] is the gathered input), Z[l], D[l] (out×cap); primed: perturbed point.
    private double[][] _a = [], _z = [], _d = [], _ap = [], _zp = [], _dp = [];
    private int[] _y = [];
    private double[] _g1 = [], _g2 = [], _colSum = [], _c = [], _gram0 = [];

    public MlpMsamKernel(Mlp mlp, Matrix x, int[] labels)
    {
        _sizes = mlp.Sizes;
        _layers = _sizes.Length - 1;
        _wOff = new int[_layers]; _bOff = new int[_layers];
        int o = 0;
        for (int l = 0; l < _layers; l++)
        {
            _wOff[l] = o; o += _sizes[l] * _sizes[l + 1];
            _bOff[l] = o; o += _sizes[l + 1];
        }
        _count = o;
        // The objective's own array (CPU float64, checked there): a copy would cost 376 MB per run at 60k images.
        _x = x.F64 ?? throw new ArgumentException("The kernel needs CPU float64 inputs.", nameof(x));
        _rows = x.Rows;
        _labels = labels;
    }

    /// <summary>Mean loss over <paramref name="examples"/> at w and its gradient (one forward and one
    /// backward pass; no input gradient for the first layer).</summary>
    public double LossAndGradient(ReadOnlySpan<double> w, ReadOnlySpan<int> examples, Span<double> gradient)
    {
        int n = examples.Length;
        Prepare(w, examples);
        double loss = Forward(_a, _z, n);
        Softmax(_z[_layers - 1], _d[_layers - 1], n);
        Backward(_z, _d, n);
        WeightGradients(_a, _d, n, 1.0 / n);
        _grad.AsSpan(0, _count).CopyTo(gradient);
        return loss;
    }

    /// <summary>Mean loss over <paramref name="examples"/> at w (forward passes only, in chunks of at
    /// most <see cref="LossChunk"/> examples so that evaluating a whole training set needs no
    /// data-set-sized buffers).</summary>
    public double Loss(ReadOnlySpan<double> w, ReadOnlySpan<int> examples)
    {
        if (examples.Length == 0) throw new ArgumentException("The example set is empty.", nameof(examples));
        double sum = 0;
        for (int start = 0; start < examples.Length; start += LossChunk)
        {
            var chunk = examples.Slice(start, Math.Min(LossChunk, examples.Length - start));
            Prepare(w, chunk);
            sum += Forward(_a, _z, chunk.Length) * chunk.Length;
        }
        return sum / examples.Length;
    }

    /// <summary>Examples per forward pass in <see cref="Loss"/>.</summary>
    public const int LossChunk = 1024;

    /// <summary>The mSAM direction G for <paramref name="m"/> contiguous micro-batches of the batch,
    /// radius ρ > 0; returns the batch loss at w (the mean of the micro-batch means).</summary>
    public double MsamDirection(ReadOnlySpan<double> w, ReadOnlySpan<int> batch, int m, double rho, Span<double> direction)
    {
        int b = batch.Length, s = b / m, last = _layers - 1;
        Prepare(w, batch);
        EnsureMicro(s, m);
        double loss = Forward(_a, _z, b);
        Softmax(_z[last], _d[last], b);
        Backward(_z, _d, b);

        // cⱼ = ρ / (‖gⱼ‖ + 1e-12), ‖gⱼ‖² = (1/s²)·Σₗ (⟨AᵀA, DᵀD⟩ + ‖D·1‖²) over the micro-batch's columns.
        for (int j = 0; j < m; j++)
        {
            double sq = 0;
            for (int l = 0; l < _layers; l++)
            {
                int inl = _sizes[l], outl = _sizes[l + 1];
                var gA = l == 0 ? _gram0.AsSpan(j * s * s, s * s) : _g1.AsSpan(0, s * s);
                Gemm(true, false, s, s, inl, 1, _a[l], j * s * inl, inl, l == 0 ? _gram0 : _g1, l == 0 ? j * s * s : 0, s, _a[l], j * s * inl, inl);
                Gemm(true, false, s, s, outl, 1, _d[l], j * s * outl, outl, _g2, 0, s, _d[l], j * s * outl, outl);
                double dot = 0;
                var gD = _g2.AsSpan(0, s * s);
                for (int i = 0; i < s * s; i++) dot += gA[i] * gD[i];
                ColumnSum(_d[l], outl, j * s, s, _colSum);
                double bias = 0;
                for (int i = 0; i < outl; i++) bias += _colSum[i] * _colSum[i];
                sq += dot + bias;
            }
            _c[j] = rho / (Math.Sqrt(sq) / s + SharpnessAwareGuard.NormGuard);
        }

        // Forward at w + εⱼ, layer by layer over all micro-batches.
        for (int l = 0; l < _layers; l++)
        {
            int inl = _sizes[l], outl = _sizes[l + 1];
            if (l == 0) _z[0].AsSpan(0, outl * b).CopyTo(_zp[0]);
            else Affine(l, _ap[l], _zp[l], b);
            for (int j = 0; j < m; j++)
            {
                double cs = _c[j] / s;
                double[] cross; int crossOff;
                if (l == 0) { cross = _gram0; crossOff = j * s * s; }
                else { Gemm(true, false, s, s, inl, 1, _a[l], j * s * inl, inl, _g1, 0, s, _ap[l], j * s * inl, inl); cross = _g1; crossOff = 0; }
                Gemm(false, false, outl, s, s, cs, _d[l], j * s * outl, outl, _zp[l], j * s * outl, outl, cross, crossOff, s, beta: 1);
                ColumnSum(_d[l], outl, j * s, s, _colSum);
                for (int q = 0; q < s; q++)
                {
                    var col = _zp[l].AsSpan((j * s + q) * outl, outl);
                    for (int i = 0; i < outl; i++) col[i] += cs * _colSum[i];
                }
            }
            if (l < last) Relu(_zp[l], _ap[l + 1], outl * b);
        }
        Softmax(_zp[last], _dp[last], b);

        // Backward at w + εⱼ.
        for (int l = last; l >= 1; l--)
        {
            int inl = _sizes[l], outl = _sizes[l + 1];
            Gemm(false, false, inl, b, outl, 1, _w, _wOff[l], inl, _dp[l - 1], 0, inl, _dp[l], 0, outl);
            for (int j = 0; j < m; j++)
            {
                Gemm(true, false, s, s, outl, 1, _d[l], j * s * outl, outl, _g1, 0, s, _dp[l], j * s * outl, outl);
                Gemm(false, false, inl, s, s, _c[j] / s, _a[l], j * s * inl, inl, _dp[l - 1], j * s * inl, inl, _g1, 0, s, beta: 1);
            }
            Mask(_dp[l - 1], _zp[l - 1], inl * b);
        }
        _a[0].AsSpan(0, _sizes[0] * b).CopyTo(_ap[0]);
        WeightGradients(_ap, _dp, b, 1.0 / b);
        _grad.AsSpan(0, _count).CopyTo(direction);
        return loss;
    }

    private void Prepare(ReadOnlySpan<double> w, ReadOnlySpan<int> examples)
    {
        if (w.Length != _count) throw new ArgumentException($"w has {w.Length} entries but the MLP has {_count} parameters.", nameof(w));
        int n = examples.Length;
        if (n == 0) throw new ArgumentException("The example set is empty.", nameof(examples));
        if (_w.Length != _count) { _w = new double[_count]; _grad = new double[_count]; }
        w.CopyTo(_w);
        if (n > _cap) Allocate(n);
        for (int i = 0; i < n; i++)
        {
            int e = examples[i];
            if ((uint)e >= (uint)_labels.Length) throw new ArgumentOutOfRangeException(nameof(examples), $"Example index {e} is outside 0..{_labels.Length - 1}.");
            _x.AsSpan(e * _rows, _rows).CopyTo(_a[0].AsSpan(i * _rows, _rows));
            _y[i] = _labels[e];
        }
    }

    private void Allocate(int n)
    {
        _cap = n;
        double[][] Per(Func<int, int> rows) => Enumerable.Range(0, _layers).Select(l => new double[rows(l) * n]).ToArray();
        _a = Per(l => _sizes[l]); _ap = Per(l => _sizes[l]);
        _z = Per(l => _sizes[l + 1]); _zp = Per(l => _sizes[l + 1]);
        _d = Per(l => _sizes[l + 1]); _dp = Per(l => _sizes[l + 1]);
        _y = new int[n];
        _colSum = new double[_sizes.Skip(1).Max()];
    }

    private void EnsureMicro(int s, int m)
    {
        if (_g1.Length < s * s) { _g1 = new double[s * s]; _g2 = new double[s * s]; }
        if (_gram0.Length < m * s * s) _gram0 = new double[m * s * s];
        if (_c.Length < m) _c = new double[m];
    }

    /// <summary>Zₗ = WₗᵀAₗ + bₗ1ᵀ and Aₗ₊₁ = relu(Zₗ) for every layer; returns the mean cross-entropy.</summary>
    private double Forward(double[][] a, double[][] z, int n)
    {
        for (int l = 0; l < _layers; l++)
        {
            Affine(l, a[l], z[l], n);
            if (l < _layers - 1) Relu(z[l], a[l + 1], _sizes[l + 1] * n);
        }
        double loss = 0;
        int k = _sizes[^1];
        var logits = z[_layers - 1];
        for (int j = 0; j < n; j++)
        {
            var col = logits.AsSpan(j * k, k);
            double max = double.NegativeInfinity;
            foreach (double v in col) max = Math.Max(max, v);
            double sum = 0;
            foreach (double v in col) sum += Math.Exp(v - max);
            loss += max + Math.Log(sum) - col[_y[j]];
        }
        return loss / n;
    }

    private void Affine(int l, double[] a, double[] z, int n)
    {
        int inl = _sizes[l], outl = _sizes[l + 1];
        Gemm(true, false, outl, n, inl, 1, _w, _wOff[l], inl, z, 0, outl, a, 0, inl);
        var bias = _w.AsSpan(_bOff[l], outl);
        for (int j = 0; j < n; j++)
        {
            var col = z.AsSpan(j * outl, outl);
            for (int i = 0; i < outl; i++) col[i] += bias[i];
        }
    }

    /// <summary>D = softmax(Z) − onehot(y), column by column (the unscaled per-example logit gradient).</summary>
    private void Softmax(double[] logits, double[] d, int n)
    {
        int k = _sizes[^1];
        for (int j = 0; j < n; j++)
        {
            var col = logits.AsSpan(j * k, k);
            var dc = d.AsSpan(j * k, k);
            double max = double.NegativeInfinity;
            foreach (double v in col) max = Math.Max(max, v);
            double sum = 0;
            for (int i = 0; i < k; i++) { dc[i] = Math.Exp(col[i] - max); sum += dc[i]; }
            for (int i = 0; i < k; i++) dc[i] /= sum;
            dc[_y[j]] -= 1;
        }
    }

    /// <summary>Dₗ₋₁ = (WₗDₗ) ⊙ 1[Zₗ₋₁ &gt; 0] down to the first hidden layer.</summary>
    private void Backward(double[][] z, double[][] d, int n)
    {
        for (int l = _layers - 1; l >= 1; l--)
        {
            int inl = _sizes[l], outl = _sizes[l + 1];
            Gemm(false, false, inl, n, outl, 1, _w, _wOff[l], inl, d[l - 1], 0, inl, d[l], 0, outl);
            Mask(d[l - 1], z[l - 1], inl * n);
        }
    }

    /// <summary>∂Wₗ = scale·AₗDₗᵀ, ∂bₗ = scale·Dₗ1 into the flat gradient.</summary>
    private void WeightGradients(double[][] a, double[][] d, int n, double scale)
    {
        for (int l = 0; l < _layers; l++)
        {
            int inl = _sizes[l], outl = _sizes[l + 1];
            Gemm(false, true, inl, outl, n, scale, a[l], 0, inl, _grad, _wOff[l], inl, d[l], 0, outl);
            ColumnSum(d[l], outl, 0, n, _colSum);
            for (int i = 0; i < outl; i++) _grad[_bOff[l] + i] = scale * _colSum[i];
        }
    }

    private static void ColumnSum(double[] d, int rows, int firstCol, int cols, double[] sum)
    {
        Array.Clear(sum, 0, rows);
        for (int j = firstCol; j < firstCol + cols; j++)
        {
            var col = d.AsSpan(j * rows, rows);
            for (int i = 0; i < rows; i++) sum[i] += col[i];
        }
    }

    private static void Relu(double[] z, double[] a, int count)
    {
        for (int i = 0; i < count; i++) a[i] = z[i] > 0 ? z[i] : 0;
    }

    private static void Mask(double[] d, double[] z, int count)
    {
        for (int i = 0; i < count; i++) if (!(z[i] > 0)) d[i] = 0;
    }

    /// <summary>C ← α·op(A)·op(B) + β·C (column-major, one thread). Argument order: shape, α, A, then C,
    /// then B, so each call reads "C = A · B" next to its offsets.</summary>
    private static void Gemm(bool transA, bool transB, int m, int n, int k, double alpha,
        double[] a, int aOff, int lda, double[] c, int cOff, int ldc, double[] b, int bOff, int ldb, double beta = 0) =>
        ManagedGemm.Run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, threads: 1);
}
