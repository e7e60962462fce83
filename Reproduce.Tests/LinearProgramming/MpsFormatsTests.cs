using System.IO.Compression;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>Fixed-format MPS (names with spaces, read by column position), gzip input, OBJSENSE MAX and every
/// bound type, each checked against values written by hand into the file.</summary>
public class MpsFormatsTests
{
    // Columns: field 1 at 2–3, field 2 at 5–12, field 3 at 15–22, field 4 at 25–36, field 5 at 40–47, field 6 at 50–61.
    private const string Fixed = """
        NAME          FIXED TEST
        ROWS
         N  COST
         L  LIM 1
         G  LIM 2
         E  EQ  A
        COLUMNS
            X 1       COST               1.0   LIM 1              1.0
            X 1       LIM 2              1.0
            X 2       COST               2.0   EQ  A             -1.0
            X 3       COST              -1.0   EQ  A              1.0
        RHS
            RHS       LIM 1              4.0   LIM 2              1.0
            RHS       EQ  A              7.0
        RANGES
            RNG       LIM 1              2.0
        BOUNDS
         UP BND       X 1                4.0
         MI BND       X 2
         UP BND       X 3               -2.0
        ENDATA
        """;

    [Fact]
    public void FixedFormatReadsNamesWithSpacesByColumn()
    {
        var p = MpsReader.Parse(Fixed);
        Assert.Equal(["LIM 1", "LIM 2", "EQ  A"], p.RowNames);
        Assert.Equal(["X 1", "X 2", "X 3"], p.ColumnNames);
        Assert.Equal([1.0, 2.0, -1.0], p.C);
        Assert.Equal((2.0, 4.0), (p.RowLower[0], p.RowUpper[0])); // L row with range 2: [4 − 2, 4]
        Assert.Equal((1.0, double.PositiveInfinity), (p.RowLower[1], p.RowUpper[1]));
        Assert.Equal((7.0, 7.0), (p.RowLower[2], p.RowUpper[2]));
        Assert.Equal((0.0, 4.0), (p.ColLower[0], p.ColUpper[0]));
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity), (p.ColLower[1], p.ColUpper[1])); // MI: lower −∞ only
        Assert.Equal((double.NegativeInfinity, -2.0), (p.ColLower[2], p.ColUpper[2])); // UP < 0 with default lower: lower −∞
        Assert.Throws<MpsFormatException>(() => MpsReader.Parse(Fixed, MpsFormat.Free));
    }

    [Fact]
    public void GzipFileIsReadDirectly()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reproduce-mps-{Guid.NewGuid():N}.gz");
        try
        {
            using (var fs = File.Create(path))
            using (var gz = new GZipStream(fs, CompressionLevel.Fastest))
            using (var w = new StreamWriter(gz)) w.Write(Fixed);
            var p = MpsReader.ReadFile(path);
            Assert.Equal(3, p.ColumnCount);
            Assert.Equal("FIXED TEST", p.ProblemName);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ObjsenseMaxReportsTheMaximumWithItsSign()
    {
        // max x + y s.t. x + y ≤ 22.5, x, y ≥ 0: the maximum is +22.5.
        const string text = "NAME M\nOBJSENSE\n    MAX\nROWS\n N OBJ\n L R\nCOLUMNS\n X OBJ 1 R 1\n Y OBJ 1 R 1\nRHS\n RHS R 22.5\nENDATA\n";
        var p = MpsReader.Parse(text);
        Assert.True(p.Maximize);
        var r = BoundedIpm.Solve(p);
        Assert.Equal(LpStatus.Optimal, r.Status);
        Assert.Equal(22.5, r.Objective, 1e-6);
    }

    [Theory]
    [InlineData("BV", "", 0.0, 1.0)]
    [InlineData("LI", " 3", 3.0, double.PositiveInfinity)]
    [InlineData("UI", " 9", 0.0, 9.0)]
    [InlineData("FX", " 2.5", 2.5, 2.5)]
    [InlineData("FR", "", double.NegativeInfinity, double.PositiveInfinity)]
    [InlineData("PL", "", 0.0, double.PositiveInfinity)]
    [InlineData("UP", " 1e31", 0.0, double.PositiveInfinity)]
    [InlineData("LO", " -1e30", double.NegativeInfinity, double.PositiveInfinity)]
    public void BoundTypes(string type, string value, double lo, double up)
    {
        var p = MpsReader.Parse($"NAME B\nROWS\n N OBJ\n L R\nCOLUMNS\n X OBJ 1 R 1\nBOUNDS\n {type} BND X{value}\nENDATA\n");
        Assert.Equal((lo, up), (p.ColLower[0], p.ColUpper[0]));
    }

    [Fact]
    public void ErrorsNameLineColumnTokenAndExpectation()
    {
        var ex = Assert.Throws<MpsFormatException>(() => MpsReader.Parse("NAME X\nROWS\n N OBJ\n E R1\nCOLUMNS\n X R1   1.x5\nENDATA\n", MpsFormat.Free));
        Assert.Equal((6, 9, "1.x5"), (ex.Line, ex.Column, ex.Token));
        Assert.Contains("expected a number", ex.Message);
    }
}
