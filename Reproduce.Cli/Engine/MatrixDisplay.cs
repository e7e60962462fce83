using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Reproduce.Compute;

namespace Reproduce.Cli.Engine;

/// <summary>A <see cref="Matrix"/> as a table with its shape: text/html (a table) and text/plain
/// (aligned rows), both headed by "rows×cols dtype on device". At most <see cref="MaxShown"/>
/// rows and columns are shown (the first ones; "…" marks the rest). A matrix on a GPU shows its shape
/// only: reading it would be a silent device-to-host copy.</summary>
internal static class MatrixDisplay
{
    public const int MaxShown = 20;

    public static JsonObject Bundle(Matrix m)
    {
        string head = $"Matrix {m.ShapeText} on {m.Device.Name}";
        if (m.Device.Kind != DeviceKind.Cpu)
            return new JsonObject { ["text/plain"] = head + " (call ToCpu() to see its elements)" };
        int rows = Math.Min(m.Rows, MaxShown), cols = Math.Min(m.Cols, MaxShown);
        string[,] cells = new string[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                cells[i, j] = m[i, j].ToString("G6", CultureInfo.InvariantCulture);
        bool moreCols = cols < m.Cols, moreRows = rows < m.Rows;

        var text = new StringBuilder(head);
        var width = Enumerable.Range(0, cols).Select(j => Enumerable.Range(0, rows).Select(i => cells[i, j].Length).DefaultIfEmpty(1).Max()).ToArray();
        for (int i = 0; i < rows; i++)
        {
            text.Append('\n');
            text.AppendJoin("  ", Enumerable.Range(0, cols).Select(j => cells[i, j].PadLeft(width[j])));
            if (moreCols) text.Append("  …");
        }
        if (moreRows) text.Append("\n…");

        var html = new StringBuilder("<div><p><b>").Append(System.Net.WebUtility.HtmlEncode(head)).Append("</b></p><table>");
        for (int i = 0; i < rows; i++)
        {
            html.Append("<tr>");
            for (int j = 0; j < cols; j++) html.Append("<td>").Append(cells[i, j]).Append("</td>");
            if (moreCols) html.Append("<td>…</td>");
            html.Append("</tr>");
        }
        if (moreRows) html.Append("<tr><td>…</td></tr>");
        html.Append("</table></div>");
        return new JsonObject { ["text/html"] = html.ToString(), ["text/plain"] = text.ToString() };
    }
}
