using Reproduce.Compute;

namespace Reproduce.Tests.LinearAlgebra;

/// <summary>Small matrices with known structure for the linear-algebra tests.</summary>
internal static class TestMatrices
{
    /// <summary>A random SPD matrix Q·diag(eigs)·Qᵀ with the given eigenvalues.</summary>
    public static Matrix SpdWithEigenvalues(double[] eigs, Rng rng)
    {
        int n = eigs.Length;
        var (q, _) = Ops.Qr(rng.NormalMatrix(n, n));
        var d = Matrix.Vector(eigs);
        return Ops.MatMul(Ops.ScaleColumns(q, d), q, transB: true);
    }

    /// <summary>A random SPD matrix GᵀG + n·I.</summary>
    public static Matrix RandomSpd(int n, Rng rng)
    {
        var g = rng.NormalMatrix(n, n);
        var a = Ops.Gram(g);
        for (int i = 0; i < n; i++) a[i, i] += n;
        return a;
    }

    public static double MaxAbsDiff(Matrix a, Matrix b)
    {
        Assert.Equal(a.Rows, b.Rows);
        Assert.Equal(a.Cols, b.Cols);
        var x = a.ToArray(); var y = b.ToArray();
        double m = 0;
        for (int i = 0; i < x.Length; i++) m = Math.Max(m, Math.Abs(x[i] - y[i]));
        return m;
    }
}
