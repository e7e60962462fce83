using Reproduce.Compute;
using Reproduce.LinearAlgebra;
using static Reproduce.Tests.LinearAlgebra.TestMatrices;

namespace Reproduce.Tests.LinearAlgebra;

public class SketchTests
{
    private static ISketch Make(string kind, int k, int n, Rng rng) => kind switch
    {
        "gaussian" => new GaussianSketch(k, n, rng),
        "rademacher" => new RademacherSketch(k, n, rng),
        "count" => new CountSketch(k, n, rng),
        "sparse" => new SparseSignSketch(k, n, Math.Min(3, k), rng),
        "srht" => new SrhtSketch(k, n, rng),
        _ => throw new ArgumentException(kind),
    };

    public static TheoryData<string> Kinds => new() { "gaussian", "rademacher", "count", "sparse", "srht" };

    [Theory, MemberData(nameof(Kinds))]
    public void ApplyIsLinearAndMatchesExplicitMatrix(string kind)
    {
        var rng = new Rng(11);
        var s = Make(kind, 7, 13, rng.Fork("s"));
        var a = rng.NormalMatrix(13, 5);
        var dense = s.ToDense();
        Assert.Equal(7, dense.Rows); Assert.Equal(13, dense.Cols);
        var expected = Ops.MatMul(dense, a);
        Assert.True(MaxAbsDiff(expected, s.Apply(a)) < 1e-12);
        // Same seed, same sketch.
        var again = Make(kind, 7, 13, new Rng(11).Fork("s"));
        Assert.Equal(0, MaxAbsDiff(s.Apply(a), again.Apply(a)));
        // float32 input gives float32 output close to the float64 result.
        var y32 = s.Apply(a.AsType(DType.F32));
        Assert.Equal(DType.F32, y32.DType);
        Assert.True(MaxAbsDiff(expected, y32) < 1e-4);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void WrongRowCountNamesBothShapes(string kind)
    {
        var s = Make(kind, 4, 10, new Rng(1));
        var ex = Assert.Throws<ArgumentException>(() => s.Apply(Matrix.Zeros(9, 3)));
        Assert.Contains("4×10", ex.Message);
        Assert.Contains("9×3", ex.Message);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void NanInputIsReported(string kind)
    {
        var s = Make(kind, 4, 10, new Rng(1));
        var a = Matrix.Zeros(10, 2);
        a[3, 1] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => s.Apply(a));
        Assert.Contains("(3, 1)", ex.Message);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void SquaredNormIsPreservedInExpectation(string kind)
    {
        // E‖Sx‖² = ‖x‖² for every sketch here; average over independent sketches.
        var root = new Rng(2024);
        var x = root.Fork("x").NormalMatrix(64, 1);
        double norm2 = Ops.Dot(x, x), sum = 0;
        const int trials = 300;
        for (int t = 0; t < trials; t++)
        {
            var y = Make(kind, 16, 64, root.Fork(t)).Apply(x);
            sum += Ops.Dot(y, y);
        }
        double ratio = sum / trials / norm2;
        // Var(‖Sx‖²)/‖x‖⁴ ≤ 2/k = 1/8, so the mean of 300 has sd ≤ 0.021; 0.1 is > 4.5 sd.
        Assert.InRange(ratio, 0.9, 1.1);
    }

    [Fact]
    public void CountSketchHasOneSignedEntryPerColumn()
    {
        var s = new CountSketch(5, 40, new Rng(3));
        var d = s.ToDense();
        for (int j = 0; j < 40; j++)
        {
            int nz = 0;
            for (int i = 0; i < 5; i++) if (d[i, j] != 0) { nz++; Assert.Equal(1.0, Math.Abs(d[i, j])); Assert.Equal(s.Bucket(j), i); Assert.Equal(s.Sign(j), d[i, j]); }
            Assert.Equal(1, nz);
        }
        Assert.Equal(40, s.S.Nnz);
    }

    [Fact]
    public void SparseSignHasSEntriesOfMagnitudeOneOverRootS()
    {
        var s = new SparseSignSketch(9, 30, 4, new Rng(5));
        var d = s.ToDense();
        for (int j = 0; j < 30; j++)
        {
            int nz = 0;
            for (int i = 0; i < 9; i++) if (d[i, j] != 0) { nz++; Assert.Equal(0.5, Math.Abs(d[i, j]), 15); }
            Assert.Equal(4, nz);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new SparseSignSketch(3, 10, 4, new Rng(1)));
    }

    [Fact]
    public void SparseInputMatchesDenseInput()
    {
        var rng = new Rng(8);
        var trip = new List<(int, int, double)>();
        for (int t = 0; t < 40; t++) trip.Add((rng.NextInt(25), rng.NextInt(6), rng.Normal()));
        var a = SparseMatrix.FromTriplets(25, 6, trip);
        var cs = new CountSketch(7, 25, rng.Fork("c"));
        Assert.True(MaxAbsDiff(cs.Apply(a.ToDense()), cs.Apply(a)) < 1e-12);
        var ss = new SparseSignSketch(7, 25, 2, rng.Fork("s"));
        Assert.True(MaxAbsDiff(ss.Apply(a.ToDense()), ss.Apply(a)) < 1e-12);
        // The CSR form of S agrees with the operator.
        Assert.True(MaxAbsDiff(Ops.MatMul(ss.S.ToDense(), a.ToDense()), ss.Apply(a)) < 1e-12);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(13)]   // padded to 16
    public void SrhtWithFullSketchIsAnIsometry(int n)
    {
        var s = new SrhtSketch(16, n, new Rng(4));
        Assert.Equal(16, s.PaddedDim);
        var d = s.ToDense();
        Assert.True(MaxAbsDiff(Ops.Gram(d), Matrix.Identity(n)) < 1e-12);
    }

    [Fact]
    public void SrhtRowsAreOrthogonalWithScale()
    {
        // For n a power of two, S·Sᵀ = (n/k)·I_k exactly.
        var s = new SrhtSketch(8, 64, new Rng(9)).ToDense();
        var sst = Ops.MatMul(s, s, transB: true);
        var expected = Ops.Scale(Matrix.Identity(8), 64.0 / 8);
        Assert.True(MaxAbsDiff(sst, expected) < 1e-12);
        // Every entry of S has magnitude 1/√k.
        foreach (var v in s.ToArray()) Assert.Equal(1 / Math.Sqrt(8), Math.Abs(v), 12);
    }

    [Fact]
    public void WalshHadamardMatchesSylvesterMatrix()
    {
        // H_{2m} = [[H, H], [H, −H]]: entry (i, j) = (−1)^{popcount(i & j)}.
        var x = new double[8];
        var rng = new Rng(1);
        for (int i = 0; i < 8; i++) x[i] = rng.Normal();
        var y = (double[])x.Clone();
        WalshHadamard.Transform(y);
        for (int i = 0; i < 8; i++)
        {
            double s = 0;
            for (int j = 0; j < 8; j++) s += (System.Numerics.BitOperations.PopCount((uint)(i & j)) % 2 == 0 ? 1 : -1) * x[j];
            Assert.Equal(s, y[i], 12);
        }
        Assert.Throws<ArgumentException>(() => WalshHadamard.Transform(new double[6]));
    }

    [Theory]
    [InlineData("gaussian")]
    [InlineData("srht")]
    [InlineData("sparse")]
    public void SubspaceEmbeddingOfAKnownSubspace(string kind)
    {
        // U spans a d-dimensional subspace of ℝⁿ with orthonormal columns. S is an ε-subspace
        // embedding when every singular value of S·U lies in [1−ε, 1+ε]. For a Gaussian sketch
        // these are within 1 ± (√(d/k) + t) with probability ≥ 1 − 2e^{−kt²/2} (Davidson–Szarek);
        // with d = 6, k = 300, t = 0.15: 1 ± 0.29.
        var rng = new Rng(77);
        var (u, _) = Ops.Qr(rng.NormalMatrix(512, 6));
        var s = Make(kind, 300, 512, rng.Fork(kind));
        var (_, sv, _) = Ops.Svd(s.Apply(u));
        foreach (var v in sv.ToArray()) Assert.InRange(v, 0.71, 1.29);
    }
}
