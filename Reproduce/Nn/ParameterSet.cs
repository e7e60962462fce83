using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>The named tensors of a model, in a fixed order (the order of registration), so flat
/// views, optimizers and checkpoints are deterministic.</summary>
public sealed class ParameterSet
{
    private readonly List<Parameter> _list = [];
    private readonly Dictionary<string, Parameter> _byName = new(StringComparer.Ordinal);

    /// <summary>Parameters in registration order.</summary>
    public IReadOnlyList<Parameter> All => _list;

    /// <summary>Number of tensors.</summary>
    public int Count => _list.Count;

    /// <summary>Total number of scalars.</summary>
    public long ScalarCount => _list.Sum(p => p.Count);

    /// <summary>The parameter called <paramref name="name"/>.</summary>
    public Parameter this[string name] => _byName.TryGetValue(name, out var p) ? p
        : throw new KeyNotFoundException($"No parameter '{name}'. The model has: {string.Join(", ", _list.Take(12).Select(q => q.Name))}{(_list.Count > 12 ? ", …" : "")}.");

    /// <summary>True when a parameter of that name exists.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Registers a parameter; names must be unique.</summary>
    public Parameter Add(Parameter p)
    {
        if (!_byName.TryAdd(p.Name, p)) throw new ArgumentException($"Parameter '{p.Name}' is registered twice.");
        _list.Add(p);
        return p;
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad() { foreach (var p in _list) p.ZeroGrad(); }

    /// <summary>√(Σ‖grad‖²) over all parameters.</summary>
    public double GradNorm()
    {
        double s = 0;
        foreach (var p in _list) { double n = Ops.Norm(p.Grad); s += n * n; }
        return Math.Sqrt(s);
    }

    /// <summary>All values concatenated (parameter order, column-major within each) as float64.</summary>
    public double[] GetFlat() => Flatten(p => p.Value);

    /// <summary>All gradients concatenated in the order of <see cref="GetFlat"/>.</summary>
    public double[] GetFlatGrad() => Flatten(p => p.Grad);

    /// <summary>Sets all values from a flat vector laid out as <see cref="GetFlat"/>.</summary>
    public void SetFlat(ReadOnlySpan<double> w)
    {
        if (w.Length != ScalarCount) throw new ArgumentException($"Flat vector has {w.Length} entries but the model has {ScalarCount} parameters.");
        int o = 0;
        foreach (var p in _list)
        {
            var h = Matrix.FromColumnMajor(p.Value.Rows, p.Value.Cols, w.Slice(o, (int)p.Count).ToArray());
            p.Assign(h);
            o += (int)p.Count;
        }
    }

    private double[] Flatten(Func<Parameter, Matrix> pick)
    {
        var r = new double[ScalarCount];
        int o = 0;
        foreach (var p in _list) { var a = pick(p).ToArray(); a.CopyTo(r, o); o += a.Length; }
        return r;
    }

    /// <summary>Moves every parameter to a device and element type (gradients reset to zero).</summary>
    public void MoveTo(Device device, DType dtype) { foreach (var p in _list) p.MoveTo(device, dtype); }
}
