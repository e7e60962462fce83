using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;

namespace Reproduce.Cli.Engine;

/// <summary>A Microsoft.Data.Analysis <c>DataFrame</c> (<c>#r "nuget: Microsoft.Data.Analysis"</c>) as an
/// HTML table (row index, then one column per DataFrame column) headed by its shape, with a
/// tab-separated text/plain; the first <see cref="MaxRows"/> rows. Read by reflection: the kernel
/// does not depend on the package.</summary>
internal static class DataFrameDisplay
{
    public const int MaxRows = 20;

    public static JsonObject? TryBundle(object value)
    {
        if (!Derives(value.GetType(), "Microsoft.Data.Analysis.DataFrame")) return null;
        var columns = ((IEnumerable)value.GetType().GetProperty("Columns")!.GetValue(value)!).Cast<object>().ToList();
        if (columns.Count == 0) return new JsonObject { ["text/plain"] = "DataFrame: 0 rows × 0 columns" };
        var columnType = columns[0].GetType();
        while (columnType.FullName != "Microsoft.Data.Analysis.DataFrameColumn") columnType = columnType.BaseType!;
        var name = columnType.GetProperty("Name")!;
        var length = columnType.GetProperty("Length")!;
        var item = columnType.GetProperties().Single(p => p.Name == "Item" && p.GetIndexParameters() is [{ ParameterType: var t }] && t == typeof(long));
        long rows = (long)length.GetValue(columns[0])!;
        int shown = (int)Math.Min(rows, MaxRows);
        string head = $"DataFrame: {rows} rows × {columns.Count} columns";
        var names = columns.Select(c => (string)name.GetValue(c)!).ToList();
        var cells = columns.Select(c => Enumerable.Range(0, shown).Select(i => Text(item.GetValue(c, [(long)i]))).ToList()).ToList();

        var html = new StringBuilder("<div><p><b>").Append(WebUtility.HtmlEncode(head)).Append("</b></p><table><thead><tr><th></th>");
        foreach (var n in names) html.Append("<th>").Append(WebUtility.HtmlEncode(n)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        var text = new StringBuilder(head).Append('\n').Append('\t').AppendJoin('\t', names);
        for (int i = 0; i < shown; i++)
        {
            html.Append("<tr><td>").Append(i).Append("</td>");
            foreach (var col in cells) html.Append("<td>").Append(WebUtility.HtmlEncode(col[i])).Append("</td>");
            html.Append("</tr>");
            text.Append('\n').Append(i).Append('\t').AppendJoin('\t', cells.Select(col => col[i]));
        }
        if (shown < rows)
        {
            html.Append("<tr><td>…</td></tr>");
            text.Append("\n…");
        }
        html.Append("</tbody></table></div>");
        return new JsonObject { ["text/html"] = html.ToString(), ["text/plain"] = text.ToString() };
    }

    private static string Text(object? v) => v switch
    {
        null => "null",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static bool Derives(Type? t, string fullName)
    {
        for (; t is not null; t = t.BaseType) if (t.FullName == fullName) return true;
        return false;
    }
}
