using System.Globalization;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Compression;

/// <summary>What the CUDA paths of SparseGPT and ALPS share: the backend of a CUDA device, H on the device
/// (undamped for the objective, damped for the method, with the host's damping values and notes), a
/// Cholesky factor with the host's explanation on failure, and the result with its objective evaluated on
/// the device (tr(DHDᵀ) in float64; the host's would be a 2·d_out·d_in² flop CPU GEMM after the timed part).</summary>
internal static class CompressionCuda
{
    /// <summary>The CUDA backend of <paramref name="device"/>, or null for a CPU device (or none).</summary>
    public static CudaBackend? Backend(Device? device) => device?.Backend as CudaBackend;

    /// <summary>The damped H (<see cref="Damping.Damp"/>) as a copy of the undamped <paramref name="h"/> on the device.</summary>
    public static Matrix Damp(CudaBackend cb, Matrix h, LayerProblem p, double percdamp, List<string> notes, string method)
    {
        var diag = Damping.DampedDiagonal(p, percdamp, notes, method);
        var g = h.Copy();
        cb.SetDiagonal(g, diag);
        return g;
    }

    /// <summary>Cholesky factor L of a damped H on the device, failing as <see cref="Damping.CholeskyOrExplain"/> does.</summary>
    public static Matrix CholeskyOrExplain(Matrix h, double percdamp, string method)
    {
        try
        {
            var l = Ops.Cholesky(h);
            if (!double.IsFinite(Ops.Sum(l))) { l.Dispose(); throw new ComputeException("non-finite factor"); }
            return l;
        }
        catch (ComputeException e)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{method}: H + {percdamp}·mean(diag H)·I is not positive definite ({e.Message}): H = XᵀX is singular or nearly so; raise the damping (e.g. 0.01 or 0.1) or give more calibration rows."), e);
        }
    }

    /// <summary>Upper Cholesky factor U of H⁻¹ for a damped H on the device (<see cref="ObsSweep.UpperCholeskyOfInverse"/>:
    /// J H J = L′L′ᵀ, U = J L′⁻¹ J), float64.</summary>
    public static Matrix UpperCholeskyOfInverse(CudaBackend cb, Matrix dampedH, double percdamp, string method)
    {
        int n = dampedH.Rows;
        using var jhj = cb.Flip(dampedH, upper: false);
        using var l = CholeskyOrExplain(jhj, percdamp, method);
        using var eye = cb.Allocate(n, n, DType.F64);
        cb.AddDiagonal(eye, 1);
        using var linv = Ops.TriangularSolve(l, eye, lower: true);
        return cb.Flip(linv, upper: true);
    }

    /// <summary>The result for weights <paramref name="w"/> on the device: downloaded (inside the timed part, as a
    /// caller needs them on the host), then objective and relative error on the device against the undamped <paramref name="h"/>.</summary>
    public static CompressionResult Result(string method, LayerProblem p, Matrix h, Matrix w, System.Diagnostics.Stopwatch sw, List<string> notes, CudaBackend cb)
    {
        var host = w.ToCpu();
        var elapsed = sw.Elapsed;
        using var wHat = p.W.To(h.Device);
        double obj = QuadraticForm(Ops.Sub(wHat, w), h, dispose: true), denom = QuadraticForm(wHat, h, dispose: false);
        long zeros = 0;
        foreach (double v in host.Span) if (v == 0) zeros++;
        notes.Add($"computed on {cb.Describe().Split(';')[0]}");
        return new CompressionResult(method, host, obj, denom > 0 ? obj / denom : 0, (double)zeros / host.Length, elapsed, notes);
    }

    private static double QuadraticForm(Matrix d, Matrix h, bool dispose)
    {
        using var dh = Ops.MatMul(d, h);
        double s = Ops.Dot(dh, d);
        if (dispose) d.Dispose();
        return Math.Max(s, 0);
    }
}
