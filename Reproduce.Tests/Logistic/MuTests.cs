using Reproduce.Compute;
using Reproduce.Logistic;

namespace Reproduce.Tests.Logistic;

public class MuTests
{
    private static LogisticData Data(int n, int d, ulong seed, double noise = 1) => SyntheticLogistic.Generate(n, d, new Rng(seed), noise);

    private static void Rel(double expected, double actual, double tol, string what)
    {
        double err = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(err <= tol, $"{what}: expected {expected:R}, got {actual:R} (relative error {err:E2} > {tol:E0})");
    }

    [Theory]
    [InlineData(60, 3, 1UL)]
    [InlineData(120, 5, 2UL)]
    [InlineData(200, 8, 3UL)]
    public void AllExactFormsAgree(int n, int d, ulong seed)
    {
        var z = Data(n, d, seed).Z();
        var lad = Mu.Lad(z);
        Assert.False(lad.Separable);
        Assert.True(lad.Value > 1);
        Rel(lad.Value, Mu.LadLp(z).Value, 1e-8, "LAD LP (project IPM)");
        Rel(lad.Value, Mu.BetaFormLp(z).Value, 1e-8, "β-form LP");
        Rel(lad.Value, Mu.DualLp(z).Value, 1e-8, "dual LP");
        Rel(lad.Value, Mu.ProjectorLp(z).Value, 1e-8, "P1 projector LP (C = 1)");
        Rel(lad.Value, Mu.ProjectorLp(z, c: 7.5).Value, 1e-8, "P1 projector LP (C = 7.5)");
        // Certificates bracket the value.
        Assert.True(lad.Lower <= lad.Value * (1 + 1e-12) && lad.Upper >= lad.Value * (1 - 1e-9), $"bracket [{lad.Lower}, {lad.Upper}] vs {lad.Value}");
        Rel(lad.Value, lad.Lower, 1e-8, "LAD lower certificate");
        Rel(lad.Value, lad.Upper, 1e-8, "LAD upper certificate");
    }

    [Theory]
    [InlineData(80, 3, 4UL)]
    [InlineData(300, 10, 5UL)]
    public void IrlsIsACertifiedBracket(int n, int d, ulong seed)
    {
        var z = Data(n, d, seed).Z();
        var exact = Mu.Lad(z).Value;
        var ir = Mu.Irls(z);
        Assert.True(ir.Lower <= exact * (1 + 1e-12), $"IRLS lower {ir.Lower:R} exceeds the LP value {exact:R}");
        Assert.True(ir.Upper >= exact * (1 - 1e-12), $"IRLS upper {ir.Upper:R} below the LP value {exact:R}");
        Rel(exact, ir.Value, 1e-6, $"IRLS value after {ir.Iterations} iterations ({ir.Message})");
        Assert.True(ir.Value <= exact * (1 + 1e-12));
    }

    [Theory]
    [InlineData(9UL)]
    [InlineData(10UL)]
    [InlineData(11UL)]
    public void AngularSweepMatchesForTwoColumns(ulong seed)
    {
        var z = Data(40, 2, seed, noise: 2).Z();
        var lad = Mu.Lad(z);
        var sweep = Mu.AngularSweep(z);
        Rel(lad.Value, sweep.Value, 1e-8, "angular sweep");
        Assert.True(sweep.Value <= lad.Value * (1 + 1e-10));
    }

    [Fact]
    public void InvariantUnderInvertibleColumnTransformsAndRowPermutations()
    {
        var data = Data(150, 6, 21);
        var z = data.Z();
        var mu = Mu.Lad(z).Value;
        var rng = new Rng(7);
        var t = rng.NormalMatrix(6, 6);
        for (int i = 0; i < 6; i++) t[i, i] += 3;
        Rel(mu, Mu.Lad(Ops.MatMul(z, t)).Value, 1e-8, "μ(ZT)");
        var scale = Matrix.Vector([1e-3, 2, 5, 0.1, 1, 1e3]);
        Rel(mu, Mu.Lad(Ops.ScaleColumns(z, scale)).Value, 1e-8, "column scaling");
        var perm = rng.Permutation(150);
        Rel(mu, Mu.Lad(Ops.GatherRows(z, perm)).Value, 1e-8, "row permutation");
    }

