using Reproduce.Compute;
using Reproduce.Sparsifiers;

namespace Reproduce.Tests.Sparsifiers;

/// <summary>The uniform baseline keeps each of the N = n(n − 1)/2 pairs i &lt; j independently with probability p = d/n,
/// so the number K of kept pairs is Binomial(N, p) and the stored entries are exactly 2K (both triangles, no
/// duplicates, no diagonal).</summary>
public class BernoulliSamplingCountTests
{
    [Fact]
    public void KeptPairCountLiesInTheHoeffdingBandOfBinomialNP()
    {
        const int n = 200;
        const double d = 10;
        const int seeds = 5;
        const double falseAlarmPerSeed = 1e-6;
        long pairs = (long)n * (n - 1) / 2;
        double p = d / n;
        // Hoeffding: P(|K − Np| ≥ t) ≤ 2·exp(−2t²/N); t below makes that 1e-6 per seed (5e-6 over the seeds), with no
        // normal approximation. Here t ≈ 380 against the mean Np = 995, so a sampler keeping pairs with probability 2p
        // (mean 1990) or p/2 (mean 497.5) falls outside.
        double t = Math.Sqrt(pairs * Math.Log(2 / falseAlarmPerSeed) / 2);
        double mean = pairs * p;
        for (ulong seed = 1; seed <= seeds; seed++)
        {
            var s = SamplingMatrix.Bernoulli(n, d, new Rng(seed));
            Assert.True(s.Nnz % 2 == 0, $"seed {seed}: {s.Nnz} stored entries, but a symmetric pattern without diagonal has an even count");
            int kept = s.Nnz / 2;
            Assert.True(Math.Abs(kept - mean) < t,
                $"seed {seed}: kept {kept} pairs of {pairs}; Binomial(N, p = {p}) has mean {mean} and lies within ±{t:F1} with probability ≥ 1 − {falseAlarmPerSeed}");
        }
    }
}
