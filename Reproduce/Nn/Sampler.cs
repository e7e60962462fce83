using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Autoregressive sampling from a <see cref="Gpt"/>: each new token is drawn from
/// softmax(z/τ) of the last position's logits z (τ = temperature; τ = 0 is greedy argmax), with the
/// context cut to the model's context length.</summary>
public static class Sampler
{
    /// <summary><paramref name="count"/> new token ids following <paramref name="prompt"/>.</summary>
    public static int[] Generate(Gpt model, int[] prompt, int count, double temperature, Rng rng)
    {
        if (prompt.Length == 0) throw new ArgumentException("Sampling needs a prompt of at least one token.", nameof(prompt));
        if (temperature < 0 || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"Temperature must be ≥ 0 and finite, got {temperature}.");
        var seq = new List<int>(prompt);
        var output = new int[count];
        int ctx = model.Config.ContextLength, v = model.Config.VocabSize;
        var p = new double[v];
        for (int s = 0; s < count; s++)
        {
            var window = seq.Skip(Math.Max(0, seq.Count - ctx)).ToArray();
            double[] logits;
            using (var a = model.Forward(window, 1, window.Length)) logits = a.Logits.ToArray(); // on a GPU, back to the pool
            var last = logits.AsSpan((window.Length - 1) * v, v);
            int next;
            if (temperature == 0) { next = 0; for (int k = 1; k < v; k++) if (last[k] > last[next]) next = k; }
            else
            {
                SoftmaxCrossEntropy.Softmax<double>(last, p, 1 / temperature);
                double u = rng.Uniform(), acc = 0;
                next = v - 1;
                for (int k = 0; k < v; k++) { acc += p[k]; if (u < acc) { next = k; break; } }
            }
            output[s] = next;
            seq.Add(next);
        }
        return output;
    }
}
