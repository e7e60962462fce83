using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>One optimizer step of an <see cref="IUpdateRule"/> on a model's <see cref="ParameterSet"/>.</summary>
public static class UpdateRuleExtensions
{
    /// <summary>Reads w from <paramref name="parameters"/>, computes G, restores w (objectives that
    /// evaluate the model at perturbed weights leave them in the model), writes G into the gradients
    /// and lets the base optimizer step. Returns L_𝔅(w).</summary>
    public static double Step(this IUpdateRule rule, ParameterSet parameters, IBatchObjective objective, ReadOnlySpan<int> batch, double lr)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(parameters);
        if (!double.IsFinite(lr) || lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), lr, "The learning rate must be finite and ≥ 0.");
        if (parameters.All.Any(p => p.Value.Device.Kind != DeviceKind.Cpu || p.Value.DType != DType.F64 || p.Grad.DType != DType.F64))
        {
            var w = parameters.GetFlat();
            var g = new double[w.Length];
            double loss = rule.Direction(objective, w, batch, g);
            FlatVector.CheckFinite(g, $"{rule.Name}: update direction");
            parameters.SetFlat(w);
            WriteGradients(parameters, g);
            rule.BaseOptimizer.Step(parameters, lr);
            return loss;
        }
        // CPU float64 (the training figures): copy through spans into pooled buffers. The flat vectors
        // are large-object-heap sized for a 784–128–10 MLP, and allocating several per step made
        // garbage collection a large share of a step when many runs train in parallel.
        int n = (int)parameters.ScalarCount;
        var wBuf = System.Buffers.ArrayPool<double>.Shared.Rent(n);
        var gBuf = System.Buffers.ArrayPool<double>.Shared.Rent(n);
        try
        {
            var w = wBuf.AsSpan(0, n); var g = gBuf.AsSpan(0, n);
            int o = 0;
            foreach (var p in parameters.All) { p.Value.Span.CopyTo(w.Slice(o)); o += (int)p.Count; }
            double loss = rule.Direction(objective, w, batch, g);
            FlatVector.CheckFinite(g, $"{rule.Name}: update direction");
            o = 0;
            foreach (var p in parameters.All)
            {
                int c = (int)p.Count;
                w.Slice(o, c).CopyTo(p.Value.Span); // objectives that evaluate at perturbed weights leave them in the model
                g.Slice(o, c).CopyTo(p.Grad.Span);
                o += c;
            }
            rule.BaseOptimizer.Step(parameters, lr);
            return loss;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(wBuf);
            System.Buffers.ArrayPool<double>.Shared.Return(gBuf);
        }
    }

    /// <summary>Sets every parameter's gradient from a flat vector laid out as
    /// <see cref="ParameterSet.GetFlat"/>.</summary>
    public static void WriteGradients(ParameterSet parameters, ReadOnlySpan<double> g)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (g.Length != parameters.ScalarCount)
            throw new ArgumentException($"The flat gradient has {g.Length} entries but the model has {parameters.ScalarCount} parameters.", nameof(g));
        int o = 0;
        foreach (var p in parameters.All)
        {
            int n = (int)p.Count;
            var h = Matrix.FromColumnMajor(p.Grad.Rows, p.Grad.Cols, g.Slice(o, n).ToArray());
            var src = p.Grad.DType == DType.F64 ? h : h.AsType(p.Grad.DType);
            NnHost.WriteBack(src, p.Grad);
            o += n;
        }
    }
}
