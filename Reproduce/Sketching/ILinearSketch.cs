using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>A left sketch S (Rows × InputRows) applied as S·A. Kept minimal so the pipelines can
/// take the library-wide sketches of Reproduce.LinearAlgebra through an adapter once available.</summary>
public interface ILinearSketch
{
    /// <summary>Sketch rows s.</summary>
    int Rows { get; }
    /// <summary>Rows n of the matrices it applies to.</summary>
    int InputRows { get; }
    /// <summary>A short name for tables and legends.</summary>
    string Name { get; }
    /// <summary>S·A for A with <see cref="InputRows"/> rows.</summary>
    Matrix Apply(Matrix a);
}
