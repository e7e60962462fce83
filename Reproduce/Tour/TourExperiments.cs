using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Tour;

/// <summary>The tour notebook's experiment: power-method convergence on a seeded random PSD matrix,
/// checked against the exact top eigenvalue from <see cref="Ops.SymmetricEigen"/>.</summary>
public static class TourExperiments
{
    /// <summary>Ratio λ2/λ1 of the test matrix's spectrum.</summary>
    public const double Gap = 0.8;

    /// <summary>A = Q Λ Qᵀ with Q the orthogonal factor of a Gaussian matrix (Haar-distributed
    /// eigenvectors) and Λ = diag(1, 0.8, then n−2 values evenly spaced from 0.6 down to 0.01).</summary>
    public static (Matrix A, double[] Eigenvalues) RandomPsd(int n, Rng rng, Device? device = null)
    {
        if (n < 3) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 3.");
        var lambda = new double[n];
        lambda[0] = 1;
        lambda[1] = Gap;
        for (int i = 2; i < n; i++) lambda[i] = 0.6 - (0.6 - 0.01) * (i - 2) / Math.Max(1, n - 3);
        var g = rng.NormalMatrix(n, n);
        if (device is not null) g = g.To(device);
        var (q, _) = Ops.Qr(g);
        var ql = Ops.ScaleColumns(q, Matrix.Vector(lambda).To(q.Device));
        var a = Ops.MatMul(ql, q, transB: true);
        return (a, lambda);
    }

    /// <summary>Power-method error per iteration, on a log scale, against the rate (λ2/λ1)^{2k}.</summary>
    [Experiment("tour/power-method", "Power method: Rayleigh-quotient error decays like (λ2/λ1)^(2k)")]
    public static FigureResult PowerMethodConvergence(RunContext ctx)
    {
        int n = ctx.Pick(200, 1000);
        const int iterations = 80;
        var (a, _) = RandomPsd(n, ctx.Rng("matrix"), ctx.Device);
        ctx.Report($"n = {n}: exact eigenvalues");
        var (values, _) = Ops.SymmetricEigen(a);
        var ev = values.ToCpu().ToArray();
        double l1 = ev[^1], l2 = ev[^2];
        var start = ctx.Rng("start").NormalMatrix(n, 1).To(a.Device);
        ctx.Report("power iterations");
        var (r, _) = PowerMethod.Run(a, start, iterations);

        var err = r.Select(v => Math.Abs(l1 - v) / l1).ToArray();
        double predicted = (l2 / l1) * (l2 / l1);
        // Fit log(err_k) = c + k·log(rate) where the asymptotic regime holds and the error is above rounding.
        const int fitFrom = 10;
        int fitTo = Array.FindLastIndex(err, e => e > 1e-12);
        var ks = Enumerable.Range(fitFrom, Math.Max(0, fitTo - fitFrom + 1)).ToArray();
        double rate = ks.Length >= 3 ? Math.Exp(Slope(ks.Select(k => (double)k).ToArray(), ks.Select(k => Math.Log(err[k])).ToArray())) : double.NaN;
        double anchor = err[fitFrom];

        var table = new Table("iteration", "relative_error", "predicted_rate_line");
        var theory = new double[iterations + 1];
        for (int k = 0; k <= iterations; k++)
        {
            theory[k] = anchor * Math.Pow(predicted, k - fitFrom);
            table.Add(k, err[k], theory[k]);
        }
        var iters = Enumerable.Range(0, iterations + 1).Select(k => (double)k).ToArray();
        var fig = new Figure("tour/power-method", $"Power method on a random PSD matrix (n = {n}, λ2/λ1 = {l2 / l1:0.###})");
        fig.Add(new ScatterTrace { Name = "|λ1 − r_k| / λ1 (measured)", X = iters, Y = err.Select(e => Math.Max(e, 1e-17)).ToArray(), Mode = "lines+markers" });
        fig.Add(new ScatterTrace { Name = "(λ2/λ1)^(2k) (theory)", X = iters, Y = theory, Mode = "lines", Dash = "dash" });
        fig.Layout.X().Title = "iteration k";
        fig.Layout.Y().Title = "relative eigenvalue error";
        fig.Layout.Y().Type = AxisType.Log;

        var claims = new[]
        {
            Claim.Near("SymmetricEigen recovers the constructed top eigenvalue λ1 = 1", l1, 1.0, rel: 1e-10),
            Claim.Near("error decays geometrically at rate (λ2/λ1)^2 per iteration", rate, predicted, rel: 0.05),
            Claim.Less("final relative eigenvalue error", err[^1], 1e-8),
        };
        // The textbook statement (Golub & Van Loan §8.2.1) is the rate; the verdict is the rate claim's outcome.
        bool rateHolds = Math.Abs(rate - predicted) <= 0.05 * predicted;
        var verdict = Verdict.Judge(
            $"the Rayleigh-quotient error of the power method decays like (λ2/λ1)^(2k), here {predicted:0.0000} per iteration (Golub & Van Loan, §8.2.1).",
            $"fitted rate {rate:0.0000} per iteration over k = {fitFrom}..{fitTo} ({(rate / predicted - 1) * 100:+0.0;-0.0} % from theory), final error {err[^1]:0.0e+0}.",
            reproduced: rateHolds && err[^1] < 1e-8, partly: rateHolds);
        return new FigureResult(fig, table, claims,
            $"n = {n}, {iterations} iterations, fitted rate {rate:0.0000} per iteration vs (λ2/λ1)^2 = {predicted:0.0000} (fit over k = {fitFrom}..{fitTo}).", verdict);
    }

    private static double Slope(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }
}
