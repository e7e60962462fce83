using System.Globalization;
using System.Net;
using System.Text;
using CsvHelper;

namespace Reproduce.Figures;

/// <summary>Tidy data: named columns, one row per observation. Cells are numbers (double, int,
/// long), strings or booleans. Renders to CSV (CsvHelper), Markdown and HTML.</summary>
public sealed class Table
{
    private readonly List<object?[]> _rows = [];

    /// <summary>Creates an empty table with the given column names.</summary>
    public Table(params string[] columns)
    {
        if (columns.Length == 0) throw new ArgumentException("A table needs at least one column.", nameof(columns));
        var dup = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"Column '{dup.Key}' appears twice.", nameof(columns));
        Columns = columns;
    }

    /// <summary>Column names.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount => _rows.Count;

    /// <summary>Row i as stored.</summary>
    public IReadOnlyList<object?> Row(int i) => _rows[i];

    /// <summary>Appends a row; the value count must match the column count.</summary>
    public Table Add(params object?[] values)
    {
        if (values.Length != Columns.Count)
            throw new ArgumentException($"Row has {values.Length} values but the table has {Columns.Count} columns ({string.Join(", ", Columns)}).");
        _rows.Add(values);
        return this;
    }

    /// <summary>Index of a column by name, with a helpful error.</summary>
    public int IndexOf(string column)
    {
        for (int i = 0; i < Columns.Count; i++) if (Columns[i] == column) return i;
        throw new KeyNotFoundException($"No column '{column}'. Columns: {string.Join(", ", Columns)}.");
    }

    /// <summary>A column as doubles.</summary>
    public double[] Numbers(string column)
    {
        int j = IndexOf(column);
        return _rows.Select(r => Convert.ToDouble(r[j], CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>A column as strings.</summary>
    public string[] Strings(string column)
    {
        int j = IndexOf(column);
        return _rows.Select(r => Format(r[j])).ToArray();
    }

    /// <summary>Rows where <paramref name="column"/> equals <paramref name="value"/> (compared as text).</summary>
    public Table Where(string column, object value)
    {
        int j = IndexOf(column);
        string v = Format(value);
        var t = new Table([.. Columns]);
        foreach (var r in _rows) if (Format(r[j]) == v) t._rows.Add(r);
        return t;
    }

    /// <summary>RFC 4180 CSV with a header row, invariant culture, round-trip doubles.</summary>
    public string ToCsv()
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        var options = new CsvWriterOptions { FormatProvider = CultureInfo.InvariantCulture, NewLine = "\n", Injection = CsvInjection.None };
        using (var csv = CsvWriter.Create(sw, options, leaveOpen: true))
        {
            foreach (var c in Columns) csv.WriteField(c);
            csv.EndRecord();
            foreach (var r in _rows)
            {
                foreach (var v in r) csv.WriteField(FormatExact(v));
                csv.EndRecord();
            }
        }
        return sw.ToString();
    }

    /// <summary>GitHub-flavoured Markdown table (numbers to 6 significant digits).</summary>
    public string ToMarkdown(int maxRows = 200)
    {
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", Columns.Select(EscapeMd))).AppendLine(" |");
        sb.Append('|').Append(string.Concat(Columns.Select(_ => "---|"))).AppendLine();
        foreach (var r in _rows.Take(maxRows))
            sb.Append("| ").Append(string.Join(" | ", r.Select(v => EscapeMd(Format(v))))).AppendLine(" |");
        if (_rows.Count > maxRows) sb.AppendLine($"\n({_rows.Count - maxRows} more rows)");
        return sb.ToString();
    }

    /// <summary>An HTML table (numbers to 6 significant digits).</summary>
    public string ToHtml(int maxRows = 200)
    {
        var sb = new StringBuilder("<table>\n<thead><tr>");
        foreach (var c in Columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var r in _rows.Take(maxRows))
        {
            sb.Append("<tr>");
            foreach (var v in r) sb.Append("<td>").Append(WebUtility.HtmlEncode(Format(v))).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table>");
        if (_rows.Count > maxRows) sb.Append($"\n<p>({_rows.Count - maxRows} more rows)</p>");
        return sb.ToString();
    }

    /// <summary>Plain text (fixed-width columns).</summary>
    public override string ToString()
    {
        var cells = new List<string[]> { Columns.ToArray() };
        cells.AddRange(_rows.Take(50).Select(r => r.Select(Format).ToArray()));
        var widths = Enumerable.Range(0, Columns.Count).Select(j => cells.Max(c => c[j].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (var c in cells) sb.AppendLine(string.Join("  ", c.Select((s, j) => s.PadLeft(widths[j]))).TrimEnd());
        if (_rows.Count > 50) sb.AppendLine($"({_rows.Count - 50} more rows)");
        return sb.ToString();
    }

    internal static string Format(object? v) => v switch
    {
        null => "",
        double d => double.IsNaN(d) ? "NaN" : d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    private static string FormatExact(object? v) => v switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        _ => Format(v),
    };

    private static string EscapeMd(string s) => s.Replace("|", "\\|");
}
