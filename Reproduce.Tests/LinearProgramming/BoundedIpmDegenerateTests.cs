using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>The default method on LPs that are primal and dual degenerate and whose optimal x spans ten orders of
/// magnitude, the situation in which pilot87 stalled: min cᵀx s.t. Ax = b, x ≥ 0 with an optimal pair (x*, y*) built
/// in. A support S of m + k columns gets reduced cost 0 (c_S = A_Sᵀy*), every other column a reduced cost ≥ 0, and
/// x* is positive on a random part of S only, with magnitudes 10^U(lo, hi); b = A x*. Then x* is feasible and
/// complementary to the dual feasible (y*, c − Aᵀy*), so the optimum is cᵀx* = bᵀy* (an oracle in closed form, exact
/// up to the rounding of c and b). The optimal face has dimension about k, and the zeros in x*_S make its vertices
/// primal degenerate.
/// <para>Before the primal regularization's floor was bounded by the dual residual it leaves, half of these ended
/// NumericalTrouble or IterationLimit: ρ = 1e-12 set Θ of the basic columns (z/x far below ρ), so the dual residual
/// stalled at ρ·|Δx| and the gap at xᵀr_d.</para></summary>
public class BoundedIpmDegenerateTests
{
    [Fact]
    public void SolvesDegenerateLpsWithWideRangeSolutions()
    {
        for (int t = 0; t < 16; t++)
        {
            var (m, n, k, lo, hi, zeroFraction) = t % 2 == 0 ? (40, 120, 30, -3.0, 7.0, 0.5) : (60, 150, 40, -2.0, 8.0, 0.6);
            var (p, optimum) = Build(new Rng(18).Fork(t), m, n, k, lo, hi, zeroFraction);
            var r = BoundedIpm.Solve(p);
            Assert.True(r.Status == LpStatus.Optimal, $"problem {t}: optimum {optimum:R} by construction, but the IPM says {r.Status}: {r.Message}");
            // 1e-6 relative: the agreement the Netlib tests ask of CLP's optimum (issue 18).
            Assert.True(Math.Abs(r.Objective - optimum) <= 1e-6 * Math.Max(1, Math.Abs(optimum)), $"problem {t}: IPM {r.Objective:R} vs bᵀy* = {optimum:R}");
        }
    }

    /// <summary>One LP as described on the class, and its optimal value bᵀy*.</summary>
    internal static (LpProblem Problem, double Optimum) Build(Rng rng, int m, int n, int k, double lo, double hi, double zeroFraction)
    {
        var a = new double[m, n];
        var trip = new List<(int, int, double)>();
        int perColumn = Math.Max(2, (int)(0.15 * m));
        for (int j = 0; j < n; j++)
            foreach (int i in rng.SampleWithoutReplacement(m, perColumn))
            {
                a[i, j] = rng.Uniform(-1, 1) * Math.Pow(10, rng.Uniform(-1, 1));
                trip.Add((i, j, a[i, j]));
            }
        var y = new double[m];
        for (int i = 0; i < m; i++) y[i] = rng.Uniform(-1, 1);
        var support = new HashSet<int>(rng.SampleWithoutReplacement(n, m + k));
        var c = new double[n]; var x = new double[n];
        for (int j = 0; j < n; j++)
        {
            double aty = 0;
            for (int i = 0; i < m; i++) aty += a[i, j] * y[i];
            if (support.Contains(j))
            {
                c[j] = aty;
                x[j] = rng.Uniform() < zeroFraction ? 0 : Math.Pow(10, rng.Uniform(lo, hi));
            }
            else c[j] = aty + Math.Pow(rng.Uniform(), 3); // reduced costs ≥ 0, many of them nearly 0
        }
        var b = new double[m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) b[i] += a[i, j] * x[j];
        double optimum = 0;
        for (int i = 0; i < m; i++) optimum += b[i] * y[i];
        var ub = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        return (new LpProblem(c, SparseMatrix.FromTriplets(m, n, trip), b, (double[])b.Clone(), new double[n], ub, "degenerate"), optimum);
    }
}
