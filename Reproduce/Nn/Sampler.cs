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
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Length == 0) throw new ArgumentException("Sampling needs a prompt of at least one token.", nameof(prompt));
        return GenerateBatch(model, prompt, 1, prompt.Length, count, temperature, rng);
    }

    /// <summary><paramref name="count"/> new tokens after each of <paramref name="batch"/> prompts of
    /// <paramref name="promptLength"/> tokens (row-major, batch × promptLength), all rows in one forward pass per new
    /// token (no KV cache: each pass re-reads the row's window). Returns batch × count ids, row-major; τ = 0 is greedy.
    /// Row b draws from <paramref name="rng"/> in row order at each position, so a seed fixes the samples.</summary>
    public static int[] GenerateBatch(Gpt model, int[] prompts, int batch, int promptLength, int count, double temperature, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(prompts); ArgumentNullException.ThrowIfNull(rng);
        if (batch <= 0 || promptLength <= 0) throw new ArgumentException($"Batched sampling needs at least one prompt of at least one token (got {batch} × {promptLength}).");
        if (prompts.Length != batch * promptLength) throw new ArgumentException($"{prompts.Length} prompt tokens are not {batch} prompts × {promptLength}.", nameof(prompts));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The number of new tokens must be ≥ 0.");
        if (temperature < 0 || !double.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"Temperature must be ≥ 0 and finite, got {temperature}.");
        int ctx = model.Config.ContextLength, v = model.Config.VocabSize, total = promptLength + count;
        var seq = new int[batch * total];
        for (int b = 0; b < batch; b++) Array.Copy(prompts, b * promptLength, seq, b * total, promptLength);
        var output = new int[batch * count];
        var p = new double[v];
        var last = new int[batch];
        for (int s = 0; s < count; s++)
        {
            int len = promptLength + s, w = Math.Min(len, ctx), from = len - w;
            var window = new int[batch * w];
            for (int b = 0; b < batch; b++) Array.Copy(seq, b * total + from, window, b * w, w);
            // Logits are V × (batch·w), one column per position. Only each row's last position is drawn from: gather those
            // columns on the model's device before the copy, so a GPU sends V × batch logits per token, not V × batch·w.
            for (int b = 0; b < batch; b++) last[b] = (b + 1) * w - 1;
            double[] logits;
            using (var a = model.Forward(window, batch, w))
            using (var cols = Ops.GatherColumns(a.Logits, last)) logits = cols.ToArray();
            for (int b = 0; b < batch; b++)
            {
                int next = Draw(logits.AsSpan(b * v, v), p, temperature, rng);
                output[b * count + s] = next;
                seq[b * total + len] = next;
            }
        }
        return output;
    }

    /// <summary>One token from logits z: argmax for τ = 0, else a draw from softmax(z/τ) (<paramref name="p"/> is scratch).</summary>
    private static int Draw(ReadOnlySpan<double> last, double[] p, double temperature, Rng rng)
    {
        int v = last.Length;
        if (temperature == 0) { int best = 0; for (int k = 1; k < v; k++) if (last[k] > last[best]) best = k; return best; }
        SoftmaxCrossEntropy.Softmax<double>(last, p, 1 / temperature);
        double u = rng.Uniform(), acc = 0;
        for (int k = 0; k < v; k++) { acc += p[k]; if (u < acc) return k; }
        return v - 1;
    }
}