    [Fact]
    public void SeparableDataGiveInfinityInEveryForm()
    {
        var z = Data(100, 4, 31, noise: 0).Z();
        Assert.True(Mu.IsSeparable(z));
        var lad = Mu.Lad(z);
        Assert.True(lad.Separable && double.IsPositiveInfinity(lad.Value));
        Assert.True(double.IsPositiveInfinity(Mu.BetaFormLp(z).Value));
        Assert.True(double.IsPositiveInfinity(Mu.DualLp(z).Value));
        Assert.True(double.IsPositiveInfinity(Mu.LadLp(z).Value));
        Assert.True(Mu.Irls(z).Separable);
        // And the converse: noisy data are not separable, and μ is finite.
        var zn = Data(100, 4, 31, noise: 1).Z();
        Assert.False(Mu.IsSeparable(zn));
        Assert.True(double.IsFinite(Mu.Lad(zn).Value));
    }

    [Fact]
    public void BalancedSumsGiveOne()
    {
        var a = new Rng(3).NormalMatrix(30, 4);
        var z = Matrix.Build(60, 4, (i, j) => i < 30 ? a[i, j] : -a[i - 30, j]);
        Assert.True(Mu.HasBalancedSums(z, out _));
        Assert.Equal(1, Mu.Lad(z).Value);
        Assert.Equal(1, Mu.Irls(z).Value);
        Rel(1, Mu.BetaFormLp(z).Value, 1e-8, "β-form on [A; −A]");
        Rel(1, Mu.DualLp(z).Value, 1e-8, "dual on [A; −A]");
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(0.25)]
    public void ControlledMuForStackedScaledBlocks(double c)
    {
        // A has a nonnegative direction (first column positive) so μ([A; −cA]) = max(c, 1/c).
        var rng = new Rng(17);
        var a = Matrix.Build(25, 3, (i, j) => j == 0 ? 0.5 + rng.Uniform() : rng.Normal());
        var z = Matrix.Build(50, 3, (i, j) => i < 25 ? a[i, j] : -c * a[i - 25, j]);
        Rel(Math.Max(c, 1 / c), Mu.Lad(z).Value, 1e-8, "LAD");
        Rel(Math.Max(c, 1 / c), Mu.Irls(z).Value, 1e-6, "IRLS");
    }

    [Fact]
    public void BadInputIsRejectedWithNamedArguments()
    {
        var x = new Rng(1).NormalMatrix(10, 3);
        var y = Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 1.0 : -1.0).ToArray();
        var e1 = Assert.Throws<ArgumentException>(() => LogisticData.Create(x, y.Select(v => v == 1 ? 1.0 : 0.0).ToArray()));
        Assert.Contains("FromLabels", e1.Message);
        var xn = x.Copy(); xn[2, 1] = double.NaN;
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => LogisticData.Create(xn, y)).Message);
        var xz = x.Copy(); for (int i = 0; i < 10; i++) xz[i, 2] = 0;
        Assert.Contains("all zeros", Assert.Throws<ArgumentException>(() => LogisticData.Create(xz, y)).Message);
        var xc = x.Copy(); for (int i = 0; i < 10; i++) { xc[i, 1] = 1; xc[i, 2] = 2; }
        Assert.Contains("collinear", Assert.Throws<ArgumentException>(() => LogisticData.Create(xc, y)).Message);
        Assert.Contains("n ≥ d", Assert.Throws<ArgumentException>(() => LogisticData.Create(new Rng(1).NormalMatrix(2, 3), [1.0, -1.0])).Message);
        var labels = y.Select(v => v == 1 ? "yes" : "no").ToArray();
        var ok = LogisticData.FromLabels(x, labels, "yes");
        Assert.Equal(y, ok.Y);
        Assert.Contains("exactly two", Assert.Throws<ArgumentException>(() => LogisticData.FromLabels(x, labels.Select((l, i) => i == 0 ? "maybe" : l).ToArray())).Message);
    }
}
