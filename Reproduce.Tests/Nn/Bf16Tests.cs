using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary>The host bf16 rounding that the bf16 parity check builds its reference with, and the
/// check's bounds exercised on the CPU with an emulated bf16 GEMM (and shown to fail without rounding).</summary>
public class Bf16Tests
{
    [Theory]
    [InlineData(1.0f, 1.0f)]
    [InlineData(1.0f + 1f / 256, 1.0f)]                   // halfway between 1 and 1 + 2⁻⁷: ties to even (1)
    [InlineData(1.0f + 3f / 256, 1.0f + 4f / 256)]        // halfway between 1 + 2⁻⁷ and 1 + 2⁻⁶: ties to even (up)
    [InlineData(1.0f + 1f / 256 + 1f / 65536, 1.0f + 2f / 256)] // just above halfway: up
    [InlineData(-3.0f, -3.0f)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]
    [InlineData(3.4e38f, float.PositiveInfinity)]         // more than half an ulp above the largest bf16 ((2 − 2⁻⁷)·2¹²⁷ ≈ 3.3895e38): overflows
    public void RoundsToNearestEven(float x, float expected) => Assert.Equal(expected, Bf16.Round(x));

    [Fact]
    public void NanStaysNanAndErrorStaysWithinUnitRoundoff()
    {
        Assert.True(float.IsNaN(Bf16.Round(float.NaN)));
        var rng = new Rng(5);
        for (int i = 0; i < 10000; i++)
        {
            float x = (float)(rng.Normal() * Math.Exp(rng.Normal() * 5));
            double r = Bf16.Round(x);
            Assert.True(Math.Abs(r - x) <= Bf16.UnitRoundoff * Math.Abs(x), $"{x:R} → {r:R}");
            Assert.Equal(0u, BitConverter.SingleToUInt32Bits((float)r) & 0xFFFFu); // a bf16 value: low 16 bits clear
        }
    }

    /// <summary>Operands rounded to bf16 on the host, product in float32: what the CUDA option computes.</summary>
    private static double[] EmulatedBf16(Matrix a, bool ta, Matrix b, bool tb, int m, int n)
    {
        Matrix R(Matrix x) => Matrix.FromColumnMajor(x.Rows, x.Cols, x.ToArray().Select(v => Bf16.Round((float)v)).ToArray());
        var c = Matrix.Zeros(m, n, DType.F32);
        Ops.Gemm(R(a), ta, R(b), tb, c, 1, 0);
        return c.ToArray();
    }

    [Fact]
    public void ParityCheckPassesAnEmulatedBf16Gemm()
    {
        var results = NnBf16Parity.CheckGemm("emulated", EmulatedBf16);
        Assert.Equal(8, results.Count);
        Assert.All(results, r => Assert.True(r.Pass, $"{r.Name}: {r.Detail}"));
    }

    [Fact]
    public void ParityCheckFailsAFloat32Gemm()
    {
        // Without the rounding the error against the unrounded product stays within γₖ, so the
        // "rounding shows" half of the second check must fail in every transpose form.
        var results = NnBf16Parity.CheckGemm("float32", (a, ta, b, tb, m, n) =>
        {
            var c = Matrix.Zeros(m, n, DType.F32);
            Ops.Gemm(a, ta, b, tb, c, 1, 0);
            return c.ToArray();
        });
        Assert.Equal(4, results.Count(r => !r.Pass));
        Assert.All(results.Where(r => !r.Pass), r => Assert.Contains("bf16-rounded", r.Name));
    }
}
