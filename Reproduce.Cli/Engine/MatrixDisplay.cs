using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Cli.Engine;

/// <summary>A <see cref="Matrix"/> or a <see cref="SafetensorsTensor"/> as a table with its shape:
/// text/html (a table) and text/plain (aligned rows), both headed by the shape ("Matrix 3×4 F64 on
/// cpu", "Tensor 'w' F32 [2, 3, 4]"). At most <see cref="MaxShown"/> rows and columns are shown
/// (the first ones; "…" marks the rest). A tensor of rank 3 or more is shown as rows of its last
/// dimension, each labelled with the indices before it ("[1, 2]"). A matrix on a GPU shows its
/// shape only: reading it would be a silent device-to-host copy.</summary>
internal static class MatrixDisplay
{
    public const int MaxShown = 20;

    public static JsonObject Bundle(Matrix m)
    {
        string head = $"Matrix {m.ShapeText} on {m.Device.Name}";
        if (m.Device.Kind != DeviceKind.Cpu)
            return new JsonObject { ["text/plain"] = head + " (call ToCpu() to see its elements)" };
        return Table(head, m.Rows, m.Cols, (i, j) => m[i, j], rowLabel: null);
    }

    public static JsonObject Bundle(SafetensorsTensor t)
    {
        string head = $"Tensor '{t.Name}' {t.DType} {t.ShapeText}";
        int rank = t.Shape.Length;
        // Rank 0 and 1 are one row; otherwise rows of the last dimension (row-major order).
        int cols = rank == 0 ? 1 : t.Shape[^1];
        int rows = cols == 0 ? 0 : t.Data.Length / cols;
        Func<int, string>? label = rank <= 2 ? null : r => "[" + string.Join(", ", LeadingIndices(t.Shape, r)) + "]";
        return Table(head, rows, cols, (i, j) => t.Data[(long)i * cols + j], label);
    }

    /// <summary>The indices of the dimensions before the last for row <paramref name="row"/>.</summary>
    private static int[] LeadingIndices(int[] shape, int row)
    {
        var idx = new int[shape.Length - 1];
        for (int d = shape.Length - 2; d >= 0; d--)
        {
            idx[d] = row % shape[d];
            row /= shape[d];
        }
        return idx;
    }

    private static JsonObject Table(string head, int allRows, int allCols, Func<int, int, double> at, Func<int, string>? rowLabel)
    {
        int rows = Math.Min(allRows, MaxShown), cols = Math.Min(allCols, MaxShown);
        string[,] cells = new string[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                cells[i, j] = at(i, j).ToString("G6", CultureInfo.InvariantCulture);
        bool moreCols = cols < allCols, moreRows = rows < allRows;
        string[] labels = Enumerable.Range(0, rows).Select(i => rowLabel?.Invoke(i) ?? "").ToArray();
        int labelWidth = labels.Select(l => l.Length).DefaultIfEmpty(0).Max();

        var text = new StringBuilder(head);
        var width = Enumerable.Range(0, cols).Select(j => Enumerable.Range(0, rows).Select(i => cells[i, j].Length).DefaultIfEmpty(1).Max()).ToArray();
        for (int i = 0; i < rows; i++)
        {
            text.Append('\n');
            if (rowLabel is not null) text.Append(labels[i].PadRight(labelWidth)).Append("  ");
            text.AppendJoin("  ", Enumerable.Range(0, cols).Select(j => cells[i, j].PadLeft(width[j])));
            if (moreCols) text.Append("  …");
        }
        if (moreRows) text.Append("\n…");

        var html = new StringBuilder("<div><p><b>").Append(System.Net.WebUtility.HtmlEncode(head)).Append("</b></p><table>");
        for (int i = 0; i < rows; i++)
        {
            html.Append("<tr>");
            if (rowLabel is not null) html.Append("<th>").Append(labels[i]).Append("</th>");
            for (int j = 0; j < cols; j++) html.Append("<td>").Append(cells[i, j]).Append("</td>");
            if (moreCols) html.Append("<td>…</td>");
            html.Append("</tr>");
        }
        if (moreRows) html.Append("<tr><td>…</td></tr>");
        html.Append("</table></div>");
        return new JsonObject { ["text/html"] = html.ToString(), ["text/plain"] = text.ToString() };
    }
}
