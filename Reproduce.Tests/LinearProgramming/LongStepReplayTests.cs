using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>One step of the infeasible long-step method (Algorithm 3) replayed independently: the Newton direction from the
/// full (2n + m)-dimensional KKT system by dense Gaussian elimination (not the solver's normal equations), α̃ = the largest
/// α ≤ min(1, 0.9999·α_max) keeping N(γ) and ‖r(α)‖/‖r⁰‖ ≤ μ(α)/μ⁰ found by a fine scan and bisection, and
/// ᾱ = argmin over [0, α̃] of μ(α) = (x + αΔx)ᵀ(s + αΔs)/n from the quadratic's coefficients. The solver's first logged
/// step length and μ must equal the replay's.</summary>
public class LongStepReplayTests
{
    [Fact]
    public void FirstInfeasibleLongStepIsTheMinimiserOfMuOverTheAdmissibleSteps()
    {
        const int m = 3, n = 8;
        // With exact directions xᵀΔs + sᵀΔx = n(σ − 1)μ, and in every case tried (centred and uncentred starts, residuals
        // of scale 1 and 100) the minimiser of μ(α) lay beyond α̃, so ᾱ = α̃ here: the test checks α̃ (N(γ) and the residual
        // condition) and μ(ᾱ), not the interior branch (which only inexact directions reach).
        foreach (double residualScale in new[] { 1.0, 100.0 })
        foreach (double sigma in new[] { 0.1, 0.5, 0.9 })
            foreach (double gamma in new[] { 0.1, 0.5, 0.9 })
                for (ulong seed = 1; seed <= 4; seed++)
                {
                    var rng = new Rng(seed);
                    var a = new double[m * n];
                    rng.FillNormal(a);
                    var b = new double[m]; var c = new double[n];
                    rng.FillNormal(b); rng.FillNormal(c);
                    for (int i = 0; i < m; i++) b[i] *= residualScale;
                    for (int j = 0; j < n; j++) c[j] *= residualScale;
                    // A perfectly centred (x_j s_j = 1), infeasible start: it lies in N(γ) for every γ.
                    var x = new double[n]; var s = new double[n]; var y = new double[m];
                    for (int j = 0; j < n; j++) { x[j] = Math.Exp(rng.Normal()); s[j] = 1 / x[j]; }
                    var lp = new StandardFormLp(new ConstraintMatrix(Matrix.FromColumnMajor(m, n, a)), b, c, 0, "replay");
                    var log = new List<IpmIteration>();
                    InteriorPointSolver.Solve(lp, new IpmOptions
                    {
                        Method = IpmMethod.LongStepInfeasible, Solver = NormalSolverKind.Cholesky, Sigma = sigma, Gamma = gamma,
                        Start = StartPointKind.Given, InitialPoint = (x, y, s), MaxIterations = 1, Progress = log.Add,
                    });
                    var (expected, muExpected) = ReplayStep(a, b, c, x, y, s, m, n, sigma, gamma);
                    Assert.Single(log);
                    string where = $"scale {residualScale}, σ = {sigma}, γ = {gamma}, seed {seed}";
                    // Tolerances: the solver's direction (Cholesky of A D² Aᵀ) and the replay's (pivoted elimination of the
                    // KKT system) agree to about κ·ε ≈ 1e-12 here; its α̃ search brackets the boundary to 0.1·2⁻³⁰ ≈ 1e-10.
                    Assert.True(Math.Abs(log[0].StepPrimal - expected) <= 1e-7 * Math.Max(expected, 1e-3), $"{where}: step {log[0].StepPrimal:R}, replay {expected:R}");
                    Assert.True(Math.Abs(log[0].Mu - muExpected) <= 1e-7 * muExpected, $"{where}: μ {log[0].Mu:R}, replay {muExpected:R}");
                }
    }

