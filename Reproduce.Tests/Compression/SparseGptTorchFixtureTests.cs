using Reproduce.Compression;
using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Compression;

/// <summary>A fact that runs only once tools/compression/sparsegpt_reference.py has written its fixture.</summary>
public sealed class SparseGptFixtureFactAttribute : FactAttribute
{
    public SparseGptFixtureFactAttribute()
    {
        if (!File.Exists(SparseGptTorchFixtureTests.FixturePath))
            Skip = "skipped: no PyTorch SparseGPT fixture yet; run `python3 tools/compression/sparsegpt_reference.py` where torch is installed (the GPU machine) and commit Reproduce.Tests/Compression/Fixtures/sparsegpt-torch.safetensors";
    }
}

/// <summary>Our SparseGPT against an independent float64 PyTorch implementation on the same layer (issue 20, oracle 5).</summary>
public class SparseGptTorchFixtureTests
{
    public static string FixturePath
    {
        get
        {
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            {
                var c = Path.Combine(dir.FullName, "Reproduce.Tests", "Compression", "Fixtures", "sparsegpt-torch.safetensors");
                if (File.Exists(c)) return c;
            }
            return Path.Combine(AppContext.BaseDirectory, "Compression", "Fixtures", "sparsegpt-torch.safetensors");
        }
    }

    private static Matrix Get(List<SafetensorsTensor> ts, string name)
    {
        var t = ts.Single(x => x.Name == name);
        return Matrix.Build(t.Shape[0], t.Shape[1], (r, c) => t.Data[(long)r * t.Shape[1] + c]);
    }

    [SparseGptFixtureFact]
    public void SparseGptMatchesPyTorchOnOneLayer()
    {
        var (ts, _) = Safetensors.Read(FixturePath);
        var p = LayerProblem.FromInputs(Get(ts, "W"), Get(ts, "X"));
        foreach (var (name, target) in new[] { ("W_hat_50", SparsityTarget.Unstructured(0.5)), ("W_hat_2_4", SparsityTarget.Pattern(2, 4)) })
        {
            var torch = Get(ts, name);
            var ours = new SparseGpt { BlockSize = 32 }.Prune(p, target).Weights;
            // Same mask, and values equal to float64 rounding of two different Cholesky/inverse routes
            // (condition number of H times machine epsilon, far below 1e-8 for this well-conditioned H).
            for (int r = 0; r < p.Rows; r++)
                for (int c = 0; c < p.Cols; c++)
                {
                    Assert.Equal(torch[r, c] == 0, ours[r, c] == 0);
                    Assert.Equal(torch[r, c], ours[r, c], 1e-8);
                }
        }
    }
}
