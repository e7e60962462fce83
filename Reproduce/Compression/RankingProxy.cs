using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Compression;

/// <summary>The brief's ranking proxy for tab-kd (its "[proposal]"): a shared "user" context, the real next item
/// against a random item, scored by the model's log-probability, and the AUC over such pairs. The paper scores a
/// ranking model's one-token answer on members and items; here the committed text stands in: the context is
/// the text before a position, the real item the next <c>itemLength</c> characters, the random item as many
/// characters from elsewhere in the same split (not overlapping the real one). Items are equally long, so
/// summed log-probabilities compare without a length correction. The brief's "previous 3 lines" do not fit:
/// a line of the committed text is a whole paragraph, longer than the 128-character context.</summary>
public static class RankingProxy
{
    /// <summary>Pairs drawn once, shared by every model scored on them (so AUC differences are paired).</summary>
    /// <param name="Real">Windows of seqLen + 1 characters: context, then the real item.</param>
    /// <param name="Random">The same contexts, then the random item.</param>
    /// <param name="Count">Number of pairs.</param>
    /// <param name="SeqLen">The model's context length (a window holds seqLen + 1 characters).</param>
    /// <param name="ItemLength">Characters per item.</param>
    public sealed record Pairs(int[] Real, int[] Random, int Count, int SeqLen, int ItemLength);

    /// <summary>Draws <paramref name="count"/> pairs from <paramref name="split"/>.</summary>
    public static Pairs Draw(int[] split, int seqLen, int itemLength, int count, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(split); ArgumentNullException.ThrowIfNull(rng);
        if (itemLength < 1 || itemLength > seqLen)
            throw new ArgumentOutOfRangeException(nameof(itemLength), itemLength, $"an item must be 1..{seqLen} characters (the context length).");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "draw at least one pair.");
        int w = seqLen + 1;
        if (split.Length < w + 2 * itemLength)
            throw new ArgumentException($"A split of {split.Length} characters is too short for a {w}-character window and a separate random item of {itemLength}.");
        var real = new int[count * w];
        var random = new int[count * w];
        int ctx = w - itemLength;
        for (int p = 0; p < count; p++)
        {
            int o = rng.NextInt(split.Length - w + 1), itemStart = o + ctx;
            int r;
            do r = rng.NextInt(split.Length - itemLength + 1);
            while (Math.Abs(r - itemStart) < itemLength);  // a random item overlapping the real one would share its characters
            Array.Copy(split, o, real, p * w, w);
            Array.Copy(split, o, random, p * w, ctx);
            Array.Copy(split, r, random, p * w + ctx, itemLength);
        }
        return new Pairs(real, random, count, seqLen, itemLength);
    }

    /// <summary>log p(item | context) of each window: the sum over the item's characters of the model's
    /// log-softmax at the character, given everything before it.</summary>
    public static double[] ItemLogProbabilities(Gpt model, int[] windows, int count, int seqLen, int itemLength, int batch = 32)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(windows);
        int w = seqLen + 1;
        if (windows.Length != count * w) throw new ArgumentException($"expected {count} windows of {w} characters, got {windows.Length} characters.");
        var score = new double[count];
        var p = new double[model.Config.VocabSize];
        for (int done = 0; done < count; done += batch)
        {
            int b = Math.Min(batch, count - done);
            var x = new int[b * seqLen];
            for (int i = 0; i < b; i++) Array.Copy(windows, (done + i) * w, x, i * seqLen, seqLen);
            using var a = model.Forward(x, b, seqLen);
            var logits = a.Logits.ToCpu().AsType(DType.F64);   // vocabulary × (b·seqLen), one column per position
            int v = logits.Rows;
            var z = logits.Span;
            for (int i = 0; i < b; i++)
            {
                double s = 0;
                // Position t predicts window character t + 1; the item is characters w − itemLength .. w − 1.
                for (int t = seqLen - itemLength; t < seqLen; t++)
                {
                    var col = z.Slice((i * seqLen + t) * v, v);
                    double logSumExp = SoftmaxCrossEntropy.Softmax<double>(col, p);
                    s += col[windows[(done + i) * w + t + 1]] - logSumExp;
                }
                score[done + i] = s;
            }
        }
        return score;
    }

    /// <summary>The AUC of the model on <paramref name="pairs"/>: the fraction of pairs whose real item scores
    /// above the random one (ties count one half), i.e. the Mann–Whitney statistic of the paired scores.</summary>
    public static double Auc(Gpt model, Pairs pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var real = ItemLogProbabilities(model, pairs.Real, pairs.Count, pairs.SeqLen, pairs.ItemLength);
        var random = ItemLogProbabilities(model, pairs.Random, pairs.Count, pairs.SeqLen, pairs.ItemLength);
        return PairedAuc(real, random);
    }

    /// <summary>Fraction of i with real[i] &gt; random[i], ties one half.</summary>
    public static double PairedAuc(double[] real, double[] random)
    {
        if (real.Length != random.Length || real.Length == 0) throw new ArgumentException("real and random scores must be equally many and non-empty.");
        double s = 0;
        for (int i = 0; i < real.Length; i++) s += real[i] > random[i] ? 1 : real[i] == random[i] ? 0.5 : 0;
        return s / real.Length;
    }
}
