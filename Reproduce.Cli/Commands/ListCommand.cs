using System.CommandLine;
using System.Text.RegularExpressions;
using Reproduce.Cli.Engine;
using Reproduce.Experiments;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce list</c>: the notebooks and every registered figure id.</summary>
public static partial class ListCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(TextWriter output)
    {
        var cmd = new Command("list", "List the notebooks (notebooks/*.ipynb) and every figure id that 'reproduce figure <id>' can regenerate.");
        cmd.SetAction(_ =>
        {
            string? root = RepoLocator.FindRoot(Environment.CurrentDirectory);
            output.WriteLine("Notebooks:");
            var notebooks = root is null ? [] : RepoLocator.Notebooks(root);
            if (notebooks.Count == 0) output.WriteLine("  (none found; run from the repository)");
            foreach (var nb in notebooks)
            {
                var ids = FigureIdsIn(nb);
                output.WriteLine($"  {Path.GetRelativePath(root!, nb)}" + (ids.Count > 0 ? "  — " + string.Join(", ", ids) : ""));
            }
            output.WriteLine();
            output.WriteLine("Figures (reproduce figure <id>):");
            if (ExperimentRegistry.All.Count == 0) output.WriteLine("  (none registered)");
            int w = ExperimentRegistry.All.Count == 0 ? 0 : ExperimentRegistry.All.Max(e => e.Id.Length);
            foreach (var e in ExperimentRegistry.All) output.WriteLine($"  {e.Id.PadRight(w)}  {e.Title}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Figure ids a notebook's code mentions: calls of registered experiment methods.</summary>
    internal static IReadOnlyList<string> FigureIdsIn(string notebookPath)
    {
        string code;
        try
        {
            var nb = Notebook.Load(notebookPath);
            code = string.Join("\n", nb.Cells.OfType<System.Text.Json.Nodes.JsonObject>().Where(c => Notebook.CellType(c) == "code").Select(Notebook.Source));
        }
        catch (NotebookFormatException)
        {
            return ["(unreadable notebook)"];
        }
        var calls = MethodCall().Matches(code).Select(m => m.Groups[1].Value + "." + m.Groups[2].Value).ToHashSet(StringComparer.Ordinal);
        return ExperimentRegistry.All.Where(e => calls.Contains(e.Method.DeclaringType!.Name + "." + e.Method.Name)).Select(e => e.Id).ToArray();
    }

    [GeneratedRegex(@"\b([A-Z][A-Za-z0-9_]*)\.([A-Z][A-Za-z0-9_]*)\s*\(")]
    private static partial Regex MethodCall();
}
