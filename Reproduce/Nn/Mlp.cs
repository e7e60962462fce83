using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>A multilayer perceptron for classification: Linear → activation → … → Linear → logits,
/// with softmax cross-entropy. Inputs are features×batch (one column per example). Parameters are
/// named <c>fc1.weight</c>, <c>fc1.bias</c>, … (PyTorch layout), initialized as PyTorch's
/// <c>nn.Linear</c> (uniform ±1/√fan_in for weights and biases).</summary>
public sealed class Mlp
{
    private readonly Parameter[] _w, _b;

    /// <summary>An MLP with layer widths <paramref name="sizes"/> (input, hidden…, classes), e.g.
    /// [784, 128, 10].</summary>
    public Mlp(int[] sizes, ActivationKind activation, ulong seed, DType dtype = DType.F64, Device? device = null)
    {
        if (sizes.Length < 2 || sizes.Any(s => s <= 0)) throw new ArgumentException($"MLP sizes must list at least an input and an output width, all positive; got [{string.Join(", ", sizes)}].");
        device ??= Device.Cpu;
        Sizes = (int[])sizes.Clone();
        Activation = activation;
        var rng = new Rng(seed).Fork("mlp-init");
        _w = new Parameter[sizes.Length - 1]; _b = new Parameter[sizes.Length - 1];
        for (int l = 0; l < sizes.Length - 1; l++)
        {
            double bound = 1 / Math.Sqrt(sizes[l]);
            _w[l] = Parameters.Add(Init.Uniform($"fc{l + 1}.weight", [sizes[l + 1], sizes[l]], bound, rng, dtype, device));
            _b[l] = Parameters.Add(Init.Uniform($"fc{l + 1}.bias", [sizes[l + 1]], bound, rng, dtype, device));
        }
    }

    /// <summary>Layer widths.</summary>
    public int[] Sizes { get; }

    /// <summary>Hidden nonlinearity.</summary>
    public ActivationKind Activation { get; }

    /// <summary>Named weights and biases.</summary>
    public ParameterSet Parameters { get; } = new();

    /// <summary>Logits (classes×batch) for inputs X (features×batch).</summary>
    public Matrix Logits(Matrix x) => Run(x).Logits;

    /// <summary>Mean cross-entropy on (X, labels) without gradients.</summary>
    public double Loss(Matrix x, int[] labels) => SoftmaxCrossEntropy.Forward("mlp.loss", Logits(x), labels).Loss;

    /// <summary>Zeroes the gradients, then computes the mean cross-entropy and its gradient into each
    /// parameter's <see cref="Parameter.Grad"/>.</summary>
    public double LossAndGradients(Matrix x, int[] labels)
    {
        Parameters.ZeroGrad();
        var (inputs, pre, logits) = Run(x);
        var (loss, probs) = SoftmaxCrossEntropy.Forward("mlp.loss", logits, labels);
        var d = SoftmaxCrossEntropy.Backward(probs, labels);
        for (int l = _w.Length - 1; l >= 0; l--)
        {
            d = Linear.Backward($"fc{l + 1}", d, inputs[l], _w[l], _b[l]);
            if (l > 0) d = Nn.Activation.Backward($"act{l}", Activation, d, pre[l - 1]);
        }
        return loss;
    }

    private (Matrix[] Inputs, Matrix[] Pre, Matrix Logits) Run(Matrix x)
    {
        var inputs = new Matrix[_w.Length]; var pre = new Matrix[_w.Length - 1];
        var h = x;
        for (int l = 0; l < _w.Length; l++)
        {
            inputs[l] = h;
            var z = Linear.Forward($"fc{l + 1}", h, _w[l], _b[l]);
            if (l == _w.Length - 1) return (inputs, pre, z);
            pre[l] = z;
            h = Nn.Activation.Forward(Activation, z);
        }
        throw new InvalidOperationException("unreachable");
    }
}
