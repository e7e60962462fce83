using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>One linear layer to compress (brief §2.2): dense weights Ŵ ∈ R^{d_out×d_in} (PyTorch
/// layout) and the calibration Gram H = XᵀX ∈ R^{d_in×d_in} of its inputs X ∈ R^{N×d_in}. Every
/// method minimises the same objective ‖XŴᵀ − XWᵀ‖²_F = tr((Ŵ − W)H(Ŵ − W)ᵀ). Held on the CPU in float64.</summary>
public sealed class LayerProblem
{
    /// <summary>Builds the problem from weights and a Gram matrix H (d_in × d_in, symmetric PSD).</summary>
    public LayerProblem(Matrix weights, Matrix hessian, int calibrationRows = -1)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(hessian);
        if (weights.Rows < 1 || weights.Cols < 1)
            throw new ArgumentException($"weights are {weights.Rows}×{weights.Cols}; a layer needs d_out ≥ 1 and d_in ≥ 1.", nameof(weights));
        if (hessian.Rows != hessian.Cols || hessian.Rows != weights.Cols)
            throw new ArgumentException($"H is {hessian.Rows}×{hessian.Cols} but W is {weights.Rows}×{weights.Cols} (d_out × d_in): H must be d_in × d_in = {weights.Cols}×{weights.Cols}.", nameof(hessian));
        W = weights.ToCpu().AsType(DType.F64);
        H = hessian.ToCpu().AsType(DType.F64);
        CheckFinite(W, "weights");
        CheckFinite(H, "H");
        CalibrationRows = calibrationRows;
    }

    /// <summary>Builds H = XᵀX from calibration inputs X (N × d_in, one row per token).</summary>
    public static LayerProblem FromInputs(Matrix weights, Matrix inputs)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Cols != weights.Cols)
            throw new ArgumentException($"inputs X are {inputs.Rows}×{inputs.Cols} but W is {weights.Rows}×{weights.Cols}: X must be N × d_in with d_in = {weights.Cols} (one row per calibration token).", nameof(inputs));
        if (inputs.Rows < 1) throw new ArgumentException("inputs X have no rows: give at least one calibration token.", nameof(inputs));
        var x = inputs.ToCpu().AsType(DType.F64);
        CheckFinite(x, "inputs X");
        return new LayerProblem(weights, Ops.Gram(x), inputs.Rows);
    }

    /// <summary>Dense weights Ŵ (d_out × d_in, float64, CPU).</summary>
    public Matrix W { get; }

    /// <summary>Calibration Gram H = XᵀX (d_in × d_in, float64, CPU), undamped.</summary>
    public Matrix H { get; }

    /// <summary>N, the number of calibration rows behind H, or −1 when H was given directly.</summary>
    public int CalibrationRows { get; }

    /// <summary>d_out.</summary>
    public int Rows => W.Rows;

    /// <summary>d_in.</summary>
    public int Cols => W.Cols;

    /// <summary>tr((Ŵ − W)H(Ŵ − W)ᵀ) = ‖XŴᵀ − XWᵀ‖²_F for a candidate W of the same shape.</summary>
    public double Objective(Matrix candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.Rows != Rows || candidate.Cols != Cols)
            throw new ArgumentException($"candidate is {candidate.Rows}×{candidate.Cols} but the layer is {Rows}×{Cols}.", nameof(candidate));
        var d = Ops.Sub(W, candidate.ToCpu().AsType(DType.F64));
        return QuadraticForm(d);
    }

    /// <summary>Objective(W) / tr(ŴHŴᵀ): 0 for the dense layer, 1 for W = 0.</summary>
    public double RelativeError(Matrix candidate)
    {
        double denom = QuadraticForm(W);
        return denom > 0 ? Objective(candidate) / denom : 0;
    }

    /// <summary>tr(D H Dᵀ) for D d_out × d_in.</summary>
    internal double QuadraticForm(Matrix d)
    {
        var dh = Ops.MatMul(d, H);
        double s = 0;
        var a = dh.Span; var b = d.Span;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return Math.Max(s, 0);
    }

    /// <summary>mean(diag H), the scale every damping term is relative to.</summary>
    public double MeanDiagonal()
    {
        double s = 0;
        for (int j = 0; j < Cols; j++) s += H[j, j];
        return s / Cols;
    }

    private static void CheckFinite(Matrix m, string what)
    {
        foreach (double v in m.Span)
            if (!double.IsFinite(v)) throw new ArgumentException($"{what} contain NaN or ±∞: compress only finite weights and calibration inputs.");
    }
}
