using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>A character-level corpus: the vocabulary (distinct characters, sorted by code point),
/// the text as ids, and train/validation/test splits of 90/5/5 % by contiguous blocks (compression
/// brief §2.8; contiguous so no validation window overlaps training text).</summary>
public sealed class CharCorpus
{
    private readonly Dictionary<char, int> _index;

    private CharCorpus(string text, string source)
    {
        if (text.Length < 100) throw new ArgumentException($"{source}: {text.Length} characters is too little text for train/validation/test splits (need ≥ 100).");
        Source = source;
        Vocab = text.Distinct().OrderBy(c => c).ToArray();
        _index = Vocab.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var ids = Encode(text);
        int nTrain = (int)(0.9 * ids.Length), nVal = (int)(0.05 * ids.Length);
        Train = ids[..nTrain]; Validation = ids[nTrain..(nTrain + nVal)]; Test = ids[(nTrain + nVal)..];
    }

    /// <summary>Where the text came from.</summary>
    public string Source { get; }
    /// <summary>Distinct characters; id k is Vocab[k].</summary>
    public char[] Vocab { get; }
    /// <summary>First 90 % of the text.</summary>
    public int[] Train { get; }
    /// <summary>Next 5 %.</summary>
    public int[] Validation { get; }
    /// <summary>Last 5 %.</summary>
    public int[] Test { get; }

    /// <summary>A corpus from text.</summary>
    public static CharCorpus FromText(string text, string source = "text") => new(text, source);

    /// <summary>The committed public-domain subset (data/moby-dick-subset/chapters-01-16.txt; see data/README.md).</summary>
    public static CharCorpus MobyDick()
    {
        string path = Path.Combine(DataDirectory(), "moby-dick-subset", "chapters-01-16.txt");
        if (!File.Exists(path)) throw new FileNotFoundException($"The committed text '{path}' is missing; restore data/moby-dick-subset from the repository.", path);
        return new CharCorpus(File.ReadAllText(path), "Moby-Dick ch. 1–16 (data/moby-dick-subset)");
    }

    /// <summary>Ids of the characters of <paramref name="text"/>.</summary>
    public int[] Encode(string text)
    {
        var r = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
            r[i] = _index.TryGetValue(text[i], out int k) ? k : throw new ArgumentException($"Character '{text[i]}' (U+{(int)text[i]:X4}) at {i} is not in the corpus vocabulary.");
        return r;
    }

    /// <summary>The text of ids.</summary>
    public string Decode(IEnumerable<int> ids) => new(ids.Select(i => Vocab[i]).ToArray());

    /// <summary>A batch of <paramref name="batch"/> windows at offsets drawn from <paramref name="rng"/>:
    /// inputs split[o..o+T) and targets split[o+1..o+T+1), batch-major.</summary>
    public static (int[] Inputs, int[] Targets) SampleBatch(int[] split, int batch, int seqLen, Rng rng)
    {
        if (split.Length < seqLen + 1) throw new ArgumentException($"A split of {split.Length} characters is shorter than one window of {seqLen} + 1.");
        var x = new int[batch * seqLen]; var y = new int[batch * seqLen];
        for (int b = 0; b < batch; b++)
        {
            int o = rng.NextInt(split.Length - seqLen);
            Array.Copy(split, o, x, b * seqLen, seqLen);
            Array.Copy(split, o + 1, y, b * seqLen, seqLen);
        }
        return (x, y);
    }

    /// <summary>Cross-entropy (nats per character) of <paramref name="split"/> under the training
    /// text's character frequencies with add-one smoothing: the unigram baseline a language model must beat.</summary>
    public double UnigramCrossEntropy(int[] split)
    {
        var counts = new double[Vocab.Length];
        foreach (var c in Train) counts[c]++;
        double total = Train.Length + Vocab.Length, s = 0;
        foreach (var c in split) s -= Math.Log((counts[c] + 1) / total);
        return s / split.Length;
    }

    /// <summary>Mean cross-entropy (nats per character) of the model over consecutive non-overlapping
    /// windows of <paramref name="split"/>, at most <paramref name="maxWindows"/> of them.</summary>
    public static double Evaluate(Gpt model, int[] split, int seqLen, int maxWindows = int.MaxValue, int batch = 16)
    {
        int windows = Math.Min(maxWindows, (split.Length - 1) / seqLen);
        if (windows <= 0) throw new ArgumentException($"A split of {split.Length} characters holds no window of {seqLen} + 1.");
        double sum = 0; int done = 0;
        while (done < windows)
        {
            int b = Math.Min(batch, windows - done);
            var x = new int[b * seqLen]; var y = new int[b * seqLen];
            for (int i = 0; i < b; i++)
            {
                Array.Copy(split, (done + i) * seqLen, x, i * seqLen, seqLen);
                Array.Copy(split, (done + i) * seqLen + 1, y, i * seqLen, seqLen);
            }
            sum += model.Loss(x, y, b, seqLen) * b;
            done += b;
        }
        return sum / windows;
    }

    /// <summary>data/: REPRODUCE_DATA_DIR, else the first ancestor of the working directory or of this
    /// assembly that has data/moby-dick-subset.</summary>
    public static string DataDirectory()
    {
        if (Environment.GetEnvironmentVariable("REPRODUCE_DATA_DIR") is { Length: > 0 } env) return env;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "data", "moby-dick-subset"))) return Path.Combine(dir.FullName, "data");
        throw new DirectoryNotFoundException("data/moby-dick-subset was not found above the working directory or the library. Run from inside the repository or set REPRODUCE_DATA_DIR to its data/ folder.");
    }
}
