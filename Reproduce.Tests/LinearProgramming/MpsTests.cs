using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

public class MpsTests
{
    private const string Sample = """
        * a comment
        NAME TESTLP
        ROWS
         N COST
         L LIM1
         G LIM2
         E MYEQN
         E RNGEQ
        COLUMNS
         X1 COST 1.0 LIM1 1.0
         X1 LIM2 1.0
            MARKER 'MARKER' 'INTORG'
         X2 COST 2.0 LIM1 1.0
         X2 MYEQN -1.0
            MARKER 'MARKER' 'INTEND'
         X3 COST -1.0 MYEQN 1.0
         X3 RNGEQ 1.0
        RHS
         RHS LIM1 4.0 LIM2 1.0
         RHS MYEQN 7.0 COST -2.5
        RANGES
         RNG RNGEQ -3
         RNG LIM1 2
        BOUNDS
         UP BND X1 4.0
         LO BND X2 -1.0
         UP BND X2 1.0
         FR BND X3
        ENDATA
        """;

    [Fact]
    public void ReadsSectionsAndConventions()
    {
        var p = MpsReader.Parse(Sample);
        Assert.Equal("TESTLP", p.ProblemName);
        Assert.Equal(4, p.RowCount); Assert.Equal(3, p.ColumnCount);
        Assert.Equal([1.0, 2.0, -1.0], p.C);
        Assert.Equal(2.5, p.ObjectiveOffset);
        Assert.Equal((2.0, 4.0), (p.RowLower[0], p.RowUpper[0]));            // L with range 2 → [4−2, 4]
        Assert.Equal((1.0, double.PositiveInfinity), (p.RowLower[1], p.RowUpper[1]));
        Assert.Equal((7.0, 7.0), (p.RowLower[2], p.RowUpper[2]));
        Assert.Equal((-3.0, 0.0), (p.RowLower[3], p.RowUpper[3]));           // E with R < 0 → [rhs + R, rhs]
        Assert.Equal((0.0, 4.0), (p.ColLower[0], p.ColUpper[0]));
        Assert.Equal((-1.0, 1.0), (p.ColLower[1], p.ColUpper[1]));
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity), (p.ColLower[2], p.ColUpper[2]));
        Assert.Equal(-1.0, p.A.ToDense()[2, 1]);
    }

    [Fact]
    public void WriteThenReadRoundTrips()
    {
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var p = RandomLpGenerator.GeneralForm(8, 11, new Rng(seed));
            var q = MpsReader.Parse(MpsWriter.Write(p));
            Assert.Equal(p.C, q.C);
            Assert.Equal(p.RowLower, q.RowLower); Assert.Equal(p.RowUpper, q.RowUpper);
            Assert.Equal(p.ColLower, q.ColLower); Assert.Equal(p.ColUpper, q.ColUpper);
            Assert.Equal(p.A.ToDense().ToArray(), q.A.ToDense().ToArray());
            Assert.Equal(p.RowNames, q.RowNames); Assert.Equal(p.ColumnNames, q.ColumnNames);
        }
    }

    [Fact]
    public void NegativeUpperBoundRoundTripsWithZeroLower()
    {
        var a = SparseMatrix.FromTriplets(1, 2, [(0, 0, 1.0), (0, 1, 1.0)]);
        var p = new LpProblem([1, 1], a, [-5], [5], [-2, double.NegativeInfinity], [-1, -1]);
        var q = MpsReader.Parse(MpsWriter.Write(p));
        Assert.Equal(p.ColLower, q.ColLower); Assert.Equal(p.ColUpper, q.ColUpper);
    }

    [Fact]
    public void SolvesTheSampleWithKnownOptimum()
    {
        // CLP gives −7 for the classic sample without the offset and the ranged row; with the offset +2.5 and the
        // ranged equality x3 ∈ [−3, 0] the optimum moves: x3 = 7 + x2 ≥ 6 contradicts x3 ≤ 0, so it is infeasible.
        var p = MpsReader.Parse(Sample);
        Assert.Equal(LpStatus.Infeasible, InteriorPointSolver.Solve(p).Status);
        var q = MpsReader.Parse(Sample.Replace(" RNG RNGEQ -3\n", "").Replace(" X3 RNGEQ 1.0\n", "").Replace(" E RNGEQ\n", "").Replace(" RNG LIM1 2\n", ""));
        var r = InteriorPointSolver.Solve(q);
        Assert.Equal(LpStatus.Optimal, r.Status);
        Assert.Equal(-7 + 2.5, r.Objective, 6);
    }

    [Theory]
    [InlineData("NAME X\nROWS\n N OBJ\n Q R1\nCOLUMNS\n X OBJ 1\nENDATA\n", 4, "Q")]
    [InlineData("NAME X\nROWS\n N OBJ\n E R1\nCOLUMNS\n X OBJ abc\nENDATA\n", 6, "abc")]
    [InlineData("NAME X\nROWS\n N OBJ\n E R1\nCOLUMNS\n X R2 1\nENDATA\n", 6, "R2")]
    [InlineData("NAME X\nROWS\n N OBJ\n E R1\nCOLUMNS\n X R1 NaN\nENDATA\n", 6, "NaN")]
    [InlineData("NAME X\nROWS\n N OBJ\n E R1\nCOLUMNS\n X R1 1\n", 6, "<end of file>")]
    [InlineData("NAME X\nROWS\n N OBJ\n E R1\nCOLUMNS\n X R1 1\nBOUNDS\n UP BND Y 3\nENDATA\n", 8, "Y")]
    [InlineData("NAME X\nROWS\n N OBJ\n E R1\nCOLUMNS\n X R1 1\nBOUNDS\n LO BND X 3\n UP BND X 1\nENDATA\n", 10, "X")]
    [InlineData("NAME X\nROWS\n N OBJ\nCOLUMNS\nENDATA\n", 5, "ENDATA")]
    [InlineData("NAME X\nBOGUS\nENDATA\n", 2, "BOGUS")]
    public void MalformedFilesNameLineAndToken(string text, int line, string token)
    {
        var ex = Assert.Throws<MpsFormatException>(() => MpsReader.Parse(text));
        Assert.Equal(line, ex.Line);
        Assert.Equal(token, ex.Token);
        Assert.Contains($"line {line}", ex.Message);
    }
}
