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
    /// is one reduction per parameter a step instead of three (a scan of |g| and a norm for clipping). For a
    /// non-finite loss the layer is the first one in forward order whose weights hold NaN/Inf, else the
    /// one <paramref name="locateInForward"/> finds (e.g. <see cref="FirstNonFiniteLayer"/>), else "loss".</summary>
    public static double AfterBackward(int step, double loss, ParameterSet parameters, Func<(string Layer, string Where)?>? locateInForward = null)
    {
        if (!double.IsFinite(loss))
        {
            var (layer, where) = LocateNonFiniteLoss(parameters, locateInForward);
            throw new TrainingDivergedException(step, layer,
                $"Training stopped at step {step}: the loss is {loss}; {where}. Lower the learning rate, clip gradients, or check the data.");
        }
        double norm = parameters.GradNorm();
        if (double.IsFinite(norm)) return norm;
        // A non-finite norm may also be the overflow of finite squares: only entries that are NaN/Inf stop training.
        var bad = new List<string>();
        for (int i = parameters.Count - 1; i >= 0; i--)
        {
            var p = parameters.All[i];
            if (HasNonFinite(p.Grad)) bad.Add(p.Name);
        }
        if (bad.Count > 0)
        {
            string layer = LayerOf(bad[0]);
            throw new TrainingDivergedException(step, layer,
                $"Training stopped at step {step}: the gradient of layer '{layer}' ({bad[0]}) has NaN or infinite entries{(bad.Count > 1 ? $"; also {string.Join(", ", bad.Skip(1).Take(5))}{(bad.Count > 6 ? ", …" : "")}" : "")}. The loss was {loss}.");
        }
        return norm;
    }

    /// <summary>Where a GPT's forward pass on this batch first holds NaN/Inf: the first layer, in forward
    /// order, whose output does (<see cref="Gpt.Activations.LayerOutputs"/>); null when every activation is
    /// finite. Costs one extra forward pass, run only after the loss has gone bad.</summary>
    public static (string Layer, string Where)? FirstNonFiniteLayer(Gpt model, int[] tokens, int batch, int seqLen)
    {
        using var a = model.Forward(tokens, batch, seqLen);
        foreach (var (layer, output) in a.LayerOutputs())
            if (HasNonFinite(output))
                return (layer, $"every weight is finite, and the output of layer '{layer}' is the first activation with NaN or infinite entries");
        return null;
    }

    /// <summary>"h.0.attn.c_attn.weight" → "h.0.attn.c_attn".</summary>
    public static string LayerOf(string parameterName)
    {
        int dot = parameterName.LastIndexOf('.');
        return dot > 0 && parameterName[(dot + 1)..] is "weight" or "bias" ? parameterName[..dot] : parameterName;
    }

    private static (string Layer, string Where) LocateNonFiniteLoss(ParameterSet parameters, Func<(string Layer, string Where)?>? locateInForward)
    {
        foreach (var p in parameters.All)
            if (HasNonFinite(p.Value))
                return (LayerOf(p.Name), $"the weights of layer '{LayerOf(p.Name)}' ({p.Name}) hold NaN or infinite entries");
        if (locateInForward?.Invoke() is { } found) return found;
        return ("loss", "every weight and every activation is finite, so the loss itself overflowed (or, in distillation, the teacher's logits are not finite)");
    }

    /// <summary>NaN or ±∞ anywhere in <paramref name="m"/> (the sum of |x| is then not finite).</summary>
    private static bool HasNonFinite(Matrix m)
    {
        using var abs = Ops.Map(UnaryOp.Abs, m);
        return !double.IsFinite(Ops.Sum(abs));
    }
}
