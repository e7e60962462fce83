using Reproduce.Compute;

namespace Reproduce.Tests.Compute;

/// <summary>The backends under test and helpers to compare them with the reference oracle.</summary>
internal static class Backends
{
    public static readonly ReferenceBackend Reference = new();

    /// <summary>"managed", "managed1" (one thread) or "openblas". Tests that ask for "openblas" are
    /// marked to need Part.OpenBlas and skip without it, so its absence here is a test bug.</summary>
    public static IBackend Get(string name) => name switch
    {
        "managed" => new ManagedCpuBackend(),
        "managed1" => new ManagedCpuBackend(threads: 1),
        "openblas" => OpenBlasCpuBackend.TryCreate(out var e) ?? throw new Xunit.Sdk.XunitException("OpenBLAS backend unavailable: " + e),
        _ => throw new ArgumentException(name),
    };

    public static Matrix Random(int rows, int cols, DType dtype, Rng rng)
    {
        var m = rng.NormalMatrix(rows, cols);
        return dtype == DType.F64 ? m : m.AsType(DType.F32);
    }

    /// <summary>Tolerance scaled to the element type and the length of the sums involved.</summary>
    public static double Tol(DType dtype, int depth = 1) => (dtype == DType.F64 ? 1e-13 : 2e-6) * Math.Max(1, depth);

    /// <summary>max |a − b| / max(1, max |b|).</summary>
    public static double RelDiff(Matrix a, Matrix b)
    {
        Assert.Equal(b.Rows, a.Rows);
        Assert.Equal(b.Cols, a.Cols);
        var x = a.ToArray(); var y = b.ToArray();
        double m = 0, scale = 1;
        for (int i = 0; i < y.Length; i++) scale = Math.Max(scale, Math.Abs(y[i]));
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) != double.IsNaN(y[i])) return double.PositiveInfinity;
            if (!double.IsNaN(x[i])) m = Math.Max(m, Math.Abs(x[i] - y[i]));
        }
        return m / scale;
    }

    public static void Close(Matrix expected, Matrix actual, double tol, string what)
    {
        double d = RelDiff(actual, expected);
        Assert.True(d <= tol, $"{what}: relative difference {d:G3} > {tol:G3} ({expected.ShapeText})");
    }

    public static bool BitEqual(Matrix a, Matrix b)
    {
        var x = a.ToArray(); var y = b.ToArray();
        if (x.Length != y.Length) return false;
        for (int i = 0; i < x.Length; i++) if (BitConverter.DoubleToInt64Bits(x[i]) != BitConverter.DoubleToInt64Bits(y[i])) return false;
        return true;
    }
}
