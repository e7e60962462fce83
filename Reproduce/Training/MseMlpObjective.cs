using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>The small MSE model of the coherence figure: a one-hidden-layer tanh network with scalar
/// output f(x; w) = vᵀtanh(Wx + b) + c on examples (xᵢ, yᵢ), loss L_S(w) = (1/|S|) Σ_{i∈S} ½(f(xᵢ; w) − yᵢ)².
/// Flat layout of w: W (h×d, column-major), b (h), v (h), c. Hand-written backprop over flat arrays
/// (float64, CPU). <see cref="Jacobian"/> gives the per-sample output gradients gᵢ = ∇_w f(xᵢ; w), the
/// rows of J: at an interpolating minimum the per-sample Hessians of the loss are gᵢgᵢᵀ (the residual
/// term vanishes), so S = |JJᵀ| is the coherence matrix of the SGD-stability paper (brief §2.4).</summary>
public sealed class MseMlpObjective : IBatchObjective
{
    private readonly double[] _x; // d×n column-major
    private readonly double[] _y;

    /// <summary>Inputs <paramref name="x"/> (d×n, CPU float64, one column per example), targets
    /// <paramref name="y"/>, <paramref name="hidden"/> tanh units.</summary>
    public MseMlpObjective(Matrix x, double[] y, int hidden)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Cols == 0) throw new ArgumentException("The data set is empty; pass at least one example.", nameof(x));
        if (y.Length != x.Cols) throw new ArgumentException($"There are {x.Cols} input columns but {y.Length} targets.", nameof(y));
        if (hidden < 1) throw new ArgumentOutOfRangeException(nameof(hidden), hidden, "The network needs at least one hidden unit.");
        if (x.Device.Kind != DeviceKind.Cpu || x.DType != DType.F64) throw new ArgumentException($"MseMlpObjective runs on CPU float64; the inputs are {x.ShapeText} on {x.Device.Name}.", nameof(x));
        Ops.CheckFinite("MseMlpObjective inputs", x);
        if (y.Any(t => !double.IsFinite(t))) throw new ArgumentException("A target is NaN or infinite.", nameof(y));
        _x = x.ToArray(); _y = (double[])y.Clone();
        Inputs = x.Rows; Hidden = hidden; ExampleCount = x.Cols;
    }

    /// <summary>d, the input width.</summary>
    public int Inputs { get; }

    /// <summary>h, the number of hidden units.</summary>
    public int Hidden { get; }

    /// <inheritdoc />
    public int ExampleCount { get; }

    /// <inheritdoc />
    public int ParameterCount => Hidden * Inputs + 2 * Hidden + 1;

    /// <summary>w drawn as PyTorch's nn.Linear defaults (uniform ±1/√fan_in) from <paramref name="rng"/>.</summary>
    public double[] Initial(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var w = new double[ParameterCount];
        double b1 = 1 / Math.Sqrt(Inputs), b2 = 1 / Math.Sqrt(Hidden);
        int hd = Hidden * Inputs;
        for (int i = 0; i < hd + Hidden; i++) w[i] = rng.Uniform(-b1, b1);
        for (int i = hd + Hidden; i < w.Length; i++) w[i] = rng.Uniform(-b2, b2);
        return w;
    }

    /// <summary>f(xᵢ; w), and the hidden activations into <paramref name="a"/> (length h).</summary>
    private double Output(ReadOnlySpan<double> w, int i, Span<double> a)
    {
        int d = Inputs, h = Hidden, hd = h * d;
        var x = new ReadOnlySpan<double>(_x, i * d, d);
        double f = w[hd + 2 * h];
        for (int k = 0; k < h; k++)
        {
            double z = w[hd + k];
            for (int j = 0; j < d; j++) z += w[j * h + k] * x[j];
            a[k] = Math.Tanh(z);
            f += w[hd + h + k] * a[k];
        }
        return f;
    }

    /// <summary>f(xᵢ; w), the network's output for example <paramref name="i"/>.</summary>
    public double Predict(ReadOnlySpan<double> w, int i)
    {
        Check(w, [i]);
        Span<double> a = stackalloc double[Hidden];
        return Output(w, i, a);
    }

    /// <summary>Adds s·∇_w f(xᵢ; w) to <paramref name="g"/> (a: the hidden activations of example i).</summary>
    private void AddOutputGradient(ReadOnlySpan<double> w, int i, ReadOnlySpan<double> a, double s, Span<double> g)
    {
        int d = Inputs, h = Hidden, hd = h * d;
        var x = new ReadOnlySpan<double>(_x, i * d, d);
        for (int k = 0; k < h; k++)
        {
            double dz = s * w[hd + h + k] * (1 - a[k] * a[k]);
            for (int j = 0; j < d; j++) g[j * h + k] += dz * x[j];
            g[hd + k] += dz;
            g[hd + h + k] += s * a[k];
        }
        g[hd + 2 * h] += s;
    }

    /// <inheritdoc />
    public double LossAndGradient(ReadOnlySpan<double> w, ReadOnlySpan<int> examples, Span<double> gradient)
    {
        Check(w, examples);
        if (gradient.Length != ParameterCount) throw new ArgumentException($"The gradient buffer has {gradient.Length} entries; the model has {ParameterCount}.", nameof(gradient));
        gradient.Clear();
        Span<double> a = stackalloc double[Hidden];
        double loss = 0, inv = 1.0 / examples.Length;
        foreach (int i in examples)
        {
            double r = Output(w, i, a) - _y[i];
            loss += 0.5 * r * r;
            AddOutputGradient(w, i, a, r * inv, gradient);
        }
        return loss * inv;
    }

    /// <summary>Mean loss over <paramref name="examples"/>.</summary>
    public double Loss(ReadOnlySpan<double> w, ReadOnlySpan<int> examples)
    {
        Check(w, examples);
        Span<double> a = stackalloc double[Hidden];
        double loss = 0;
        foreach (int i in examples) { double r = Output(w, i, a) - _y[i]; loss += 0.5 * r * r; }
        return loss / examples.Length;
    }

    /// <summary>J (n×P): row i is gᵢ = ∇_w f(xᵢ; w).</summary>
    public Matrix Jacobian(ReadOnlySpan<double> w)
    {
        if (w.Length != ParameterCount) throw new ArgumentException($"w has {w.Length} entries but the model has {ParameterCount} parameters.", nameof(w));
        int n = ExampleCount, p = ParameterCount;
        var j = Matrix.Zeros(n, p);
        Span<double> a = stackalloc double[Hidden];
        var g = new double[p];
        for (int i = 0; i < n; i++)
        {
            Array.Clear(g);
            Output(w, i, a);
            AddOutputGradient(w, i, a, 1, g);
            for (int k = 0; k < p; k++) j[i, k] = g[k];
        }
        return j;
    }

    private void Check(ReadOnlySpan<double> w, ReadOnlySpan<int> examples)
    {
        if (w.Length != ParameterCount) throw new ArgumentException($"w has {w.Length} entries but the model has {ParameterCount} parameters.", nameof(w));
        if (examples.Length == 0) throw new ArgumentException("The example set is empty.", nameof(examples));
        foreach (int i in examples)
            if ((uint)i >= (uint)ExampleCount) throw new ArgumentOutOfRangeException(nameof(examples), $"Example index {i} is outside 0..{ExampleCount - 1}.");
    }
}
