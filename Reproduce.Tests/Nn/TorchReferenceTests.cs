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

    public static string InputPath => Path.Combine(FixtureDirectory, "gpt-tiny-input.safetensors");
    public static string OutputPathFor(bool rotary) => Path.Combine(FixtureDirectory, TorchReference.Stem(rotary) + "-torch.safetensors");
    public static string OutputPath => OutputPathFor(false);

    [Fact]
    public void CommittedInputIsWhatTheGeneratorWrites()
    {
        // REPRODUCE_WRITE_FIXTURES=1 rewrites it after a deliberate change of the fixture model.
        if (Environment.GetEnvironmentVariable("REPRODUCE_WRITE_FIXTURES") == "1") TorchReference.WriteInput(InputPath);
        Assert.True(File.Exists(InputPath), $"{InputPath} is missing; run the tests once with REPRODUCE_WRITE_FIXTURES=1.");
        Assert.Equal(TorchReference.InputBytes(), File.ReadAllBytes(InputPath));
    }

    [Fact]
    public void HashWeightsAreTheScriptsGrid()
    {
        // The rotary fixture's weights. Oracle values from mix() of tools/nn/torch_reference_rotary.py
        // (Python integers masked to 32 bits), which the C# uint arithmetic must reproduce bit for bit.
        Assert.Equal(55321023u, TorchReference.Mix("wte.weight", 0));
        Assert.Equal(3005287864u, TorchReference.Mix("wte.weight", 7));
        Assert.Equal(4030099594u, TorchReference.Mix("batch.tokens", 3));
        var (m, tok, tgt) = TorchReference.Build(rotary: true);
        Assert.Equal(new[] { 0.4129, -0.40265, 0.4349 }, m.Parameters["wte.weight"].Value.ToArray()[..3]);
        // Every value on the grid k/20000, |k| ≤ 10000, so float64 holds it as Python does.

        Assert.DoesNotContain(m.Parameters.All, p => p.Name.StartsWith("wpe", StringComparison.Ordinal));
        foreach (var p in m.Parameters.All)
            foreach (double v in p.Value.ToArray())
            {
                Assert.InRange(v, -0.5, 0.5);
                Assert.Equal(Math.Round(v * 20000), v * 20000, 9);
            }
        Assert.All(tok.Concat(tgt), t => Assert.InRange(t, 0, TorchReference.RotaryConfig.VocabSize - 1));
        Assert.True(tok.Distinct().Count() > 5, "tokens should vary");
    }

    [TorchFixtureFact]
    public void LossLogitsAndGradientsMatchPyTorch() => MatchesPyTorch(rotary: false);

    /// <summary>Rotary positions (no wpe) against PyTorch's rotate-half implementation.</summary>
    [TorchFixtureFact(rotary: true)]
    public void RotaryModelMatchesPyTorch() => MatchesPyTorch(rotary: true);

    /// <summary>The comparison can fail: one float32 gradient entry of PyTorch's file moved by 1e-3
    /// relative (10× the bound) fails that line and no other.</summary>
    [TorchFixtureFact]
    public void APerturbedGradientInTheFixtureFailsThatLineOnly()
    {
        var (tensors, meta) = Safetensors.Read(OutputPathFor(false));
        var t = tensors.Single(x => x.Name == "f32.grad.h.0.mlp.c_fc.weight");
        int k = Array.IndexOf(t.Data, t.Data.MaxBy(Math.Abs));
        t.Data[k] *= 1 + 1e-3;
        string path = Path.Combine(Path.GetTempPath(), $"nn-torch-perturbed-{Environment.ProcessId}.safetensors");
        try
        {
            File.WriteAllBytes(path, Safetensors.Serialize(tensors, meta));
            var failed = TorchReference.Compare(path).Where(r => !r.Pass).Select(r => r.Name).ToList();
            Assert.Equal(["pytorch f32 grad h.0.mlp.c_fc.weight"], failed);
        }
        finally { File.Delete(path); }
    }

    /// <summary>The device path of the live check (`nn check --device cuda --torch DIR`), here on the
    /// simulated accelerator: the model built on the device matches PyTorch within the same bounds.</summary>
    [TorchFixtureFact(rotary: true)]
    public void RotaryModelOnADeviceMatchesPyTorch()
    {
        var results = TorchReference.Compare(OutputPathFor(true), rotary: true, Reproduce.Tests.Compute.Simulated.HostAccelerator.Shared);
        Assert.NotEmpty(results);
        Assert.All(results, r => Assert.Contains(" on ", r.Name));
        var bad = results.Where(r => !r.Pass).Select(r => $"{r.Name}: {r.Detail}").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

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
