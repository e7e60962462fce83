using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>Damping and inversion of the calibration Gram. H = XᵀX is singular whenever N &lt; d_in or
/// an input channel is constant zero; every exact-H method then needs H + λ·mean(diag H)·I ≻ 0.</summary>
public static class Damping
{
    /// <summary>H + percdamp·mean(diag H)·I (zero diagonal entries are first set to 1, as SparseGPT and
    /// HASSLE-free do for dead input channels). Notes say what was done.</summary>
    public static Matrix Damp(LayerProblem p, double percdamp, List<string> notes, string method)
    {
        var diag = DampedDiagonal(p, percdamp, notes, method);
        var h = p.H.Copy();
        for (int j = 0; j < diag.Length; j++) h[j, j] = diag[j];
        return h;
    }

    /// <summary>The diagonal <see cref="Damp"/> gives H (the off-diagonal entries are H's): (H_jj, or 1 where
    /// H_jj = 0) + percdamp·mean(diag H). Separate so that the CUDA paths damp the copy of H already on the device.</summary>
    internal static double[] DampedDiagonal(LayerProblem p, double percdamp, List<string> notes, string method)
    {
        if (!(percdamp >= 0) || !double.IsFinite(percdamp))
            throw new ArgumentOutOfRangeException(nameof(percdamp), percdamp, "damping must be a finite number ≥ 0 (a fraction of mean(diag H); 0.01 is the usual choice).");
        int n = p.Cols, dead = 0;
        var d = new double[n];
        for (int j = 0; j < n; j++) { d[j] = p.H[j, j]; if (d[j] <= 0) { d[j] = 1; dead++; } }
        if (dead > 0) notes.Add(string.Create(CultureInfo.InvariantCulture, $"{dead} input channel(s) are zero in every calibration row (H_jj = 0); their diagonal is set to 1 and the weights there do not affect the objective."));
        double lambda = percdamp * p.MeanDiagonal();
        for (int j = 0; j < n; j++) d[j] += lambda;
        bool singular = p.CalibrationRows >= 0 && p.CalibrationRows < n;
        if (singular && percdamp == 0 && dead == 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{method}: H = XᵀX is singular (N = {p.CalibrationRows} calibration rows < d_in = {n}) and damping is 0: set the damping > 0 (the method's default adds 0.01·mean(diag H)·I) or give at least d_in calibration rows."));
        if (singular) notes.Add(string.Create(CultureInfo.InvariantCulture, $"H is singular (N = {p.CalibrationRows} < d_in = {n}); {method} adds {percdamp}·mean(diag H)·I = {lambda:G4}·I."));
        return d;
    }

    /// <summary>Cholesky factor L of a damped H, with an error that names the fix when H is not positive definite.</summary>
    public static Matrix CholeskyOrExplain(Matrix h, double percdamp, string method)
    {
        try
        {
            var l = Ops.Cholesky(h);
            foreach (double v in l.Span) if (!double.IsFinite(v)) throw new ComputeException("non-finite factor");
            for (int j = 0; j < l.Rows; j++) if (!(l[j, j] > 0)) throw new ComputeException("zero pivot");
            return l;
        }
        catch (ComputeException e)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{method}: H + {percdamp}·mean(diag H)·I is not positive definite ({e.Message}): H = XᵀX is singular or nearly so; raise the damping (e.g. 0.01 or 0.1) or give more calibration rows."), e);
        }
    }

    /// <summary>Solves A X = B for a positive definite A, with the same explanation on failure.</summary>
    public static Matrix CholeskySolveOrExplain(Matrix a, Matrix b, string method)
    {
        var l = CholeskyOrExplain(a, 0, method);
        var y = Ops.TriangularSolve(l, b, lower: true);
        return Ops.TriangularSolve(l, y, lower: true, transpose: true);
    }

    /// <summary>H⁻¹ of a damped H via its Cholesky factor.</summary>
    public static Matrix Inverse(Matrix h, double percdamp, string method)
    {
        var l = CholeskyOrExplain(h, percdamp, method);
        var y = Ops.TriangularSolve(l, Matrix.Identity(h.Rows), lower: true);
        var inv = Ops.TriangularSolve(l, y, lower: true, transpose: true);
        Symmetrize(inv);
        return inv;
    }

    /// <summary>(A + Aᵀ)/2 in place.</summary>
    internal static void Symmetrize(Matrix a)
    {
        int n = a.Rows;
        var s = a.Span;
        for (int j = 0; j < n; j++)
            for (int i = j + 1; i < n; i++)
            {
                double v = 0.5 * (s[i + j * n] + s[j + i * n]);
                s[i + j * n] = v; s[j + i * n] = v;
            }
    }
}
