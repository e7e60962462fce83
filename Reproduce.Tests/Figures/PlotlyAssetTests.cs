using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Reproduce.Figures;

namespace Reproduce.Tests.Figures;

/// <summary>The plotly.js inside the library is the pinned release, byte for byte.</summary>
public class PlotlyAssetTests
{
    [Fact]
    public void TheEmbeddedBundleIsThePinnedPlotlyRelease()
    {
        using var s = typeof(PlotlyJs).Assembly.GetManifestResourceStream("Reproduce.Figures.plotly.min.js")!;
        // sha256 of plotly.min.js in the npm tarball plotly.js-dist-min@3.0.1 (Figures/Assets/README.md).
        Assert.Equal("a32e817bb121e9e89016ce4cee85ee3f1c66f6a6c95c4b53a5f488f77756d7a4", Convert.ToHexStringLower(SHA256.HashData(s)));
        Assert.StartsWith($"/**\n* plotly.js v{PlotlyJs.Version}\n", PlotlyJs.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void TheNpmPinNamesTheSameVersion()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Reproduce.sln"))) dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        var pkg = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "environment", "package.json")))!;
        Assert.Equal(PlotlyJs.Version, (string?)pkg["dependencies"]!["plotly.js-dist-min"]);
    }
}
