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
        var w = parameters.GetFlat();
        var g = new double[w.Length];
        double loss = rule.Direction(objective, w, batch, g);
        FlatVector.CheckFinite(g, $"{rule.Name}: update direction");
        parameters.SetFlat(w);
        WriteGradients(parameters, g);
        rule.BaseOptimizer.Step(parameters, lr);
        return loss;
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
