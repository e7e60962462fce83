using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>The guard every training loop calls after backward: a NaN/Inf loss or gradient stops
/// training with the step and the layer, instead of silently poisoning the weights.</summary>
public static class FiniteCheck
{
    /// <summary>Throws <see cref="TrainingDivergedException"/> when <paramref name="loss"/> or any gradient
    /// is not finite; returns the gradients' global norm (for clipping). A NaN or infinite entry makes the norm
    /// non-finite, so only then are the gradients scanned one by one, in reverse registration order (the order
    /// backward produces them), so the named layer is where the non-finite values entered first. On a GPU this
    /// is one reduction per parameter a step instead of three (a scan of |g| and a norm for clipping).</summary>
    public static double AfterBackward(int step, double loss, ParameterSet parameters)
    {
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException(step, "loss", $"Training stopped at step {step}: the loss is {loss}. Lower the learning rate, clip gradients, or check the data.");
        double norm = parameters.GradNorm();
        if (double.IsFinite(norm)) return norm;
        // A non-finite norm may also be the overflow of finite squares: only entries that are NaN/Inf stop training.
        var bad = new List<string>();
        for (int i = parameters.Count - 1; i >= 0; i--)
        {
            var p = parameters.All[i];
            using var abs = Ops.Map(UnaryOp.Abs, p.Grad);
            if (!double.IsFinite(Ops.Sum(abs))) bad.Add(p.Name);
        }
        if (bad.Count > 0)
        {
            string layer = LayerOf(bad[0]);
            throw new TrainingDivergedException(step, layer,
                $"Training stopped at step {step}: the gradient of layer '{layer}' ({bad[0]}) has NaN or infinite entries{(bad.Count > 1 ? $"; also {string.Join(", ", bad.Skip(1).Take(5))}{(bad.Count > 6 ? ", …" : "")}" : "")}. The loss was {loss}.");
        }
        return norm;
    }

    /// <summary>"h.0.attn.c_attn.weight" → "h.0.attn.c_attn".</summary>
    public static string LayerOf(string parameterName)
    {
        int dot = parameterName.LastIndexOf('.');
        return dot > 0 && parameterName[(dot + 1)..] is "weight" or "bias" ? parameterName[..dot] : parameterName;
    }
}
