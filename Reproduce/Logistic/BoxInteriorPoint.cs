using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>Mehrotra predictor–corrector interior point method for min cᵀx s.t. Mᵀx = b, 0 ≤ x ≤ 1 with M ∈ ℝ^{N×m},
/// N ≫ m (Wright 1997, ch. 10, with upper bounds handled by complementarity pairs instead of extra rows). Each
/// iteration forms and factors the m×m matrix Mᵀ Θ M through <see cref="Ops"/>, so the cost is O(N m²) per iteration.
/// It exists because the project's general IPM turns every upper bound into an extra constraint row, which makes
/// the normal matrix N×N for the LAD dual (reported to the IPM owner).</summary>
internal static class BoxInteriorPoint
{
    public sealed record Result(double[] X, double[] Y, double[] Z, double[] S, double Primal, double Dual, int Iterations, bool Converged, string Message);

    public static Result Solve(Matrix mt, double[] b, double[] c, double tol = 1e-11, int maxIter = 150)
    {
        int n = mt.Rows, m = mt.Cols;
        var x = new double[n]; var w = new double[n]; var z = new double[n]; var s = new double[n]; var y = new double[m];
        for (int i = 0; i < n; i++)
        {
            x[i] = 0.5; w[i] = 0.5;
            z[i] = Math.Max(c[i], 0) + 1; s[i] = z[i] - c[i];
        }
        double nb = Linalg.Norm(b), nc = Linalg.Norm(c);
        int it = 0; bool conv = false; string msg = "iteration limit";
        double pobj = 0, dobj = 0;
        for (; it <= maxIter; it++)
        {
            var ax = Linalg.MatVec(mt, x, trans: true);
            var aty = Linalg.MatVec(mt, y);
            var rb = new double[m]; for (int r0 = 0; r0 < m; r0++) rb[r0] = b[r0] - ax[r0];
            var rc = new double[n]; for (int i = 0; i < n; i++) rc[i] = c[i] - aty[i] - z[i] + s[i];
            double mu = (Linalg.Dot(x, z) + Linalg.Dot(w, s)) / (2.0 * n);
            pobj = Linalg.Dot(c, x); dobj = Linalg.Dot(b, y); for (int i = 0; i < n; i++) dobj -= s[i];
            double relP = Linalg.Norm(rb) / (1 + nb), relD = Linalg.Norm(rc) / (1 + nc), gap = Math.Abs(pobj - dobj) / (1 + Math.Abs(pobj));
            if (relP <= tol && relD <= tol && gap <= tol) { conv = true; msg = "converged"; break; }
            if (it == maxIter) break;
            var theta = new double[n];
            for (int i = 0; i < n; i++) theta[i] = 1 / (z[i] / x[i] + s[i] / w[i]);
            var k = Linalg.WeightedGram(mt, theta);
            Matrix l;
            try { l = FactorWithRidge(k); }
            catch (NotPositiveDefiniteException) { msg = "normal equations broke down"; break; }
            (double[] dx, double[] dy, double[] dz, double[] ds) Dir(double[] rxz, double[] rws)
            {
                var rt = new double[n];
                for (int i = 0; i < n; i++) rt[i] = rc[i] - rxz[i] / x[i] + rws[i] / w[i];
                var tr = new double[n]; for (int i = 0; i < n; i++) tr[i] = theta[i] * rt[i];
                var atr = Linalg.MatVec(mt, tr, trans: true);
                var rhs = new double[m]; for (int q = 0; q < m; q++) rhs[q] = rb[q] + atr[q];
                var t = Ops.TriangularSolve(l, Matrix.Vector(rhs), lower: true);
                var dyv = Ops.TriangularSolve(l, t, lower: true, transpose: true).ToArray();
                var atdy = Linalg.MatVec(mt, dyv);
                var dxv = new double[n]; var dzv = new double[n]; var dsv = new double[n];
                for (int i = 0; i < n; i++)
                {
                    dxv[i] = theta[i] * (atdy[i] - rt[i]);
                    dzv[i] = (rxz[i] - z[i] * dxv[i]) / x[i];
                    dsv[i] = (rws[i] + s[i] * dxv[i]) / w[i];
                }
                return (dxv, dyv, dzv, dsv);
            }
            var r1 = new double[n]; var r2 = new double[n];
            for (int i = 0; i < n; i++) { r1[i] = -x[i] * z[i]; r2[i] = -w[i] * s[i]; }
            var aff = Dir(r1, r2);
            var (ap, ad) = Steps(x, w, z, s, aff.dx, aff.dz, aff.ds, 1.0);
            double muAff = 0;
            for (int i = 0; i < n; i++)
                muAff += (x[i] + ap * aff.dx[i]) * (z[i] + ad * aff.dz[i]) + (w[i] - ap * aff.dx[i]) * (s[i] + ad * aff.ds[i]);
            muAff /= 2.0 * n;
            double sigma = Math.Pow(Math.Max(muAff, 0) / mu, 3);
            for (int i = 0; i < n; i++)
            {
                r1[i] = sigma * mu - x[i] * z[i] - aff.dx[i] * aff.dz[i];
                r2[i] = sigma * mu - w[i] * s[i] + aff.dx[i] * aff.ds[i];
            }
            var dir = Dir(r1, r2);
            double eta = Math.Min(0.9995, Math.Max(0.9, 1 - 10 * mu));
            (ap, ad) = Steps(x, w, z, s, dir.dx, dir.dz, dir.ds, eta);
            for (int i = 0; i < n; i++)
            {
                x[i] += ap * dir.dx[i]; w[i] = 1 - x[i];
                if (w[i] <= 0 || x[i] <= 0) { x[i] = Math.Clamp(x[i], 1e-300, 1 - 1e-16); w[i] = Math.Max(1 - x[i], 1e-300); }
                z[i] += ad * dir.dz[i]; s[i] += ad * dir.ds[i];
            }
            for (int q = 0; q < m; q++) y[q] += ad * dir.dy[q];
        }
        return new Result(x, y, z, s, pobj, dobj, it, conv, msg);
    }

    private static Matrix FactorWithRidge(Matrix k)
    {
        double maxDiag = 1e-300;
        for (int i = 0; i < k.Rows; i++) maxDiag = Math.Max(maxDiag, k[i, i]);
        double reg = 0;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (reg == 0) return Ops.Cholesky(k);
                var kk = k.Copy(); for (int i = 0; i < k.Rows; i++) kk[i, i] += reg;
                return Ops.Cholesky(kk);
            }
            catch (NotPositiveDefiniteException) when (attempt < 12) { reg = reg == 0 ? maxDiag * 1e-14 : reg * 100; }
        }
    }

    private static (double Ap, double Ad) Steps(double[] x, double[] w, double[] z, double[] s, double[] dx, double[] dz, double[] ds, double eta)
    {
        double ap = double.PositiveInfinity, ad = double.PositiveInfinity;
        for (int i = 0; i < x.Length; i++)
        {
            if (dx[i] < 0) ap = Math.Min(ap, -x[i] / dx[i]);
            if (dx[i] > 0) ap = Math.Min(ap, w[i] / dx[i]);
            if (dz[i] < 0) ad = Math.Min(ad, -z[i] / dz[i]);
            if (ds[i] < 0) ad = Math.Min(ad, -s[i] / ds[i]);
        }
        return (Math.Min(1, eta * ap), Math.Min(1, eta * ad));
    }
}
