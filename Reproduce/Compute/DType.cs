namespace Reproduce.Compute;

/// <summary>Element type of a <see cref="Matrix"/>.</summary>
public enum DType
{
    /// <summary>IEEE binary64.</summary>
    F64,
    /// <summary>IEEE binary32.</summary>
    F32,
}
