using System.Text;
using Reproduce.Cli.Engine;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Runner;

public class NbformatRoundTripTests
{
    public static TheoryData<string> CommittedNotebooks()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { Path.Combine(TestPaths.RepoRoot, "notebooks"), Path.Combine(TestPaths.RepoRoot, "Reproduce.Tests", "Runner", "Notebooks") })
            foreach (var f in Directory.GetFiles(dir, "*.ipynb").Order(StringComparer.Ordinal))
                if (!f.EndsWith("malformed.ipynb", StringComparison.Ordinal)) data.Add(Path.GetRelativePath(TestPaths.RepoRoot, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(CommittedNotebooks))]
    public void UnchangedNotebookRoundTripsByteForByte(string relative)
    {
        string path = Path.Combine(TestPaths.RepoRoot, relative);
        byte[] original = File.ReadAllBytes(path);
        var nb = Notebook.Parse(Encoding.UTF8.GetString(original), path);
        byte[] written = new UTF8Encoding(false).GetBytes(nb.ToJupyterText());
        Assert.Equal(original, written);
    }

    [Fact]
    public void SampleHasTheHardParts()
    {
        // Guards the round-trip sample itself: non-ASCII, control characters, floats, unknown metadata.
        string text = File.ReadAllText(TestPaths.Notebook("roundtrip-sample.ipynb"));
        Assert.Contains("中文", text);
        Assert.Contains("\\u0001", text);
        Assert.Contains("1e-05", text);
        Assert.Contains("1e+20", text);
        Assert.Contains("-0.0", text);
        Assert.Contains("\"unknown_tool\"", text);
        Assert.Contains("</script>", text);
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(1.0, "1.0")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(1e20, "1e+20")]
    [InlineData(1e16, "1e+16")]
    [InlineData(123456789.0, "123456789.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012, "0.00012")]
    [InlineData(-2.5e-7, "-2.5e-07")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(100.0, "100.0")]
    public void FloatsAreWrittenLikePython(double value, string expected) =>
        Assert.Equal(expected, JupyterJson.PythonFloat(value));

    [Fact]
    public void StringsAreEscapedLikePythonWithEnsureAsciiFalse()
    {
        var sb = new StringBuilder();
        JupyterJson.WriteString(sb, "a\"b\\c\n\t\u0001é✓/<");
        Assert.Equal("\"a\\\"b\\\\c\\n\\t\\u0001é✓/<\"", sb.ToString());
    }

    [Fact]
    public void MalformedJsonNamesFileLineAndPosition()
    {
        string path = TestPaths.Notebook("malformed.ipynb");
        var e = Assert.Throws<NotebookFormatException>(() => Notebook.Load(path));
        Assert.Contains("malformed.ipynb", e.Message);
        Assert.Contains("line 7", e.Message);
        Assert.Contains("position", e.Message);
    }

    [Fact]
    public void NonCSharpKernelIsRejectedWithTheFix()
    {
        var nb = Notebook.Load(TestPaths.Notebook("python-kernel.ipynb"));
        var e = Assert.Throws<NotebookFormatException>(nb.RequireCSharp);
        Assert.Contains("python3", e.Message);
        Assert.Contains("reproduce-csharp", e.Message);
    }

    [Fact]
    public void NotNbformat4IsRejected()
    {
        var e = Assert.Throws<NotebookFormatException>(() => Notebook.Parse("{\"nbformat\": 3, \"cells\": []}", "old.ipynb"));
        Assert.Contains("nbformat", e.Message);
    }

    /// <summary>Oracle: Python's nbformat writes exactly the bytes we do for the hard sample.</summary>
    [RequiresFact(Part.Jupyter)]
    public void PythonNbformatWritesTheSameBytes()
    {
        string src = TestPaths.Notebook("roundtrip-sample.ipynb");
        Assert.Equal(PythonNbformat.ValidateAndRewrite(src), Notebook.Load(src).ToJupyterText());
    }
}
