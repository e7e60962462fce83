using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Reproduce.Compute;

/// <summary>Conversions to and from MathNet.Numerics (float64) for the managed factorizations.</summary>
internal static class MathNetBridge
{
    public static Matrix<double> ToMathNet(Matrix a) => DenseMatrix.Build.Dense(a.Rows, a.Cols, a.ToArray());

    public static Matrix FromMathNet(Matrix<double> m, DType dtype)
    {
        var r = Matrix.FromColumnMajor(m.RowCount, m.ColumnCount, m.ToColumnMajorArray());
        return dtype == DType.F64 ? r : r.AsType(dtype);
    }

    public static (Matrix Q, Matrix R) Qr(Matrix a)
    {
        if (a.Cols == 0) return (Matrix.Zeros(a.Rows, 0, a.DType, Device.Cpu), Matrix.Zeros(0, 0, a.DType, Device.Cpu));
        var qr = ToMathNet(a).QR(QRMethod.Thin);
        return (FromMathNet(qr.Q, a.DType), FromMathNet(qr.R, a.DType));
    }

    public static (Matrix Values, Matrix Vectors) SymmetricEigen(Matrix a)
    {
        int n = a.Rows;
        if (n == 0) return (Matrix.Zeros(0, 1, a.DType), Matrix.Zeros(0, 0, a.DType));
        var evd = ToMathNet(a).Evd(Symmetricity.Symmetric);
        var vals = new double[n];
        for (int i = 0; i < n; i++) vals[i] = evd.EigenValues[i].Real;
        var v = Matrix.FromColumnMajor(n, 1, vals);
        return (a.DType == DType.F64 ? v : v.AsType(a.DType), FromMathNet(evd.EigenVectors, a.DType));
    }

    /// <summary>Thin SVD of a square or small matrix with MathNet (full U, then trimmed).</summary>
    public static (Matrix U, Matrix S, Matrix V) Svd(Matrix a)
    {
        int m = a.Rows, n = a.Cols, k = Math.Min(m, n);
        if (k == 0) return (Matrix.Zeros(m, 0, a.DType), Matrix.Zeros(0, 1, a.DType), Matrix.Zeros(n, 0, a.DType));
        var svd = ToMathNet(a).Svd(computeVectors: true);
        var s = new double[k];
        for (int i = 0; i < k; i++) s[i] = svd.S[i];
        var sm = Matrix.FromColumnMajor(k, 1, s);
        var u = FromMathNet(svd.U.SubMatrix(0, m, 0, k), a.DType);
        var v = FromMathNet(svd.VT.SubMatrix(0, k, 0, n).Transpose(), a.DType);
        return (u, a.DType == DType.F64 ? sm : sm.AsType(a.DType), v);
    }
}
