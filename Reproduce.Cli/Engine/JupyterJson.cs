using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reproduce.Cli.Engine;

/// <summary>Reads and writes JSON the way Jupyter (Python's <c>json.dumps(nb, indent=1,
/// ensure_ascii=False)</c> plus a trailing newline) does, so an unchanged notebook round-trips
/// byte for byte: key order as read, one-space indent, ", " / ": " separators, non-ASCII
/// characters written as themselves, control characters as \uXXXX, numbers as their original text.</summary>
public static class JupyterJson
{
    /// <summary>Parses text; malformed JSON gets a <see cref="NotebookFormatException"/> naming the file, line and position.</summary>
    public static JsonNode Parse(string text, string fileName)
    {
        try
        {
            var node = JsonNode.Parse(text, new JsonNodeOptions { PropertyNameCaseInsensitive = false },
                new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            return node ?? throw new NotebookFormatException($"{fileName}: the file is JSON 'null', not a notebook.");
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1, col = (e.BytePositionInLine ?? 0) + 1;
            throw new NotebookFormatException(
                $"{fileName}: malformed notebook JSON at line {line}, position {col}: {FirstSentence(e.Message)} " +
                "Fix the JSON (or restore the file from git) and run again.");
        }
    }

    /// <summary>Serializes like Jupyter: indent 1, ensure_ascii=False, trailing newline.</summary>
    public static string Write(JsonNode node)
    {
        var sb = new StringBuilder();
        WriteNode(sb, node, 0);
        sb.Append('\n');
        return sb.ToString();
    }

    private static string FirstSentence(string m)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            int i = m.IndexOf(marker, StringComparison.Ordinal);
            if (i > 0) m = m[..i];
        }
        return m.TrimEnd();
    }

    private static void Indent(StringBuilder sb, int level) => sb.Append('\n').Append(' ', level);

    private static void WriteNode(StringBuilder sb, JsonNode? node, int level)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                if (o.Count == 0) { sb.Append("{}"); break; }
                sb.Append('{');
                bool first = true;
                foreach (var (key, value) in o)
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Indent(sb, level + 1);
                    WriteString(sb, key);
                    sb.Append(": ");
                    WriteNode(sb, value, level + 1);
                }
                Indent(sb, level);
                sb.Append('}');
                break;
            case JsonArray a:
                if (a.Count == 0) { sb.Append("[]"); break; }
                sb.Append('[');
                for (int i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Indent(sb, level + 1);
                    WriteNode(sb, a[i], level + 1);
                }
                Indent(sb, level);
                sb.Append(']');
                break;
            case JsonValue v:
                WriteValue(sb, v);
                break;
        }
    }

    private static void WriteValue(StringBuilder sb, JsonValue v)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(sb, v.GetValue<string>());
                break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            case JsonValueKind.Null: sb.Append("null"); break;
            case JsonValueKind.Number:
                if (v.TryGetValue<JsonElement>(out var el)) { sb.Append(el.GetRawText()); break; }
                if (v.TryGetValue<int>(out var i)) { sb.Append(i.ToString(CultureInfo.InvariantCulture)); break; }
                if (v.TryGetValue<long>(out var l)) { sb.Append(l.ToString(CultureInfo.InvariantCulture)); break; }
                if (v.TryGetValue<double>(out var d)) { sb.Append(PythonFloat(d)); break; }
                sb.Append(v.ToJsonString());
                break;
            default:
                sb.Append(v.ToJsonString());
                break;
        }
    }

    /// <summary>Python's repr of a float: the shortest round-trip digits, written positionally when
    /// the decimal exponent is in [-4, 16), else as d.ddde±XX; always with a '.' or an exponent.</summary>
    internal static string PythonFloat(double d)
    {
        if (!double.IsFinite(d)) return double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
        string sign = d < 0 || (d == 0 && double.IsNegative(d)) ? "-" : "";
        if (d == 0) return sign + "0.0";
        string r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        string digits;
        int decpt; // position of the decimal point relative to the digits (value = 0.DIGITS × 10^decpt)
        int e = r.IndexOf('E');
        string mant = e >= 0 ? r[..e] : r;
        int exp = e >= 0 ? int.Parse(r[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        int dot = mant.IndexOf('.');
        string intPart = dot >= 0 ? mant[..dot] : mant, frac = dot >= 0 ? mant[(dot + 1)..] : "";
        digits = intPart + frac;
        decpt = intPart.Length + exp;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..];
        decpt -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        if (decpt > -4 && decpt <= 16)
        {
            if (decpt <= 0) return sign + "0." + new string('0', -decpt) + digits;
            if (decpt >= digits.Length) return sign + digits + new string('0', decpt - digits.Length) + ".0";
            return sign + digits[..decpt] + "." + digits[decpt..];
        }
        int x = decpt - 1;
        string m = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
        return sign + m + "e" + (x < 0 ? "-" : "+") + Math.Abs(x).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>A JSON string literal as Python writes it with ensure_ascii=False.</summary>
    internal static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
