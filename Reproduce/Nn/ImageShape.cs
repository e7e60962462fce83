namespace Reproduce.Nn;

/// <summary>The shape of one image in the convolutional layers: <paramref name="Channels"/> ×
/// <paramref name="Height"/> × <paramref name="Width"/>. A batch of N images is a
/// (Height·Width·Channels)×N matrix, one column per image, each column in HWC order: entry
/// (h·Width + w)·Channels + c is channel c of pixel (h, w), channels fastest. Why HWC rather than
/// PyTorch's CHW: the im2col GEMM of <see cref="Conv2d"/> produces Cout×(H·W·N) with output channels
/// fastest, which read as (H·W·Cout)×N is already the next layer's HWC input, so no transpose is needed
/// between layers. For one channel (Fashion-MNIST) HWC and CHW are the same bytes.</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Channels·Height·Width, the rows of a batch matrix.</summary>
    public int Features => Channels * Height * Width;

    /// <summary>Height·Width.</summary>
    public int Pixels => Height * Width;

    /// <summary>Throws, naming the layer, when a dimension is not positive.</summary>
    internal void Validate(string layer)
    {
        if (Channels < 1 || Height < 1 || Width < 1)
            throw new ArgumentException($"{layer}: image shape {this} must have at least one channel, row and column.");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Channels}×{Height}×{Width} (C×H×W)";
}
