using Reproduce.Compute;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Compute;

/// <summary>OpenBlasCpuBackend.FactorPanel (dpotrf + dtrsm on a supernode's panel, used by the LP normal-equations
/// factorization) against the definition: L11 L11ᵀ = A11 and L21 L11ᵀ = A21, computed by plain loops.</summary>
public class OpenBlasFactorPanelTests
{
    /// <summary>A = B Bᵀ + I (symmetric positive definite, condition number ≲ 1e4 for these sizes): the products
    /// reproduce A to ~κ·1e-16 relative to its largest entry; 1e-11 leaves margin.</summary>
    [RequiresTheory(Part.OpenBlas)]
    [InlineData(1, 64, 64)]
    [InlineData(2, 150, 70)]
    public void PanelFactorReproducesTheMatrix(int seed, int nr, int nc)
    {
        var rng = new Rng((ulong)seed);
        var b = new double[nr, nc + 5];
        for (int i = 0; i < nr; i++) for (int k = 0; k < nc + 5; k++) b[i, k] = rng.Normal();
        var full = new double[nr, nr];
        for (int i = 0; i < nr; i++)
            for (int j = 0; j < nr; j++)
            {
                double s = i == j ? 1 : 0;
                for (int k = 0; k < nc + 5; k++) s += b[i, k] * b[j, k];
                full[i, j] = s;
            }
        // The panel: columns 0..nc−1 of the lower part, column-major with leading dimension nr, offset 3.
        var a = new double[3 + nr * nc];
        for (int j = 0; j < nc; j++) for (int i = 0; i < nr; i++) a[3 + j * nr + i] = full[i, j];
        Assert.Equal(0, OpenBlasCpuBackend.FactorPanel(a, 3, nr, nc));
        double L(int i, int j) => i < j ? 0 : a[3 + j * nr + i];
        double max = 0; for (int i = 0; i < nr; i++) for (int j = 0; j < nc; j++) max = Math.Max(max, Math.Abs(full[i, j]));
        for (int i = 0; i < nr; i++)
            for (int j = 0; j < nc && j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k <= j; k++) s += L(i, k) * L(j, k);
                Assert.True(Math.Abs(s - full[i, j]) <= 1e-11 * max, $"({i}, {j}): {s} vs {full[i, j]}");
            }
    }

    [RequiresFact(Part.OpenBlas)]
    public void IndefinitePanelReportsThePivot()
    {
        // diag(1, −1, 1, …): the second leading minor is negative.
        int n = 4;
        var a = new double[n * n];
        for (int i = 0; i < n; i++) a[i * n + i] = i == 1 ? -1 : 1;
        Assert.Equal(2, OpenBlasCpuBackend.FactorPanel(a, 0, n, n));
    }

    [RequiresFact(Part.OpenBlas)]
    public void PanelOutsideTheArrayIsAnError()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => OpenBlasCpuBackend.FactorPanel(new double[10], 0, 4, 3));
        Assert.Contains("does not fit", e.Message);
    }
}
