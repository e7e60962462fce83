namespace Reproduce.Figures;

/// <summary>Breaks a figure title into lines that fit the figure: plotly.js draws a title on one
/// line and cuts it at the figure's edges, so a long title lost its start and end.</summary>
internal static class TitleText
{
    /// <summary>Characters of plotly.js's 17 px title font that fit across a figure <paramref name="width"/>
    /// px wide, keeping 50 px clear at each side (an average glyph is about 9.5 px wide).</summary>
    internal static int CharactersPerLine(int width) => Math.Max(20, (int)((width - 100) / 9.5));

    /// <summary>Characters of an x-axis title (14 px font, about 7.5 px a glyph) that fit under one of
    /// <paramref name="columns"/> subplots of a figure <paramref name="width"/> px wide, after about 260 px of
    /// margins and legend.</summary>
    internal static int XAxisTitleCharacters(int width, int columns) => Math.Max(20, (int)((width - 260) / Math.Max(1, columns) / 7.5));

    /// <summary>Greedy word wrap at spaces; a word longer than a line stays whole on its own line.</summary>
    internal static IReadOnlyList<string> Wrap(string title, int perLine)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Length > 0 && current.Length + 1 + word.Length > perLine)
            {
                lines.Add(current);
                current = word;
            }
            else current = current.Length == 0 ? word : current + " " + word;
        }
        if (current.Length > 0 || lines.Count == 0) lines.Add(current);
        return lines;
    }
}
