using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>Dense Gaussian left sketch S (s×n, entries N(0, 1/s)) for the left-sketch comparison.
/// TODO(merge): replace by Reproduce.LinearAlgebra.GaussianSketch through an adapter once the
/// shared sketches land on main; kept internal so it is not a second public copy.</summary>
internal sealed class DenseGaussianSketch : ILinearSketch
{
    private readonly Matrix _s;

    public DenseGaussianSketch(int rows, int inputRows, Rng rng)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "Gaussian sketch needs rows >= 1.");
        Rows = rows; InputRows = inputRows;
        _s = Ops.Scale(rng.NormalMatrix(rows, inputRows), 1 / Math.Sqrt(rows));
    }

    public int Rows { get; }
    public int InputRows { get; }
    public string Name => "Gaussian";

    public Matrix Apply(Matrix a)
    {
        if (a.Rows != InputRows) throw new ArgumentException($"Gaussian sketch built for {InputRows} rows applied to a {a.ShapeText} matrix.", nameof(a));
        return Ops.MatMul(_s.To(a.Device), a);
    }
}
