using System.CommandLine;
using System.Text;
using System.Text.Json;
using Reproduce.Cli.Verbs;
using Reproduce.Compression;
using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Nn;

namespace Reproduce.Tests.Compression;

/// <summary>`reproduce compress layer` end to end: files in, compressed weights and JSON out.</summary>
[Collection("Console")]
public sealed class CompressVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("compress-verb").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static (int Code, string Out, string Err) Run(params string[] args) => Reproduce.Tests.Runner.VerbRunner.Run(new CompressVerb(), args);

    private (string W, string X, LayerProblem P) Files(int rows = 64)
    {
        var p = Layers.Random(31, dOut: 8, dIn: 16, rows: rows);
        var x = Matrix.Build(rows, 16, (i, j) => Math.Sin(i * 16 + j) + 0.1 * i / rows);
        string w = Path.Combine(_dir, "W.npy"), xf = Path.Combine(_dir, "X.npy");
        Npy.Write(w, p.W, float32: false);
        Npy.Write(xf, x, float32: false);
        return (w, xf, LayerProblem.FromInputs(p.W, x));
    }

    [Fact]
    public void SparseGptTwoFourWritesValidWeightsAndTheLibrarysObjective()
    {
        var (w, x, p) = Files();
        string outPath = Path.Combine(_dir, "W_hat.npy");
        var (code, stdout, err) = Run("compress", "layer", "--weights", w, "--inputs", x, "--method", "sparsegpt", "--pattern", "2:4", "--out", outPath, "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        var (written, f32) = Npy.Read(outPath);
        Assert.False(f32);
        Assert.True(PruningMask.SatisfiesNM(written.Span, written.Rows, 2, 4));
        double expected = new SparseGpt().Prune(p, SparsityTarget.Pattern(2, 4)).Objective;
        Assert.Equal(expected, doc.RootElement.GetProperty("objective").GetDouble(), 1e-12 * expected);
        Assert.Equal(p.Objective(written), expected, 1e-12 * expected);
        Assert.Equal(0.5, doc.RootElement.GetProperty("sparsity").GetDouble());
        Assert.True(doc.RootElement.GetProperty("seconds").GetDouble() >= 0);
    }

    [Theory]
    [InlineData("magnitude", "--sparsity", "0.5")]
    [InlineData("wanda", "--pattern", "2:4")]
    [InlineData("alps", "--sparsity", "0.6")]
    [InlineData("osscar", "--keep-groups", "2", "--group-size", "4")]
    [InlineData("hassle-free", "--pattern", "2:4", "--rank", "2", "--iterations", "3")]
    [InlineData("oats", "--pattern", "2:4", "--rank", "2", "--iterations", "3")]
    [InlineData("rtn", "--bits", "4", "--group-size", "8")]
    [InlineData("gptq", "--bits", "4")]
    [InlineData("fp8", "--per-tensor")]
    public void EveryMethodRunsFromTheCommandLine(string method, params string[] options)
    {
        var (w, x, _) = Files();
        var (code, stdout, err) = Run(["compress", "layer", "--weights", w, "--inputs", x, "--method", method, .. options]);
        Assert.True(code == 0, err);
        Assert.Contains("relative error", stdout);
    }

    [Fact]
    public void SafetensorsAndFloat32FortranNpyGiveTheSameLayer()
    {
        var (w, x, p) = Files();
        // The same W as a PyTorch-layout [out, in] tensor among two tensors, picked by name.
        var data = new double[p.Rows * p.Cols];
        for (int r = 0; r < p.Rows; r++) for (int c = 0; c < p.Cols; c++) data[r * p.Cols + c] = p.W[r, c];
        string st = Path.Combine(_dir, "layer.safetensors");
        File.WriteAllBytes(st, Safetensors.Serialize([new SafetensorsTensor("fc.weight", "F64", [p.Rows, p.Cols], data), new SafetensorsTensor("fc.bias", "F64", [1, p.Rows], new double[p.Rows])]));
        var a = Run("compress", "layer", "--weights", st + "#fc.weight", "--inputs", x, "--method", "magnitude", "--sparsity", "0.5", "--json");
        var b = Run("compress", "layer", "--weights", w, "--inputs", x, "--method", "magnitude", "--sparsity", "0.5", "--json");
        Assert.True(a.Code == 0, a.Err);
        Assert.Equal(JsonDocument.Parse(b.Out).RootElement.GetProperty("objective").GetDouble(), JsonDocument.Parse(a.Out).RootElement.GetProperty("objective").GetDouble());
        var amb = Run("compress", "layer", "--weights", st, "--inputs", x, "--method", "magnitude", "--sparsity", "0.5");
        Assert.Equal(2, amb.Code);
        Assert.Contains("#NAME", amb.Err);

        // A float32 Fortran-order .npy written byte by byte as NumPy lays it out (header padded to a multiple of 64 bytes).
        string header = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }";
        header += new string(' ', 128 - 10 - header.Length - 1) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange(Encoding.ASCII.GetBytes("NUMPY")); bytes.Add(1); bytes.Add(0);
        bytes.AddRange(BitConverter.GetBytes((ushort)header.Length)); bytes.AddRange(Encoding.ASCII.GetBytes(header));
        foreach (float v in new float[] { 1, 4, 2, 5, 3, 6 }) bytes.AddRange(BitConverter.GetBytes(v));   // columns of [[1,2,3],[4,5,6]]
        string f = Path.Combine(_dir, "f.npy");
        File.WriteAllBytes(f, [.. bytes]);
        var (m, f32) = Npy.Read(f);
        Assert.True(f32);
        Assert.Equal(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, m.ToArray2D());
    }

    [Theory]
    [InlineData("1 ≤ N < M", "sparsegpt", "--pattern", "4:4")]
    [InlineData("[0, 1)", "alps", "--sparsity", "1.5")]
    [InlineData("min(d_out, d_in) = 8", "hassle-free", "--pattern", "2:4", "--rank", "9")]
    [InlineData("2..8", "rtn", "--bits", "9")]
    [InlineData("needs --sparsity", "sparsegpt")]
    [InlineData("not known", "pruneit", "--sparsity", "0.5")]
    [InlineData("singular", "sparsegpt", "--sparsity", "0.5", "--damping", "0")]
    public void BadInputExitsTwoWithAMessageThatNamesTheProblem(string message, string method, params string[] options)
    {
        // 12 calibration rows < d_in = 16, so H is singular (only the damping-0 case depends on it).
        var (w, x, _) = Files(rows: 12);
        var (code, _, err) = Run(["compress", "layer", "--weights", w, "--inputs", x, "--method", method, .. options]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void ShapesThatDisagreeExitTwo()
    {
        var (w, _, _) = Files();
        string x = Path.Combine(_dir, "X7.npy");
        Npy.Write(x, Matrix.Zeros(10, 7), float32: true);
        var (code, _, err) = Run("compress", "layer", "--weights", w, "--inputs", x, "--method", "magnitude", "--sparsity", "0.5");
        Assert.Equal(2, code);
        Assert.Contains("N × d_in", err);
    }

    [Fact]
    public void TeacherPrintsEveryEvaluationAndKeepsTheLowestValidationStep()
    {
        var (code, output, err) = Run("compress", "teacher", "--scale", "smoke", "--device", "cpu", "--steps", "40", "--eval-every", "10");
        Assert.True(code == 0, err + output);
        var evals = output.Split('\n').Where(l => l.StartsWith("step ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => (Step: int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture), Val: double.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal([10, 20, 30, 40], evals.Select(e => e.Step));
        Assert.Contains($"kept step {evals.MinBy(e => e.Val).Step} ", output);
        Assert.Contains("vs unigram", output);
    }

    [Fact]
    public void TeacherWithABadScaleExitsTwo()
    {
        var (code, _, err) = Run("compress", "teacher", "--scale", "huge", "--device", "cpu");
        Assert.Equal(2, code);
        Assert.Contains("huge", err);
    }
}
