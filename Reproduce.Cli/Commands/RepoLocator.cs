namespace Reproduce.Cli.Commands;

/// <summary>Finds the repository root (the folder holding Reproduce.sln) and its notebooks.</summary>
public static class RepoLocator
{
    /// <summary>The nearest folder at or above <paramref name="start"/> that holds Reproduce.sln, or null.</summary>
    public static string? FindRoot(string start)
    {
        for (var d = new DirectoryInfo(Path.GetFullPath(start)); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Reproduce.sln"))) return d.FullName;
        return null;
    }

    /// <summary>Every notebooks/*.ipynb under the root, in file-name order.</summary>
    public static IReadOnlyList<string> Notebooks(string root)
    {
        string dir = Path.Combine(root, "notebooks");
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, "*.ipynb").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToArray();
    }
}
