namespace Reproduce.Sparsifiers;

/// <summary>The non-PSD adversary for a fixed sampling pattern (brief §3, U3): A = 𝟏 − 2·[S ≠ 0], i.e. −1 on
/// the sampled positions and +1 elsewhere, so A∘S = −S and the error ‖A − A∘S‖₂ ≥ 2n − 2d stays of order n
/// for every degree: no fixed sparse pattern works for all bounded non-PSD matrices at the PSD rate.</summary>
public sealed class AdversarialMatrix : SymmetricTestMatrix
{
    private readonly SamplingMatrix _s;

    /// <summary>The adversary against <paramref name="s"/>.</summary>
    public AdversarialMatrix(SamplingMatrix s)
    {
        ArgumentNullException.ThrowIfNull(s);
        _s = s;
    }

    /// <inheritdoc />
    public override int N => _s.N;
    /// <inheritdoc />
    public override string Name => "adversarial 𝟏 − 2·supp(S)";
    /// <inheritdoc />
    public override bool IsPsd => false;

    /// <inheritdoc />
    public override double Entry(int i, int j)
    {
        var rp = _s.Csr.RowPtr;
        int k = Array.BinarySearch(_s.Csr.ColIdx, rp[i], rp[i + 1] - rp[i], j);
        return k >= 0 ? -1 : 1;
    }

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        double sum = 0;
        foreach (double v in x) sum += v;
        var rp = _s.Csr.RowPtr; var ci = _s.Csr.ColIdx;
        for (int i = 0; i < N; i++)
        {
            double s = 0;
            for (int k = rp[i]; k < rp[i + 1]; k++) s += x[ci[k]];
            y[i] = sum - 2 * s;
        }
    }
}
