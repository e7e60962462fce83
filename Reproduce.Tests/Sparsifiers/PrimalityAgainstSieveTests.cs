using Reproduce.Sparsifiers;

namespace Reproduce.Tests.Sparsifiers;

public class PrimalityAgainstSieveTests
{
    /// <summary>Oracle: the sieve of Eratosthenes, an independent method. The range includes every square of an odd prime
    /// below 100 (9, 25, 49, …, 9409), the numbers a trial-division bound of f² &lt; n instead of f² ≤ n gets wrong.</summary>
    [Fact]
    public void IsPrimeAgreesWithSieveBelowTenThousand()
    {
        const int limit = 10_000;
        var composite = new bool[limit];
        composite[0] = composite[1] = true;
        for (int p = 2; p * p < limit; p++)
            if (!composite[p]) for (int q = p * p; q < limit; q += p) composite[q] = true;
        for (int n = 0; n < limit; n++)
            Assert.True(NumberTheory.IsPrime(n) == !composite[n], $"IsPrime({n}) = {NumberTheory.IsPrime(n)} but the sieve says {(composite[n] ? "composite" : "prime")}");
        Assert.False(NumberTheory.IsPrime(-7));
    }
}
