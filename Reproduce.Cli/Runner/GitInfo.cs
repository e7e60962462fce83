using System.Diagnostics;

namespace Reproduce.Cli.Runner;

/// <summary>The current git commit (short hash, "+dirty" when tracked sources have changes), or "unknown".</summary>
public static class GitInfo
{
    /// <summary>Overrides the commit for copies of a checkout whose .git is absent or not the source of truth (a tree
    /// copied to a GPU machine): set it to the commit the copy was made from.</summary>
    public const string CommitVariable = "REPRODUCE_COMMIT";

    /// <summary>Short commit of the repository at <paramref name="root"/>. Changes under figures/ do not count as dirty:
    /// they are this command's own outputs (a paper-scale run rewrites them figure by figure).</summary>
    public static string Commit(string root)
    {
        if (Environment.GetEnvironmentVariable(CommitVariable) is { Length: > 0 } given) return given.Trim();
        string? head = Git(root, "rev-parse --short=10 HEAD");
        if (head is null) return "unknown";
        string? status = Git(root, "status --porcelain --untracked-files=no -- . :(exclude)figures");
        return string.IsNullOrWhiteSpace(status) ? head : head + "+dirty";
    }

    private static string? Git(string root, string args)
    {
        try
        {
            var psi = new ProcessStartInfo("git", args)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi);
            if (p is null) return null;
            string o = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            if (!p.WaitForExit(10_000) || p.ExitCode != 0) return null;
            return o.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
