using System.Text;

namespace Reproduce.Cli.Engine;

/// <summary>.NET Interactive's magic commands at the top of a cell (lines starting with <c>#!</c>):
/// <c>#!csharp</c> (also <c>#!c#</c>, <c>#!C#</c>: the cell is C#, nothing to do), <c>#!markdown</c>
/// (the rest of the cell is shown as Markdown), <c>#!time</c> (the cell's wall time is printed after
/// it), <c>#!about</c> (what runs the cell). Any other magic is an error that names the supported
/// ones. Magic lines are replaced by empty lines, so line numbers in errors stay those of the cell.</summary>
internal static class CellMagics
{
    public static readonly string[] Supported = ["#!csharp", "#!c#", "#!C#", "#!markdown", "#!time", "#!about"];

    /// <summary>The magics of a cell and its code with the magic lines blanked.</summary>
    public sealed record Parsed(IReadOnlyList<string> Magics, string Code)
    {
        public bool Has(string magic) => Magics.Contains(magic, StringComparer.Ordinal);

        public string? Unknown => Magics.FirstOrDefault(m => !Supported.Contains(m, StringComparer.Ordinal));
    }

    /// <summary>Leading lines (after blank ones) that start with <c>#!</c> are magics; the first
    /// word of each names it.</summary>
    public static Parsed Parse(string code)
    {
        var lines = code.Split('\n');
        var magics = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            string t = lines[i].Trim();
            if (t.Length == 0) continue;
            if (!t.StartsWith("#!", StringComparison.Ordinal)) break;
            magics.Add(t.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0]);
            lines[i] = lines[i].EndsWith('\r') ? "\r" : "";
        }
        return new Parsed(magics, magics.Count == 0 ? code : string.Join('\n', lines));
    }

    /// <summary>The error for an unknown magic.</summary>
    public static ErrorOutput UnknownMagic(string magic, string cellLabel)
    {
        string msg = $"{cellLabel}: unknown magic command '{magic}'. This kernel runs C# only; it supports {string.Join(", ", Supported)}. " +
            "Remove the line (a cell for another .NET Interactive language, e.g. #!fsharp or #!pwsh, cannot run here).";
        return new ErrorOutput("UnknownMagicCommand", msg, [msg]);
    }

    /// <summary>What #!about shows.</summary>
    public static string About()
    {
        var sb = new StringBuilder();
        sb.Append("Reproduce C# kernel ").Append(typeof(CellMagics).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        sb.Append(" on .NET ").Append(Environment.Version).Append(" (Roslyn scripting; cells run with the engine of `reproduce run`).\n");
        sb.Append("A maintained successor to .NET Interactive's C# kernel: ");
        sb.Append("magics ").Append(string.Join(", ", Supported)).Append("; display(x), clear_output().\n");
        return sb.ToString();
    }
}
