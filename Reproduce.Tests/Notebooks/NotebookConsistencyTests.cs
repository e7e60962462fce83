using System.Text.Json;
using System.Text.RegularExpressions;
using Reproduce.Experiments;

namespace Reproduce.Tests.Notebooks;

/// <summary>Every committed notebook is clean (no outputs), starts with the library reference and
/// the papermill parameters cell, and calls exactly the registered experiments of its paper — so
/// no figure id exists that its notebook forgets, and no notebook calls a method that is gone.</summary>
public partial class NotebookConsistencyTests
{
    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "notebooks"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("notebooks/ not found above the test folder.");
    }

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Path.Combine(Root(), "notebooks"), "*.ipynb").Order()) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NotebookIsCleanAndCallsEveryExperimentOfItsPaper(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root(), "notebooks", file)));
        var code = doc.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code").ToArray();
        Assert.All(code, c =>
        {
            Assert.Equal(JsonValueKind.Null, c.GetProperty("execution_count").ValueKind);
            Assert.Equal(0, c.GetProperty("outputs").GetArrayLength());
        });
        // nbformat allows a cell's source as one string or as a list of lines.
        static string Source(JsonElement c) => c.GetProperty("source") is { ValueKind: JsonValueKind.String } s
            ? s.GetString()!
            : string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString()));
        Assert.StartsWith("#r \"../artifacts/bin/Reproduce/release/Reproduce.dll\"", Source(code[0]));
        Assert.Contains("parameters", code[1].GetProperty("metadata").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        string paper = LeadingNumber().Replace(Path.GetFileNameWithoutExtension(file), "");
        var called = code.SelectMany(c => CallPattern().Matches(Source(c)))
            .SelectMany(m => ExperimentRegistry.All.Where(e => e.Method.DeclaringType!.Name == m.Groups[1].Value && e.Method.Name == m.Groups[2].Value))
            .Select(e => e.Id).ToHashSet();
        var registered = ExperimentRegistry.All.Where(e => e.Id.StartsWith(paper + "/", StringComparison.Ordinal)).Select(e => e.Id).ToHashSet();
        Assert.NotEmpty(registered);
        Assert.Equal(registered.Order(), called.Order());
    }

    [GeneratedRegex(@"(\w+Experiments)\.(\w+)\(")]
    private static partial Regex CallPattern();

    [GeneratedRegex(@"^\d+-")]
    private static partial Regex LeadingNumber();
}
