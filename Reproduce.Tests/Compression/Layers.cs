using Reproduce.Compression;
using Reproduce.Compute;

namespace Reproduce.Tests.Compression;

/// <summary>Seeded synthetic layers for the oracle tests (the brief's AR(1) inputs with outlier channels).</summary>
internal static class Layers
{
    public static LayerProblem Random(int seed, int dOut = 16, int dIn = 32, int rows = 128) =>
        SyntheticLayer.Create(dOut, dIn, rows, new Rng((ulong)seed));

    public static double[] Arr(Matrix m) => m.ToArray();

    public static int Nonzeros(Matrix m) => m.ToArray().Count(v => v != 0);
}
