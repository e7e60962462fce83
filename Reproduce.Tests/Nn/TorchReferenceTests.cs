using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary>A fact that runs only once tools/nn/torch_reference.py has written the PyTorch fixture.</summary>
public sealed class TorchFixtureFactAttribute : FactAttribute
{
    public TorchFixtureFactAttribute()
    {
        if (!File.Exists(TorchReferenceTests.OutputPath))
            Skip = "skipped: no PyTorch fixture yet; run `python3 tools/nn/torch_reference.py` where torch is installed (the GPU machine) and commit Reproduce.Tests/Nn/Fixtures/gpt-tiny-torch.safetensors";
    }
}

/// <summary>Our GPT against PyTorch from the same safetensors weights and batch (issue 23 item 5).</summary>
public class TorchReferenceTests
{
    public static string FixtureDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            {
                var c = Path.Combine(dir.FullName, "Reproduce.Tests", "Nn", "Fixtures");
                if (Directory.Exists(c)) return c;
            }
            return Path.Combine(AppContext.BaseDirectory, "Nn", "Fixtures");
        }
    }

    public static string InputPath => Path.Combine(FixtureDirectory, "gpt-tiny-input.safetensors");
    public static string OutputPath => Path.Combine(FixtureDirectory, "gpt-tiny-torch.safetensors");

    [Fact]
    public void CommittedInputIsWhatTheGeneratorWrites()
    {
        // REPRODUCE_WRITE_FIXTURES=1 rewrites it after a deliberate change of the fixture model.
        if (Environment.GetEnvironmentVariable("REPRODUCE_WRITE_FIXTURES") == "1") TorchReference.WriteInput(InputPath);
        Assert.True(File.Exists(InputPath), $"{InputPath} is missing; run the tests once with REPRODUCE_WRITE_FIXTURES=1.");
        Assert.Equal(TorchReference.InputBytes(), File.ReadAllBytes(InputPath));
    }

    [TorchFixtureFact]
    public void LossLogitsAndGradientsMatchPyTorch()
    {
        var results = TorchReference.Compare(OutputPath);
        Assert.Equal(2 * (2 + TorchReference.Build().Model.Parameters.Count), results.Count);
        var bad = results.Where(r => !r.Pass).Select(r => $"{r.Name}: {r.Detail}").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }
}
