using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>Small bridges between plain arrays (scalar control logic) and <see cref="Ops"/> (heavy n×d work on
/// the data's device).</summary>
internal static class Linalg
{
    public static Matrix Vec(double[] v, Device device)
    {
        var m = Matrix.Vector(v);
        return device.Kind == DeviceKind.Cpu ? m : m.To(device);
    }

    public static double[] Arr(Matrix m) => m.Device.Kind == DeviceKind.Cpu ? m.ToArray() : m.ToCpu().ToArray();

    /// <summary>A·v (or Aᵀ·v).</summary>
    public static double[] MatVec(Matrix a, double[] v, bool trans = false) => Arr(Ops.MatVec(a, Vec(v, a.Device), trans));

    /// <summary>Aᵀ diag(w) A (d×d, CPU).</summary>
    public static Matrix WeightedGram(Matrix a, double[] w)
    {
        var sq = new double[w.Length];
        for (int i = 0; i < w.Length; i++) sq[i] = Math.Sqrt(w[i]);
        var g = Ops.Gram(Ops.ScaleRows(Vec(sq, a.Device), a));
        return g.Device.Kind == DeviceKind.Cpu ? g : g.ToCpu();
    }

    /// <summary>Solves K x = b for symmetric positive (semi)definite K by Cholesky, adding a growing ridge on breakdown.</summary>
    public static double[] SolveSpd(Matrix k, double[] b)
    {
        double maxDiag = 1e-300;
        for (int i = 0; i < k.Rows; i++) maxDiag = Math.Max(maxDiag, Math.Abs(k[i, i]));
        double reg = 0;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                var kk = k;
                if (reg > 0) { kk = k.Copy(); for (int i = 0; i < k.Rows; i++) kk[i, i] += reg; }
                var l = Ops.Cholesky(kk);
                var t = Ops.TriangularSolve(l, Matrix.Vector(b), lower: true);
                return Ops.TriangularSolve(l, t, lower: true, transpose: true).ToArray();
            }
            catch (NotPositiveDefiniteException) when (attempt < 14)
            {
                reg = reg == 0 ? maxDiag * 1e-15 : reg * 100;
            }
        }
    }

    public static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }
    public static double Norm(double[] a) => Math.Sqrt(Dot(a, a));
    public static double L1(double[] a) { double s = 0; foreach (var v in a) s += Math.Abs(v); return s; }

    /// <summary>(‖v⁺‖₁, ‖v⁻‖₁).</summary>
    public static (double Pos, double Neg) Parts(double[] v)
    {
        double p = 0, q = 0;
        foreach (var x in v) { if (x > 0) p += x; else q -= x; }
        return (p, q);
    }
}
