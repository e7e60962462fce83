using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>A random linear map S: ℝⁿ → ℝᵏ (a "sketch", k ≪ n typically) applied to the columns
/// of a matrix. Implementations: <see cref="GaussianSketch"/>, <see cref="RademacherSketch"/>,
/// <see cref="CountSketch"/>, <see cref="SparseSignSketch"/> and <see cref="SrhtSketch"/>
/// (Woodruff, "Sketching as a Tool for Numerical Linear Algebra", 2014, §2). A sketch is fixed
/// once constructed: applying it twice gives the same S·A.</summary>
public interface ISketch
{
    /// <summary>k, the number of rows of S (the sketch dimension).</summary>
    int SketchSize { get; }

    /// <summary>n, the number of columns of S (rows of the matrices it applies to).</summary>
    int InputDim { get; }

    /// <summary>S·A for A with <see cref="InputDim"/> rows; returns a k×A.Cols matrix on A's
    /// device with A's element type.</summary>
    Matrix Apply(Matrix a);
}
