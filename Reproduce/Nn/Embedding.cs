using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Lookup table: token ids → columns of the C×V matrix of a PyTorch weight [V, C]
/// (X[:, n] = E[:, id_n]). Backward scatter-adds the output gradient into the used columns.</summary>
public static class Embedding
{
    /// <summary>X = E[:, ids] (C×N).</summary>
    public static Matrix Forward(string layer, int[] ids, Parameter table)
    {
        int v = table.Value.Cols;
        for (int n = 0; n < ids.Length; n++)
            if ((uint)ids[n] >= (uint)v)
                throw new ArgumentOutOfRangeException(nameof(ids), $"{layer}: id {ids[n]} at position {n} is outside the table's {v} rows (table {table.ShapeText}).");
        return Ops.GatherColumns(table.Value, ids);
    }

    /// <summary>∂E[:, id_n] += dX[:, n] for every n.</summary>
    public static void Backward(string layer, Matrix dx, int[] ids, Parameter table)
    {
        NnHost.Expect(layer, "output gradient", dx, table.Value.Rows, ids.Length, "embedding dim × tokens");
        if (NnHost.Cuda(dx) is { } cu) { cu.NnEmbeddingBackward(dx, ids, table.Grad); return; }
        NnHost.Run("embedding backward", [dx], [table.Grad], (i, o) =>
        {
            if (i[0].DType == DType.F64) Scatter<double>(i[0], ids, o[0]); else Scatter<float>(i[0], ids, o[0]);
        });
    }

    private static void Scatter<T>(Matrix dx, int[] ids, Matrix grad) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var d = NnHost.S<T>(dx); var g = NnHost.S<T>(grad);
        int c = dx.Rows;
        for (int n = 0; n < ids.Length; n++)
            System.Numerics.Tensors.TensorPrimitives.Add(g.Slice(ids[n] * c, c), d.Slice(n * c, c), g.Slice(ids[n] * c, c));
    }
}