    private static (double Alpha, double Mu) ReplayStep(double[] a, double[] b, double[] c, double[] x, double[] y, double[] s,
        int m, int n, double sigma, double gamma)
    {
        double A(int i, int j) => a[i + j * m];
        double mu0 = Enumerable.Range(0, n).Sum(j => x[j] * s[j]) / n;
        var rp = new double[m]; var rd = new double[n];
        for (int i = 0; i < m; i++) { rp[i] = b[i]; for (int j = 0; j < n; j++) rp[i] -= A(i, j) * x[j]; }
        for (int j = 0; j < n; j++) { rd[j] = c[j] - s[j]; for (int i = 0; i < m; i++) rd[j] -= A(i, j) * y[i]; }
        // Unknowns (Δx, Δy, Δs): AΔx = r_p; AᵀΔy + Δs = r_d; SΔx + XΔs = σμ1 − XS.
        int k = 2 * n + m;
        var kkt = new double[k, k + 1];
        for (int i = 0; i < m; i++) { for (int j = 0; j < n; j++) kkt[i, j] = A(i, j); kkt[i, k] = rp[i]; }
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++) kkt[m + j, n + i] = A(i, j);
            kkt[m + j, n + m + j] = 1; kkt[m + j, k] = rd[j];
            kkt[m + n + j, j] = s[j]; kkt[m + n + j, n + m + j] = x[j]; kkt[m + n + j, k] = sigma * mu0 - x[j] * s[j];
        }
        var sol = GaussianElimination(kkt, k);
        var dx = sol[..n]; var ds = sol[(n + m)..];
        double MuAt(double al) => Enumerable.Range(0, n).Sum(j => (x[j] + al * dx[j]) * (s[j] + al * ds[j])) / n;
        bool Ok(double al)
        {
            double mua = MuAt(al);
            for (int j = 0; j < n; j++) if ((x[j] + al * dx[j]) * (s[j] + al * ds[j]) < (1 - gamma) * mua) return false;
            // Exact direction: r(α) = (1 − α) r⁰. The solver accepts the condition with a relative slack of 1e-9 against
            // rounding (near a shallow crossing that moves α̃ by 1e-9/|slope|, more than the tolerance below); so does the replay.
            return (1 - al) <= mua / mu0 * (1 + 1e-9);
        }
        double amax = 1;
        for (int j = 0; j < n; j++) { if (dx[j] < 0) amax = Math.Min(amax, -x[j] / dx[j]); if (ds[j] < 0) amax = Math.Min(amax, -s[j] / ds[j]); }
        amax = Math.Min(1, 0.9999 * amax);
        double at = amax;
        const int grid = 20000;
        for (int g = 1; g <= grid; g++)
        {
            double al = amax * g / grid;
            if (Ok(al)) continue;
            double lo = amax * (g - 1) / grid, hi = al;
            for (int it = 0; it < 80; it++) { double mid = 0.5 * (lo + hi); if (Ok(mid)) lo = mid; else hi = mid; }
            at = lo;
            break;
        }
        double q1 = 0, q2 = 0;
        for (int j = 0; j < n; j++) { q1 += x[j] * ds[j] + s[j] * dx[j]; q2 += dx[j] * ds[j]; }
        double ab;
        if (q2 > 0) ab = Math.Clamp(-q1 / (2 * q2), 0, at);
        else ab = at * q1 + at * at * q2 < 0 ? at : 0;
        return (ab, MuAt(ab));
    }

    private static double[] GaussianElimination(double[,] aug, int k)
    {
        for (int col = 0; col < k; col++)
        {
            int piv = col;
            for (int r = col + 1; r < k; r++) if (Math.Abs(aug[r, col]) > Math.Abs(aug[piv, col])) piv = r;
            for (int q = 0; q <= k; q++) (aug[col, q], aug[piv, q]) = (aug[piv, q], aug[col, q]);
            for (int r = col + 1; r < k; r++)
            {
                double f = aug[r, col] / aug[col, col];
                for (int q = col; q <= k; q++) aug[r, q] -= f * aug[col, q];
            }
        }
        var z = new double[k];
        for (int r = k - 1; r >= 0; r--)
        {
            double t = aug[r, k];
            for (int q = r + 1; q < k; q++) t -= aug[r, q] * z[q];
            z[r] = t / aug[r, r];
        }
        return z;
    }
}
