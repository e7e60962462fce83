using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

public class ChebyshevClosedFormTests
{
    /// <summary>Chebyshev iteration from z₀ = 0 on B with spectrum in [λmin, λmax] leaves the residual
    /// r_j = T_j((θ − B)/δ) / T_j(θ/δ) · g, θ = (λmax + λmin)/2, δ = (λmax − λmin)/2 (the scaled Chebyshev polynomial is
    /// the iteration's residual polynomial). For diagonal B this is a closed form per coordinate, evaluated here with
    /// T_j(t) = cos(j·acos t) on [−1, 1] and cosh(j·acosh t) above 1. The residual is also bounded by the classical
    /// 2((√κ − 1)/(√κ + 1))^j‖g‖. Tolerance 1e-9 relative to ‖g‖: the recurrence is backward stable at j ≤ 20.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(20)]
    public void ResidualIsTheScaledChebyshevPolynomial(int steps)
    {
        const int n = 40; const double lmin = 0.5, lmax = 50;
        var lambda = new double[n]; var g = new double[n];
        for (int i = 0; i < n; i++) { lambda[i] = lmin + (lmax - lmin) * i / (n - 1.0); g[i] = Math.Cos(3 * i) + 1.5; }
        double[] B(double[] v) { var r = new double[n]; for (int i = 0; i < n; i++) r[i] = lambda[i] * v[i]; return r; }

        var res = ChebyshevIteration.Solve(B, g, lmin, lmax, 0, 100, fixedIterations: steps);
        Assert.Equal(steps, res.Iterations);
        double theta = (lmax + lmin) / 2, delta = (lmax - lmin) / 2, gn = Norm(g);
        double denom = T(steps, theta / delta);
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            r[i] = g[i] - lambda[i] * res.X[i];
            double expected = T(steps, (theta - lambda[i]) / delta) / denom * g[i];
            Assert.True(Math.Abs(r[i] - expected) <= 1e-9 * gn, $"step {steps}, coordinate {i}: residual {r[i]:G10}, closed form {expected:G10}");
        }
        double sk = Math.Sqrt(lmax / lmin);
        Assert.True(Norm(r) <= 2 * Math.Pow((sk - 1) / (sk + 1), steps) * gn * (1 + 1e-9), "classical Chebyshev bound");
    }

    private static double T(int j, double t) => Math.Abs(t) <= 1 ? Math.Cos(j * Math.Acos(t))
        : t > 1 ? Math.Cosh(j * Math.Acosh(t)) : (j % 2 == 0 ? 1 : -1) * Math.Cosh(j * Math.Acosh(-t));

    private static double Norm(double[] a) { double s = 0; foreach (var v in a) s += v * v; return Math.Sqrt(s); }
}
