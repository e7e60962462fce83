using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>The mean softmax cross-entropy of an <see cref="Mlp"/> on a labelled data set, as a
/// function of the MLP's flat parameter vector (layout of <see cref="ParameterSet.GetFlat"/>:
/// fc1.weight, fc1.bias, fc2.weight, …). Gradients of ReLU MLPs come from a flat-array kernel with
/// reused buffers (<see cref="MlpMsamKernel"/>, which also computes mSAM's fused direction); other
/// activations, and <see cref="EngineLossAndGradient"/> always, use the engine's backward pass
/// (<see cref="Mlp.LossAndGradients"/>), so the two check each other. Exact Hessian–vector products
/// come from the R-operator (<see cref="MlpHessianVectorProduct"/>), a third hand-written pass.
/// The engine path writes w into the MLP's parameters; the kernel leaves them alone. CPU float64;
/// not thread-safe (one objective per training run).</summary>
public sealed class MlpObjective : IClassifierObjective
{
    private readonly Matrix _x;
    private readonly int[] _labels;

    /// <summary>The objective of <paramref name="mlp"/> on inputs <paramref name="x"/> (features×N,
    /// one column per example) with class labels <paramref name="labels"/>.</summary>
    public MlpObjective(Mlp mlp, Matrix x, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        if (x.Cols == 0 || labels.Length == 0) throw new ArgumentException("The training data is empty; pass at least one example.", nameof(x));
        if (x.Rows != mlp.Sizes[0]) throw new ArgumentException($"Inputs have {x.Rows} features per column but the MLP's input width is {mlp.Sizes[0]} (pass features×examples).", nameof(x));
        if (labels.Length != x.Cols) throw new ArgumentException($"There are {x.Cols} input columns but {labels.Length} labels.", nameof(labels));
        if (x.Device.Kind != DeviceKind.Cpu || x.DType != DType.F64) throw new ArgumentException($"MlpObjective runs on CPU float64; the inputs are {x.ShapeText} on {x.Device.Name}.", nameof(x));
        int classes = mlp.Sizes[^1];
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classes) throw new ArgumentOutOfRangeException(nameof(labels), $"Label {labels[i]} at example {i} is outside the MLP's {classes} classes.");
        Mlp = mlp;
        _x = x;
        _labels = labels;
        Kernel = mlp.Activation == ActivationKind.Relu ? new MlpMsamKernel(mlp, x, labels) : null;
    }

    /// <summary>The flat-array kernel (ReLU MLPs only; null otherwise).</summary>
    internal MlpMsamKernel? Kernel { get; }

    /// <summary>The objective on a <see cref="LabeledDataset"/> (rows are examples; transposed here).</summary>
    public static MlpObjective FromDataset(Mlp mlp, LabeledDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new MlpObjective(mlp, Ops.Transpose(data.Points), data.Labels);
    }

    /// <summary>The model whose parameters w is written into.</summary>
    public Mlp Mlp { get; }

    /// <inheritdoc />
    public ParameterSet Parameters => Mlp.Parameters;

    /// <inheritdoc />
    public double Accuracy(double[] w, Matrix x, int[] labels) => ClassifierTraining.Accuracy(Mlp, w, x, labels);

    /// <summary>Inputs, features×N.</summary>
    public Matrix Inputs => _x;

    /// <summary>Class labels.</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <inheritdoc />
    public int ParameterCount => (int)Mlp.Parameters.ScalarCount;

    /// <inheritdoc />
    public int ExampleCount => _x.Cols;

    /// <summary>The columns of the inputs and the labels of <paramref name="examples"/>.</summary>
    public (Matrix X, int[] Labels) Gather(ReadOnlySpan<int> examples)
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

    /// <inheritdoc />
    public double LossAndGradient(ReadOnlySpan<double> w, ReadOnlySpan<int> examples, Span<double> gradient)
    {
        if (Kernel is null) return EngineLossAndGradient(w, examples, gradient);
        if (gradient.Length != ParameterCount) throw new ArgumentException($"The gradient buffer has {gradient.Length} entries; the MLP has {ParameterCount}.", nameof(gradient));
        return Kernel.LossAndGradient(w, examples, gradient);
    }

    /// <summary>As <see cref="LossAndGradient"/>, always through the engine's forward and backward
    /// pass (the independent reference for the kernel).</summary>
    public double EngineLossAndGradient(ReadOnlySpan<double> w, ReadOnlySpan<int> examples, Span<double> gradient)
    {
        if (gradient.Length != ParameterCount) throw new ArgumentException($"The gradient buffer has {gradient.Length} entries; the MLP has {ParameterCount}.", nameof(gradient));
        var (xb, yb) = Gather(examples);
        SetWeights(w);
        double loss = Mlp.LossAndGradients(xb, yb);
        int o = 0;
        foreach (var p in Mlp.Parameters.All)
        {
            // CPU float64 parameters (checked in SetWeights): copy spans, no per-call allocation, since
            // mSAM calls this 2m times per step and the parameter vector dominates small micro-batches.
            var src = p.Grad.Span;
            src.CopyTo(gradient.Slice(o, src.Length));
            o += src.Length;
        }
        return loss;
    }

    /// <summary>Mean loss at w on <paramref name="examples"/> (no gradient).</summary>
    public double Loss(ReadOnlySpan<double> w, ReadOnlySpan<int> examples)
    {
        if (Kernel is not null) return Kernel.Loss(w, examples);
        var (xb, yb) = Gather(examples);
        SetWeights(w);
        return Mlp.Loss(xb, yb);
    }

    /// <summary>Writes w into the MLP's parameters (same layout as <see cref="ParameterSet.SetFlat"/>).</summary>
    private void SetWeights(ReadOnlySpan<double> w)
    {
        if (w.Length != ParameterCount) throw new ArgumentException($"w has {w.Length} entries but the MLP has {ParameterCount} parameters.", nameof(w));
        int o = 0;
        foreach (var p in Mlp.Parameters.All)
        {
            if (p.Value.Device.Kind != DeviceKind.Cpu || p.Value.DType != DType.F64)
                throw new InvalidOperationException($"MlpObjective needs the MLP on CPU float64; '{p.Name}' is {p.Value.ShapeText} on {p.Value.Device.Name}.");
            var dst = p.Value.Span;
            w.Slice(o, dst.Length).CopyTo(dst);
            o += dst.Length;
        }
    }

    /// <summary>Every example index 0..N−1.</summary>
    public int[] AllExamples() => Enumerable.Range(0, ExampleCount).ToArray();
}
