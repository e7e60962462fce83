using System.Diagnostics;
using Reproduce.Cli.Runner;

namespace Reproduce.Tests.Runner;

/// <summary>REPORT.md's commit column: a checkout whose only changes are figure outputs is clean; a source change is dirty.</summary>
public class GitInfoTests
{
    private static void Git(string dir, string args)
    {
        var psi = new ProcessStartInfo("git", args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd(); string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"git {args}: {err}");
    }

    [Fact]
    public void FigureOutputsDoNotMakeTheTreeDirtyButSourcesDo()
    {
        var dir = Directory.CreateTempSubdirectory("gitinfo").FullName;
        try
        {
            Git(dir, "init -q");
            Directory.CreateDirectory(Path.Combine(dir, "figures"));
            File.WriteAllText(Path.Combine(dir, "figures", "REPORT.md"), "a\n");
            File.WriteAllText(Path.Combine(dir, "Solver.cs"), "class A {}\n");
            Git(dir, "add -A");
            Git(dir, "-c user.name=t -c user.email=t@t commit -qm init");
            string head = GitInfo.Commit(dir);
            Assert.Matches("^[0-9a-f]{10}$", head);

            File.WriteAllText(Path.Combine(dir, "figures", "REPORT.md"), "b\n");
            Assert.Equal(head, GitInfo.Commit(dir));

            File.WriteAllText(Path.Combine(dir, "Solver.cs"), "class B {}\n");
            Assert.Equal(head + "+dirty", GitInfo.Commit(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void OutsideARepositoryTheCommitIsUnknown()
    {
        var dir = Directory.CreateTempSubdirectory("gitinfo-none").FullName;
        try { Assert.Equal("unknown", GitInfo.Commit(dir)); }
        finally { Directory.Delete(dir); }
    }
}
