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

/// <summary>CLI tests capture a verb's output with Console.SetOut, which is process-wide: two such tests
/// running at once steal each other's output (or restore the other's writer). They run one at a time, and
/// alone, so no other test's progress lines land in a captured writer either.</summary>
[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>Tests that measure the process's managed heap (GC.GetTotalMemory): other tests allocating at the same
/// time would show up as growth, so these run alone.</summary>
[CollectionDefinition("Heap", DisableParallelization = true)]
public sealed class HeapCollection;

/// <summary>Runs one CLI verb with the console captured (for tests in the "Console" collection).</summary>
public static class VerbRunner
{
    public static (int Code, string Out, string Err) Run(Reproduce.Cli.Verbs.ICliVerb verb, params string[] args)
    {
        var root = new System.CommandLine.RootCommand("test");
        root.Add(verb.Build());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o); Console.SetError(e);
        try { return (root.Parse(args).Invoke(), o.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }
}

/// <summary>Python's nbformat (Jupyter's reference implementation) as an oracle; tests that use it are
/// marked [RequiresFact(Part.Jupyter)] and skip with the install command where it is missing.</summary>
internal static class PythonNbformat
{
    /// <summary>Validates the notebook and returns the bytes nbformat itself writes for it.</summary>
    public static string ValidateAndRewrite(string path)
    {
        string dst = Path.Combine(TestPaths.NewTempDir(), "nbformat.ipynb");
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3",
            ["-c", "import sys,nbformat; nb=nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); nbformat.write(nb, sys.argv[2])", path, dst])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "nbformat rejected " + path + ":\n" + err);
        return File.ReadAllText(dst);
    }
}
