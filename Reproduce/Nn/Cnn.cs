using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>A small convolutional classifier: for each entry c of <see cref="Channels"/> a block
/// Conv2d(k×k, c channels, padding ⌊k/2⌋ so the size is kept) → ReLU → MaxPool2d(2), then flatten
/// (free: the HWC batch matrix already has one column per image) → Linear → logits, with softmax
/// cross-entropy. Inputs are (H·W·C)×N batch matrices (<see cref="ImageShape"/>). Parameters
/// <c>conv1.weight</c> [c₁, k·k·Cin], <c>conv1.bias</c>, …, <c>fc.weight</c>, <c>fc.bias</c>, initialised
/// as PyTorch's defaults for Conv2d and Linear (uniform ±1/√fan_in, fan_in = k·k·Cin for a convolution).
/// Intermediate device buffers are released as soon as the backward pass no longer needs them, so a
/// GPU step does not wait for the garbage collector to free memory.</summary>
public sealed class Cnn
{
    private readonly Parameter[] _cw, _cb;
    private readonly Parameter _fw, _fb;
    private readonly ImageShape[] _shapes; // input of each conv block, then the flattened input of fc

    /// <summary>A CNN on <paramref name="input"/> images with conv blocks of <paramref name="channels"/>,
    /// <paramref name="classes"/> outputs and k = <paramref name="kernel"/> (odd).</summary>
    public Cnn(ImageShape input, int[] channels, int classes, ulong seed, int kernel = 3, DType dtype = DType.F64, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(channels);
        input.Validate("cnn");
        if (channels.Length == 0 || channels.Any(c => c < 1)) throw new ArgumentException($"CNN channels must list at least one block, all positive; got [{string.Join(", ", channels)}].", nameof(channels));
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "A classifier needs at least 2 classes.");
        if (kernel < 1 || kernel % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "The kernel size must be odd (padding ⌊k/2⌋ then keeps the image size).");
        device ??= Device.Cpu;
        Input = input; Channels = (int[])channels.Clone(); Classes = classes; Kernel = kernel;
        var rng = new Rng(seed).Fork("cnn-init");
        _cw = new Parameter[channels.Length]; _cb = new Parameter[channels.Length];
        _shapes = new ImageShape[channels.Length + 1];
        var s = input;
        for (int l = 0; l < channels.Length; l++)
        {
            _shapes[l] = s;
            int fanIn = kernel * kernel * s.Channels;
            double bound = 1 / Math.Sqrt(fanIn);
            _cw[l] = Parameters.Add(Init.Uniform($"conv{l + 1}.weight", [channels[l], fanIn], bound, rng, dtype, device));
            _cb[l] = Parameters.Add(Init.Uniform($"conv{l + 1}.bias", [channels[l]], bound, rng, dtype, device));
            s = MaxPool2d.OutputShape($"pool{l + 1}", Conv2d.OutputShape($"conv{l + 1}", s, channels[l], kernel, Padding), 2);
        }
        _shapes[^1] = s;
        double fb = 1 / Math.Sqrt(s.Features);
        _fw = Parameters.Add(Init.Uniform("fc.weight", [classes, s.Features], fb, rng, dtype, device));
        _fb = Parameters.Add(Init.Uniform("fc.bias", [classes], fb, rng, dtype, device));
    }

    /// <summary>Image shape of an input column.</summary>
    public ImageShape Input { get; }

    /// <summary>Output channels of each conv block.</summary>
    public int[] Channels { get; }

    /// <summary>Number of classes (logit rows).</summary>
    public int Classes { get; }

    /// <summary>Kernel size k of every convolution.</summary>
    public int Kernel { get; }

    /// <summary>⌊k/2⌋: every convolution keeps its input's height and width.</summary>
    public int Padding => Kernel / 2;

    /// <summary>Named weights and biases.</summary>
    public ParameterSet Parameters { get; } = new();

    /// <summary>"conv(8)–pool–conv(16)–pool–fc(10)".</summary>
    public string Describe() => string.Join("–", Channels.Select(c => $"conv{Kernel}×{Kernel}({c})–ReLU–maxpool2")) + $"–fc({_shapes[^1].Features}→{Classes})";

    /// <summary>Logits (classes×N) for images X ((H·W·C)×N).</summary>
    public Matrix Logits(Matrix x)
    {
        var tape = Forward(x, keep: false);
        return tape.Logits;
    }

    /// <summary>Mean cross-entropy on (X, labels) without gradients.</summary>
    public double Loss(Matrix x, int[] labels)
    {
        using var z = Logits(x);
        var (loss, probs) = SoftmaxCrossEntropy.Forward("cnn.loss", z, labels);
        probs.Dispose();
        return loss;
    }

    /// <summary>Zeroes the gradients, then computes the mean cross-entropy and its gradient into each
    /// parameter's <see cref="Parameter.Grad"/>.</summary>
    public double LossAndGradients(Matrix x, int[] labels)
    {
        Parameters.ZeroGrad();
        var t = Forward(x, keep: true);
        var (loss, probs) = SoftmaxCrossEntropy.Forward("cnn.loss", t.Logits, labels);
        var d = SoftmaxCrossEntropy.Backward(probs, labels);
        probs.Dispose(); t.Logits.Dispose();
        var dx = Linear.Backward("fc", d, t.Flat, _fw, _fb);
        d.Dispose();
        for (int l = _cw.Length - 1; l >= 0; l--)
        {
            var s = _shapes[l];
            var conv = Conv2d.OutputShape($"conv{l + 1}", s, Channels[l], Kernel, Padding);
            var dAct = MaxPool2d.Backward($"pool{l + 1}", dx, t.Act[l], conv, 2);
            dx.Dispose(); t.Act[l].Dispose(); t.Pooled[l].Dispose();
            var dPre = Activation.Backward($"relu{l + 1}", ActivationKind.Relu, dAct, t.Pre[l]);
            dAct.Dispose(); t.Pre[l].Dispose();
            // The first block's input is the data: its gradient is never used, so it is not computed.
            var dIn = Conv2d.Backward($"conv{l + 1}", dPre, t.Cols[l], s, _cw[l], _cb[l], Kernel, Padding, inputGradient: l > 0);
            dPre.Dispose(); t.Cols[l].Dispose();
            if (dIn is null) break;
            dx = dIn;
        }
        return loss;
    }

    private sealed record Tape(Matrix[] Cols, Matrix[] Pre, Matrix[] Act, Matrix[] Pooled, Matrix Flat, Matrix Logits);

    private Tape Forward(Matrix x, bool keep)
    {
        int blocks = _cw.Length;
        var cols = new Matrix[blocks]; var pre = new Matrix[blocks]; var act = new Matrix[blocks]; var pooled = new Matrix[blocks];
        var h = x;
        for (int l = 0; l < blocks; l++)
        {
            var s = _shapes[l];
            (pre[l], cols[l]) = Conv2d.Forward($"conv{l + 1}", h, s, _cw[l], _cb[l], Kernel, Padding);
            act[l] = Activation.Forward(ActivationKind.Relu, pre[l]);
            pooled[l] = MaxPool2d.Forward($"pool{l + 1}", act[l], Conv2d.OutputShape($"conv{l + 1}", s, Channels[l], Kernel, Padding), 2);
            if (!keep)
            {
                cols[l].Dispose(); pre[l].Dispose(); act[l].Dispose();
                if (l > 0) pooled[l - 1].Dispose();
            }
            h = pooled[l];
        }
        var logits = Linear.Forward("fc", h, _fw, _fb);
        if (!keep) h.Dispose();
        return new Tape(cols, pre, act, pooled, h, logits);
    }
}
