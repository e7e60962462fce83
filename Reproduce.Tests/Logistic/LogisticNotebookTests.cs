using System.Text.Json;
using System.Text.RegularExpressions;
using Reproduce.Logistic;

namespace Reproduce.Tests.Logistic;

public partial class LogisticNotebookTests
{
    private static string NotebookPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "notebooks", "logistic-complexity.ipynb"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new FileNotFoundException("notebooks/logistic-complexity.ipynb not found above the test folder."), "notebooks", "logistic-complexity.ipynb");
    }

    [Fact]
    public void NotebookIsCleanAndCallsExistingExperiments()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(NotebookPath()));
        var cells = doc.RootElement.GetProperty("cells").EnumerateArray().ToArray();
        var code = cells.Where(c => c.GetProperty("cell_type").GetString() == "code").ToArray();
        Assert.All(code, c =>
        {
            Assert.Equal(JsonValueKind.Null, c.GetProperty("execution_count").ValueKind);
            Assert.Equal(0, c.GetProperty("outputs").GetArrayLength());
        });
        string Source(JsonElement c) => string.Concat(c.GetProperty("source").EnumerateArray().Select(s => s.GetString()));
        Assert.StartsWith("#r \"../artifacts/bin/Reproduce/release/Reproduce.dll\"", Source(code[0]));
        Assert.Contains("parameters", code[1].GetProperty("metadata").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var calls = code.SelectMany(c => CallPattern().Matches(Source(c)).Select(m => m.Groups[1].Value)).ToArray();
        var experiments = typeof(LogisticExperiments).GetMethods().Where(m => m.GetCustomAttributes(typeof(Reproduce.Experiments.ExperimentAttribute), false).Length > 0).Select(m => m.Name).ToHashSet();
        Assert.Equal(experiments.Order(), calls.Order());
    }

    [GeneratedRegex(@"LogisticExperiments\.(\w+)\(ctx\)")]
    private static partial Regex CallPattern();
}
