using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>MPS files with free and minus-infinity columns are read correctly by CLP and by our
/// reader. CLP's free-format reader rejected files whose first BOUNDS line was a value-less FR/MI.</summary>
public class ClpFreeColumnTests
{
    // min x0 + x1  s.t.  x0 − x2 = 1,  x1 + x2 = 2,  x0 free, x1 ∈ (−∞, 5], x2 ∈ [0, 10]
    // Optimum: x0 + x1 = (1 + x2) + (2 − x2) = 3 for every feasible x2.
    private static LpProblem FreeColumnLp() => new(
        [1, 1, 0],
        SparseMatrix.FromTriplets(2, 3, [(0, 0, 1.0), (0, 2, -1.0), (1, 1, 1.0), (1, 2, 1.0)]),
        [1, 2], [1, 2],
        [double.NegativeInfinity, double.NegativeInfinity, 0], [double.PositiveInfinity, 5, 10],
        "FREECOLS", ["R0", "R1"], ["X0", "X1", "X2"]);

    [ClpFact]
    public void ClpReadsFreeAndMinusInfinityColumnsAsWritten()
    {
        var clp = ClpSolver.Solve(FreeColumnLp());
        Assert.Equal(LpStatus.Optimal, clp.Status);
        Assert.Equal(3, clp.Objective, 1e-9);
    }

    /// <summary>Short names and integer bounds make lines like " UP BND C0 1", which CLP 1.17.6 read by column position
    /// (as fixed format: "No match for column") unless the NAME line says FREE. min −x0 − 2x1 s.t. x0 + x1 ≤ 1.5,
    /// 0 ≤ x ≤ 1 has the optimum −2.5 at (0.5, 1); a dropped bound on x1 would give −3.</summary>
    [ClpFact]
    public void ClpReadsShortBoundLinesOfTheWriterAsFreeFormat()
    {
        var p = new LpProblem([-1, -2], SparseMatrix.FromTriplets(1, 2, [(0, 0, 1.0), (0, 1, 1.0)]),
            [double.NegativeInfinity], [1.5], [0, 0], [1, 1], "T", ["R0"], ["C0", "C1"]);
        Assert.Contains(" UP BND C0 1\n", MpsWriter.Write(p));
        var clp = ClpSolver.Solve(p);
        Assert.Equal(LpStatus.Optimal, clp.Status);
        Assert.Equal(-2.5, clp.Objective, 1e-9);
        Assert.Equal("T", MpsReader.Parse(MpsWriter.Write(p)).ProblemName);
    }

    [Theory]
    [InlineData(" FR BND X0")]
    [InlineData(" FR BND X0 0")]
    [InlineData(" MI BND X0")]
    public void ReaderAcceptsValueLessAndDummyValueFreeBounds(string line)
    {
        var text = MpsWriter.Write(FreeColumnLp()).Replace(" LO BND X0 -1e+30", line);
        var q = MpsReader.Parse(text);
        Assert.Equal(double.NegativeInfinity, q.ColLower[0]);
        Assert.Equal(double.PositiveInfinity, q.ColUpper[0]);
    }

    [Fact]
    public void FreeAndMinusInfinityBoundsRoundTripThroughMps()
    {
        var p = FreeColumnLp();
        var text = MpsWriter.Write(p);
        Assert.Contains(" LO BND X0 -1e+30", text);
        Assert.Contains(" LO BND X1 -1e+30", text);
        var q = MpsReader.Read(new StringReader(text));
        Assert.Equal(p.ColLower, q.ColLower);
        Assert.Equal(p.ColUpper, q.ColUpper);
    }
}
