using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Parameter initializers, drawn from a seeded <see cref="Rng"/> in a fixed order so a seed
/// fixes the model bit for bit.</summary>
internal static class Init
{
    public static Parameter Normal(string name, int[] shape, double sd, Rng rng, DType dtype, Device device) =>
        Make(name, shape, dtype, device, _ => sd * rng.Normal());

    public static Parameter Uniform(string name, int[] shape, double bound, Rng rng, DType dtype, Device device) =>
        Make(name, shape, dtype, device, _ => rng.Uniform(-bound, bound));

    public static Parameter Constant(string name, int[] shape, double value, DType dtype, Device device) =>
        Make(name, shape, dtype, device, _ => value);

    private static Parameter Make(string name, int[] shape, DType dtype, Device device, Func<int, double> f)
    {
        var (r, c) = Parameter.MatrixShape(shape);
        var data = new double[(long)r * c];
        for (int i = 0; i < data.Length; i++) data[i] = f(i);
        var m = Matrix.FromColumnMajor(r, c, data);
        if (dtype != DType.F64) m = m.AsType(dtype);
        return new Parameter(name, shape, m.To(device));
    }
}
