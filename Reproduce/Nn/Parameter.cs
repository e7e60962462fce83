using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>A named trainable tensor and its gradient. Storage convention: a PyTorch tensor of shape
/// [a, b] (row-major) is held as a b×a column-major <see cref="Matrix"/>, which has the same bytes,
/// so safetensors files move between the two without reordering; a vector [n] is n×1. A linear
/// layer's weight [out, in] is therefore an in×out matrix W and the layer computes y = Wᵀx.</summary>
public sealed class Parameter
{
    /// <summary>A parameter with zero gradient; <paramref name="value"/> must match <paramref name="torchShape"/>.</summary>
    public Parameter(string name, int[] torchShape, Matrix value)
    {
        var (r, c) = MatrixShape(torchShape);
        if (value.Rows != r || value.Cols != c)
            throw new ArgumentException($"Parameter '{name}': value is {value.Rows}×{value.Cols} but shape [{string.Join(", ", torchShape)}] needs a {r}×{c} matrix.");
        Name = name;
        TorchShape = (int[])torchShape.Clone();
        Value = value;
        Grad = Matrix.Zeros(r, c, value.DType, value.Device);
    }

    /// <summary>Dotted name, as in a PyTorch state dict ("h.0.attn.c_attn.weight").</summary>
    public string Name { get; }

    /// <summary>The PyTorch (row-major) shape: [out, in] for a weight, [n] for a vector.</summary>
    public int[] TorchShape { get; }

    /// <summary>The values (see the class remarks for the layout).</summary>
    public Matrix Value { get; private set; }

    /// <summary>∂loss/∂Value, accumulated by the backward functions.</summary>
    public Matrix Grad { get; private set; }

    /// <summary>"[3, 4]".</summary>
    public string ShapeText => "[" + string.Join(", ", TorchShape) + "]";

    /// <summary>Number of entries.</summary>
    public long Count => Value.Length;

    /// <summary>The matrix shape that holds a tensor of <paramref name="torchShape"/>.</summary>
    public static (int Rows, int Cols) MatrixShape(int[] torchShape) => torchShape.Length switch
    {
        1 => (torchShape[0], 1),
        2 => (torchShape[1], torchShape[0]),
        _ => throw new ArgumentException($"Tensors of rank {torchShape.Length} ([{string.Join(", ", torchShape)}]) are not supported; use rank 1 or 2."),
    };

    /// <summary>Sets the gradient to zero.</summary>
    public void ZeroGrad() => Ops.MapInPlace(UnaryOp.Scale, Grad, 0);

    /// <summary>Replaces the values (same shape), e.g. from a checkpoint or after pruning.</summary>
    public void Assign(Matrix value)
    {
        if (value.Rows != Value.Rows || value.Cols != Value.Cols)
            throw new ArgumentException($"Parameter '{Name}' {ShapeText}: new value is {value.Rows}×{value.Cols}, expected {Value.Rows}×{Value.Cols}.");
        var v = value.DType == Value.DType ? value : value.AsType(Value.DType);
        NnHost.WriteBack(v.Device.Kind == DeviceKind.Cpu ? v : v.ToCpu(), Value);
    }

    /// <summary>Moves values and gradient to another device or element type.</summary>
    internal void MoveTo(Device device, DType dtype)
    {
        var v = Value.DType == dtype ? Value : Value.AsType(dtype);
        Value = v.To(device);
        Grad = Matrix.Zeros(Value.Rows, Value.Cols, dtype, device);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {ShapeText}";
}
