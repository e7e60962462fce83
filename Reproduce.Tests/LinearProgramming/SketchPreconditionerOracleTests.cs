using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>The preconditioner's operators against their definitions, computed independently from M = A D W by dense
/// elimination: Q = M Mᵀ, Q·Q⁻¹r = r, (Q^{−1/2})² = Q⁻¹, (Q^{1/2})² = Q, Q^{1/2}Q^{−1/2} = I, and M⁺f = Mᵀ Q⁻¹ f (the
/// minimum-norm solution of M z = f). A wrong power or a multiplied singular value breaks one of these exactly.</summary>
public class SketchPreconditionerOracleTests
{
    [Theory]
    [InlineData(1UL, 4, 4)]
    [InlineData(2UL, 5, 12)]
    [InlineData(3UL, 7, 30)]
    public void OperatorsMatchTheirDefinitionsFromTheSketchedMatrix(ulong seed, int m, int w)
    {
        var rng = new Rng(seed);
        var data = new double[m * w];
        rng.FillNormal(data);
        for (int k = 0; k < data.Length; k++) data[k] *= 1 + 3 * (k % m); // rows of very different scale: σ spread out
        var q = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                for (int c = 0; c < w; c++) q[i, j] += data[i + c * m] * data[j + c * m];
        using var p = new SketchPreconditioner(Matrix.FromColumnMajor(m, w, data));
        var r = new double[m];
        rng.FillNormal(r);
        // Tolerance: every operator is a product of an orthogonal factor and powers of σ; with κ(M)² ≲ 1e4 here the
        // relative rounding error is below 1e-10.
        void Near(double[] expected, double[] actual, string what)
        {
            double e = 0; for (int i = 0; i < expected.Length; i++) e = Math.Max(e, Math.Abs(expected[i] - actual[i]));
            Assert.True(e <= 1e-9 * Math.Max(1, Norm(expected)), $"{what}: max deviation {e:G3} (seed {seed}, m = {m}, w = {w})");
        }
        Near(r, Mul(q, p.ApplyInverse(r)), "Q·Q⁻¹r = r");
        Near(p.ApplyInverse(r), p.ApplyInverseSqrt(p.ApplyInverseSqrt(r)), "Q^{−1/2}Q^{−1/2}r = Q⁻¹r");
        Near(Mul(q, r), p.ApplySqrt(p.ApplySqrt(r)), "Q^{1/2}Q^{1/2}r = Qr");
        Near(r, p.ApplySqrt(p.ApplyInverseSqrt(r)), "Q^{1/2}Q^{−1/2}r = r");
        var z = p.PseudoInverse(r);
        var qinvR = Solve(q, r);
        var expectedZ = new double[w];
        for (int c = 0; c < w; c++) for (int i = 0; i < m; i++) expectedZ[c] += data[i + c * m] * qinvR[i];
        Near(expectedZ, z, "M⁺r = MᵀQ⁻¹r");
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(t => t * t));

    private static double[] Mul(double[,] a, double[] x)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++) for (int j = 0; j < x.Length; j++) y[i] += a[i, j] * x[j];
        return y;
    }

    /// <summary>Gaussian elimination with partial pivoting (independent of the library's factorisations).</summary>
    private static double[] Solve(double[,] a0, double[] b)
    {
        int k = b.Length;
        var a = (double[,])a0.Clone(); var z = (double[])b.Clone();
        for (int col = 0; col < k; col++)
        {
            int piv = col;
            for (int r = col + 1; r < k; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[piv, col])) piv = r;
            for (int q = 0; q < k; q++) (a[col, q], a[piv, q]) = (a[piv, q], a[col, q]);
            (z[col], z[piv]) = (z[piv], z[col]);
            for (int r = col + 1; r < k; r++)
            {
                double f = a[r, col] / a[col, col];
                for (int q = col; q < k; q++) a[r, q] -= f * a[col, q];
                z[r] -= f * z[col];
            }
        }
        for (int r = k - 1; r >= 0; r--) { for (int q = r + 1; q < k; q++) z[r] -= a[r, q] * z[q]; z[r] /= a[r, r]; }
        return z;
    }
}
