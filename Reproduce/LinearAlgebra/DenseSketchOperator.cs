using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>Holds an explicit k×n sketch matrix and copies of it per (device, element type), so a
/// dense sketch applies with one GEMM on whichever device A lives.</summary>
internal sealed class DenseSketchOperator(Matrix s)
{
    private readonly Dictionary<(Device, DType), Matrix> _copies = new();
    private readonly Lock _gate = new();

    public Matrix Host { get; } = s;

    public Matrix On(Device device, DType dtype)
    {
        if (ReferenceEquals(device, Host.Device) && dtype == Host.DType) return Host;
        lock (_gate)
        {
            if (!_copies.TryGetValue((device, dtype), out var m))
            {
                var converted = dtype == Host.DType ? Host : Host.AsType(dtype);
                m = converted.To(device);
                _copies[(device, dtype)] = m;
            }
            return m;
        }
    }

    public Matrix Apply(Matrix a) => Ops.MatMul(On(a.Device, a.DType), a);
}
