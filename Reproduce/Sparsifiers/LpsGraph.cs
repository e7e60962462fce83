using System.Globalization;

namespace Reproduce.Sparsifiers;

/// <summary>Lubotzky–Phillips–Sarnak Ramanujan graphs X^{p,q} (brief §2.4), the explicit expanders behind
/// the deterministic universal sparsifier of Bhattacharjee et al. (arXiv 2305.05826, §1): for distinct
/// primes p, q ≡ 1 (mod 4) with Legendre symbol (p/q) = +1, the Cayley graph of PSL(2, F_q) with the p + 1
/// generators [[a0 + ιa1, a2 + ιa3], [−a2 + ιa3, a0 − ιa1]] (a0² + a1² + a2² + a3² = p, a0 &gt; 0 odd, a1..a3
/// even, ι² ≡ −1) is (p + 1)-regular, non-bipartite, on q(q² − 1)/2 vertices, with every nontrivial
/// eigenvalue |λ| ≤ 2√p. When (p/q) = −1 the graph lives on PGL(2, F_q), has q(q² − 1) vertices and is
/// bipartite (eigenvalue −(p + 1)), so ‖𝟏 − S‖₂ = n and it certifies nothing: rejected unless asked for.</summary>
public static class LpsGraph
{
    /// <summary>Vertex count q(q² − 1)/2 of the non-bipartite graph.</summary>
    public static int VertexCount(int q) => checked(q * (q * q - 1) / 2);

    /// <summary>True when (p/q) = −1 (bipartite PGL case). Validates p and q first.</summary>
    public static bool IsBipartitePair(int p, int q)
    {
        ValidatePrimes(p, q);
        return NumberTheory.Legendre(p, q) == -1;
    }

    /// <summary>Throws unless p, q are distinct primes ≡ 1 (mod 4).</summary>
    public static void ValidatePrimes(int p, int q)
    {
        if (!NumberTheory.IsPrime(p) || p % 4 != 1)
            throw new ArgumentOutOfRangeException(nameof(p), p, "LPS needs p prime with p ≡ 1 (mod 4), e.g. 5, 13, 17, 29, 37, 41, 53.");
        if (!NumberTheory.IsPrime(q) || q % 4 != 1)
            throw new ArgumentOutOfRangeException(nameof(q), q, "LPS needs q prime with q ≡ 1 (mod 4), e.g. 13, 17, 29, 37, 41, 53, 61.");
        if (p == q) throw new ArgumentException($"LPS needs p ≠ q, got p = q = {p}.", nameof(p));
        if (q > 101) throw new ArgumentOutOfRangeException(nameof(q), q, "q ≤ 101 keeps the vertex count q(q²−1)/2 ≤ 515,150; larger graphs are not supported.");
    }

    /// <summary>The p + 1 quaternion solutions (a0, a1, a2, a3) of a0² + a1² + a2² + a3² = p with a0 &gt; 0
    /// odd and a1, a2, a3 even (Jacobi: exactly p + 1 of them).</summary>
    public static List<(int A0, int A1, int A2, int A3)> QuaternionSolutions(int p)
    {
        var result = new List<(int, int, int, int)>();
        int r = (int)Math.Sqrt(p);
        for (int a0 = 1; a0 <= r; a0 += 2)
            for (int a1 = -r - (r & 1); a1 <= r; a1 += 2)
                for (int a2 = -r - (r & 1); a2 <= r; a2 += 2)
                    for (int a3 = -r - (r & 1); a3 <= r; a3 += 2)
                        if (a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 == p) result.Add((a0, a1, a2, a3));
        return result;
    }

    /// <summary>Builds X^{p,q} by breadth-first search from the identity in PGL(2, F_q) (vertices are
    /// matrices modulo scalars, normalised so the first nonzero entry of the first row is 1), right-
    /// multiplying by the generators. Throws for a bipartite pair ((p/q) = −1) unless
    /// <paramref name="allowBipartite"/> is set.</summary>
    public static RegularGraph Build(int p, int q, bool allowBipartite = false)
    {
        ValidatePrimes(p, q);
        if (!allowBipartite && NumberTheory.Legendre(p, q) == -1)
            throw new ArgumentException(
                $"(p/q) = ({p}/{q}) = −1: X^{{{p},{q}}} is bipartite (eigenvalue −{p + 1}), so ‖1 − S‖₂ = n and it certifies nothing. " +
                "Choose p that is a square modulo q (e.g. q = 13: p ∈ {17, 29, 53, 101}), or pass allowBipartite: true.", nameof(p));
        long iota = NumberTheory.SqrtMinusOne(q);
        var gens = QuaternionSolutions(p).Select(s => new[]
        {
            NumberTheory.Mod(s.A0 + iota * s.A1, q), NumberTheory.Mod(s.A2 + iota * s.A3, q),
            NumberTheory.Mod(-s.A2 + iota * s.A3, q), NumberTheory.Mod(s.A0 - iota * s.A1, q),
        }).ToArray();
        if (gens.Length != p + 1)
            throw new InvalidOperationException($"Found {gens.Length} quaternion solutions for p = {p}, expected p + 1 = {p + 1}.");
        int d = p + 1;
        var index = new Dictionary<long, int>();
        var elements = new List<long[]>();
        long[] Normalize(long[] m)
        {
            long lead = m[0] != 0 ? m[0] : m[1];
            long inv = NumberTheory.PowMod(lead, q - 2, q);
            return [m[0] * inv % q, m[1] * inv % q, m[2] * inv % q, m[3] * inv % q];
        }
        long Key(long[] m) => ((m[0] * q + m[1]) * q + m[2]) * q + m[3];
        var identity = new long[] { 1, 0, 0, 1 };
        index[Key(identity)] = 0;
        elements.Add(identity);
        var neighbors = new List<int>();
        for (int v = 0; v < elements.Count; v++)
        {
            var m = elements[v];
            foreach (var g in gens)
            {
                var prod = Normalize(
                [
                    (m[0] * g[0] + m[1] * g[2]) % q, (m[0] * g[1] + m[1] * g[3]) % q,
                    (m[2] * g[0] + m[3] * g[2]) % q, (m[2] * g[1] + m[3] * g[3]) % q,
                ]);
                long key = Key(prod);
                if (!index.TryGetValue(key, out int u))
                {
                    u = elements.Count;
                    index[key] = u;
                    elements.Add(prod);
                }
                neighbors.Add(u);
            }
        }
        string name = string.Create(CultureInfo.InvariantCulture, $"LPS X^{{{p},{q}}}");
        return new RegularGraph(elements.Count, d, neighbors.ToArray(), name);
    }
}
