using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>The mean softmax cross-entropy of a <see cref="Cnn"/> on a labelled image set, as a function
/// of the CNN's flat parameter vector (layout of <see cref="ParameterSet.GetFlat"/>: conv1.weight,
/// conv1.bias, …, fc.bias), through the engine's forward and backward passes. The model may live on any
/// device: the training images are copied there once, each batch is gathered there, and per call only w
/// goes up and the gradient comes down (a few thousand numbers), so SAM and mSAM, which work on flat
/// float64 vectors, drive a GPU CNN unchanged. Losses and accuracies over many images are evaluated in
/// chunks of <see cref="EvaluationChunk"/> images so that the im2col patches stay small. Not thread-safe
/// (one objective per training run).</summary>
public sealed class CnnObjective : IClassifierObjective
{
    /// <summary>Images per forward pass when evaluating a loss or an accuracy over many images
    /// (im2col of the first layer holds k²·Cin·H·W numbers per image).</summary>
    public const int EvaluationChunk = 1000;

    private readonly Matrix _x;
    private readonly int[] _labels;

    /// <summary>The objective of <paramref name="cnn"/> on images <paramref name="x"/> ((H·W·C)×N on the
    /// CPU, HWC columns) with class labels <paramref name="labels"/>.</summary>
    public CnnObjective(Cnn cnn, Matrix x, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(cnn);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        if (x.Cols == 0 || labels.Length == 0) throw new ArgumentException("The training data is empty; pass at least one image.", nameof(x));
        if (x.Rows != cnn.Input.Features) throw new ArgumentException($"Images have {x.Rows} values per column but the CNN's input {cnn.Input} needs {cnn.Input.Features} (pass (H·W·C)×images).", nameof(x));
        if (labels.Length != x.Cols) throw new ArgumentException($"There are {x.Cols} image columns but {labels.Length} labels.", nameof(labels));
        if (x.Device.Kind != DeviceKind.Cpu) throw new ArgumentException($"Pass the images on the CPU (they are copied to the CNN's device once); they are on {x.Device.Name}.", nameof(x));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)cnn.Classes) throw new ArgumentOutOfRangeException(nameof(labels), $"Label {labels[i]} at image {i} is outside the CNN's {cnn.Classes} classes.");
        var p0 = cnn.Parameters.All[0].Value;
        Cnn = cnn;
        _x = (x.DType == p0.DType ? x : x.AsType(p0.DType)).To(p0.Device);
        _labels = labels;
    }

    /// <summary>The model whose parameters w is written into.</summary>
    public Cnn Cnn { get; }

    /// <inheritdoc />
    public ParameterSet Parameters => Cnn.Parameters;

    /// <inheritdoc />
    public int ParameterCount => (int)Cnn.Parameters.ScalarCount;

    /// <inheritdoc />
    public int ExampleCount => _x.Cols;

    /// <inheritdoc />
    public double LossAndGradient(ReadOnlySpan<double> w, ReadOnlySpan<int> examples, Span<double> gradient)
    {
        if (gradient.Length != ParameterCount) throw new ArgumentException($"The gradient buffer has {gradient.Length} entries; the CNN has {ParameterCount}.", nameof(gradient));
        SetWeights(w);
        var (xb, yb) = Gather(examples);
        double loss;
        using (xb) loss = Cnn.LossAndGradients(xb, yb);
        int o = 0;
        foreach (var p in Cnn.Parameters.All)
        {
            if (p.Grad.Device.Kind == DeviceKind.Cpu && p.Grad.DType == DType.F64) p.Grad.Span.CopyTo(gradient.Slice(o));
            else p.Grad.ToArray().CopyTo(gradient.Slice(o));
            o += (int)p.Count;
        }
        return loss;
    }

    /// <inheritdoc />
    public double Loss(ReadOnlySpan<double> w, ReadOnlySpan<int> examples)
    {
        if (examples.Length == 0) throw new ArgumentException("The example set is empty.", nameof(examples));
        SetWeights(w);
        double total = 0;
        for (int s = 0; s < examples.Length; s += EvaluationChunk)
        {
            var chunk = examples.Slice(s, Math.Min(EvaluationChunk, examples.Length - s));
            var (xb, yb) = Gather(chunk);
            using (xb) total += Cnn.Loss(xb, yb) * chunk.Length;
        }
        return total / examples.Length;
    }

    /// <inheritdoc />
    public double Accuracy(double[] w, Matrix x, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        if (x.Cols == 0 || labels.Length != x.Cols) throw new ArgumentException($"Test data has {x.Cols} columns and {labels.Length} labels; both must be equal and positive.");
        if (x.Rows != Cnn.Input.Features) throw new ArgumentException($"Test images have {x.Rows} values per column; the CNN needs {Cnn.Input.Features}.", nameof(x));
        SetWeights(w);
        var p0 = Cnn.Parameters.All[0].Value;
        int correct = 0;
        for (int s = 0; s < x.Cols; s += EvaluationChunk)
        {
            int len = Math.Min(EvaluationChunk, x.Cols - s);
            using var part = Ops.GatherColumns(x, Enumerable.Range(s, len).ToArray());
            using var typed = part.DType == p0.DType ? part.Copy() : part.AsType(p0.DType);
            var dev = typed.To(p0.Device);
            using var z = Cnn.Logits(dev);
            if (!ReferenceEquals(dev, typed)) dev.Dispose();
            var zh = z.ToArray();
            int c = Cnn.Classes;
            for (int j = 0; j < len; j++)
            {
                int best = 0;
                for (int k = 1; k < c; k++) if (zh[j * c + k] > zh[j * c + best]) best = k;
                if (best == labels[s + j]) correct++;
            }
        }
        return (double)correct / x.Cols;
    }

    /// <summary>The image columns (on the CNN's device) and labels of <paramref name="examples"/>.</summary>
    private (Matrix X, int[] Labels) Gather(ReadOnlySpan<int> examples)
    {
        if (examples.Length == 0) throw new ArgumentException("The example set is empty.", nameof(examples));
        var idx = examples.ToArray();
        var y = new int[idx.Length];
        for (int i = 0; i < idx.Length; i++)
        {
            if ((uint)idx[i] >= (uint)_labels.Length) throw new ArgumentOutOfRangeException(nameof(examples), $"Example index {idx[i]} is outside 0..{_labels.Length - 1}.");
            y[i] = _labels[idx[i]];
        }
        return (Ops.GatherColumns(_x, idx), y);
    }

    /// <summary>Writes w into the CNN's parameters (CPU float64: span copies; elsewhere one upload per tensor).</summary>
    private void SetWeights(ReadOnlySpan<double> w)
    {
        if (w.Length != ParameterCount) throw new ArgumentException($"w has {w.Length} entries but the CNN has {ParameterCount} parameters.", nameof(w));
        int o = 0;
        foreach (var p in Cnn.Parameters.All)
        {
            int n = (int)p.Count;
            if (p.Value.Device.Kind == DeviceKind.Cpu && p.Value.DType == DType.F64) w.Slice(o, n).CopyTo(p.Value.Span);
            else p.Assign(Matrix.FromColumnMajor(p.Value.Rows, p.Value.Cols, w.Slice(o, n).ToArray()));
            o += n;
        }
    }

    /// <summary>Every image index 0..N−1.</summary>
    public int[] AllExamples() => Enumerable.Range(0, ExampleCount).ToArray();
}
