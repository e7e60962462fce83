using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary>A fact that runs only once tools/nn/torch_reference.py has written the PyTorch fixture.</summary>
public sealed class TorchFixtureFactAttribute : FactAttribute
{
    public TorchFixtureFactAttribute(bool rotary = false)
    {
        if (!File.Exists(TorchReferenceTests.OutputPathFor(rotary)))
            Skip = $"skipped: no PyTorch fixture yet; run `python3 tools/nn/torch_reference.py` where torch is installed (the GPU machine) and commit Reproduce.Tests/Nn/Fixtures/{TorchReference.Stem(rotary)}-torch.safetensors";
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

    public static string InputPathFor(bool rotary) => Path.Combine(FixtureDirectory, TorchReference.Stem(rotary) + "-input.safetensors");
    public static string OutputPathFor(bool rotary) => Path.Combine(FixtureDirectory, TorchReference.Stem(rotary) + "-torch.safetensors");
    public static string OutputPath => OutputPathFor(false);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CommittedInputIsWhatTheGeneratorWrites(bool rotary)
    {
        string path = InputPathFor(rotary);
        // REPRODUCE_WRITE_FIXTURES=1 rewrites it after a deliberate change of the fixture model.
        if (Environment.GetEnvironmentVariable("REPRODUCE_WRITE_FIXTURES") == "1") TorchReference.WriteInput(path, rotary);
        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with REPRODUCE_WRITE_FIXTURES=1.");
        Assert.Equal(TorchReference.InputBytes(rotary), File.ReadAllBytes(path));
    }

    [TorchFixtureFact]
    public void LossLogitsAndGradientsMatchPyTorch() => MatchesPyTorch(rotary: false);

    /// <summary>Rotary positions (no wpe) against PyTorch's rotate-half implementation.</summary>
    [TorchFixtureFact(rotary: true)]
    public void RotaryModelMatchesPyTorch() => MatchesPyTorch(rotary: true);

    private static void MatchesPyTorch(bool rotary)
    {
        var results = TorchReference.Compare(OutputPathFor(rotary), rotary);
        int parameters = TorchReference.Build(rotary: rotary).Model.Parameters.Count;
        Assert.Equal(2 * (2 + parameters), results.Count);
        if (rotary) Assert.DoesNotContain(results, r => r.Name.Contains("wpe", StringComparison.Ordinal));
        var bad = results.Where(r => !r.Pass).Select(r => $"{r.Name}: {r.Detail}").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }
}
