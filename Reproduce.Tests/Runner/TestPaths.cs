namespace Reproduce.Tests.Runner;

/// <summary>Paths of committed test notebooks and fresh temporary folders.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Notebook(string name) => Path.Combine(RepoRoot, "Reproduce.Tests", "Runner", "Notebooks", name);

    public static string NewTempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "reproduce-tests-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(d);
        return d;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Reproduce.sln"))) return d.FullName;
        throw new InvalidOperationException("Tests must run inside the repository (Reproduce.sln not found above " + AppContext.BaseDirectory + ").");
    }
}

/// <summary>Runner tests swap Console.Out while cells run and set REPRODUCE_OUTPUT_DIR: run them one at a time.</summary>
[CollectionDefinition("Runner", DisableParallelization = true)]
public sealed class RunnerCollection;
