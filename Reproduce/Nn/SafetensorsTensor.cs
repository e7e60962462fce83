namespace Reproduce.Nn;

/// <summary>One tensor of a safetensors file: its name, element type as spelled in the file ("F64",
/// "F32", "F16", "BF16"), shape, and values in row-major (C) order, widened to float64.</summary>
public sealed record SafetensorsTensor(string Name, string DType, int[] Shape, double[] Data)
{
    /// <summary>"[3, 4]".</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
