using System.Diagnostics;

namespace Reproduce.Cli.Runner;

/// <summary>The current git commit (short hash, "+dirty" when the tree has changes), or "unknown".</summary>
public static class GitInfo
{
    /// <summary>Short commit of the repository at <paramref name="root"/>.</summary>
    public static string Commit(string root)
    {
        string? head = Git(root, "rev-parse --short=10 HEAD");
        if (head is null) return "unknown";
        string? status = Git(root, "status --porcelain --untracked-files=no");
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
