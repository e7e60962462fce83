using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>Helpers shared by every <see cref="ISketch"/>.</summary>
public static class SketchExtensions
{
    /// <summary>The k×n matrix S itself, as S·I (CPU, float64). Meant for tests and small n.</summary>
    public static Matrix ToDense(this ISketch sketch) => sketch.Apply(Matrix.Identity(sketch.InputDim));

    /// <summary>Throws when A does not have n rows, or has NaN/Inf entries.</summary>
    internal static void CheckInput(ISketch sketch, Matrix a, string name)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Rows != sketch.InputDim)
            throw new ArgumentException($"{name}.Apply: S is {sketch.SketchSize}×{sketch.InputDim} but A is {a.Rows}×{a.Cols}; A needs {sketch.InputDim} rows.", nameof(a));
        Ops.CheckFinite(name + ".Apply", a);
    }

    /// <summary>Validates a sparse input's row count (sparse values are checked finite by SparseMatrix itself).</summary>
    internal static void CheckInput(ISketch sketch, SparseMatrix a, string name)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Rows != sketch.InputDim)
            throw new ArgumentException($"{name}.Apply: S is {sketch.SketchSize}×{sketch.InputDim} but A is {a.Rows}×{a.Cols}; A needs {sketch.InputDim} rows.", nameof(a));
    }

    /// <summary>Validates the (k, n) shape of a sketch.</summary>
    internal static void CheckShape(int k, int n, string name)
    {
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), k, $"{name}: the sketch size k must be positive.");
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, $"{name}: the input dimension n must be positive.");
    }
}
