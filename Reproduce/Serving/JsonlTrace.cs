using System.Globalization;
using System.Text;
using System.Text.Json;
using Reproduce.Compute;

namespace Reproduce.Serving;

/// <summary>JSONL query traces. Input, one JSON object per line (blank lines and lines starting
/// with '#' are skipped): <c>{"arrival": 0.25, "tokens": [1, 2, 3]}</c> or, with prefix-group ids,
/// <c>{"arrival": 0.25, "segments": [{"id": "instr", "length": 100}, {"id": "user7", "length": 700}, {"length": 200}]}</c>
/// where segments with the same id expand to the same tokens and a segment without id gets fresh
/// tokens; optional "id" (int), "group" (int), "output_tokens" (int ≥ 1). Arrivals must be finite,
/// ≥ 0 and non-decreasing. Output: one line per query with id, arrival, start, finish, ttft,
/// length and matched (cached prefix tokens).</summary>
public static class JsonlTrace
{
    /// <summary>Parses a trace from text lines; <paramref name="seed"/> fixes the tokens of segments.</summary>
    public static Query[] Read(IEnumerable<string> lines, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rng = new Rng(seed);
        var fresh = rng.Fork("fresh");
        var named = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var list = new List<Query>();
        int lineNo = 0;
        double prev = 0;
        foreach (var raw in lines)
        {
            lineNo++;
            var text = raw.Trim();
            if (text.Length == 0 || text[0] == '#') continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(text); }
            catch (JsonException e) { throw new TraceFormatException(lineNo, $"not valid JSON ({e.Message}). Each line must be one JSON object such as {{\"arrival\": 0.1, \"tokens\": [1,2,3]}}."); }
            using (doc)
            {
                var o = doc.RootElement;
                if (o.ValueKind != JsonValueKind.Object) throw new TraceFormatException(lineNo, "expected a JSON object.");
                if (!o.TryGetProperty("arrival", out var a) || a.ValueKind != JsonValueKind.Number)
                    throw new TraceFormatException(lineNo, "missing numeric \"arrival\" (seconds).");
                double arrival = a.GetDouble();
                if (!double.IsFinite(arrival) || arrival < 0) throw new TraceFormatException(lineNo, $"arrival {arrival.ToString(CultureInfo.InvariantCulture)} is negative or not finite; use seconds >= 0.");
                if (arrival < prev) throw new TraceFormatException(lineNo, $"arrival {arrival.ToString(CultureInfo.InvariantCulture)} is earlier than the previous line's {prev.ToString(CultureInfo.InvariantCulture)}; sort the trace by arrival.");
                prev = arrival;
                int[] tokens;
                bool hasTokens = o.TryGetProperty("tokens", out var tk), hasSegments = o.TryGetProperty("segments", out var sg);
                if (hasTokens == hasSegments) throw new TraceFormatException(lineNo, "give exactly one of \"tokens\" (array of ints) or \"segments\" (array of {id, length}).");
                if (hasTokens)
                {
                    if (tk.ValueKind != JsonValueKind.Array) throw new TraceFormatException(lineNo, "\"tokens\" must be an array of integers.");
                    tokens = new int[tk.GetArrayLength()];
                    int j = 0;
                    foreach (var e in tk.EnumerateArray())
                    {
                        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out tokens[j])) throw new TraceFormatException(lineNo, $"token {j} is not a 32-bit integer.");
                        j++;
                    }
                }
                else
                {
                    if (sg.ValueKind != JsonValueKind.Array) throw new TraceFormatException(lineNo, "\"segments\" must be an array of {\"id\", \"length\"} objects.");
                    var parts = new List<int[]>();
                    foreach (var s in sg.EnumerateArray())
                    {
                        if (s.ValueKind != JsonValueKind.Object || !s.TryGetProperty("length", out var len) || !len.TryGetInt32(out int n) || n < 0)
                            throw new TraceFormatException(lineNo, "each segment needs a non-negative integer \"length\".");
                        if (s.TryGetProperty("id", out var sid))
                        {
                            string key = sid.ValueKind == JsonValueKind.String ? sid.GetString()! : sid.GetRawText();
                            if (named.TryGetValue(key, out var seg))
                            {
                                if (seg.Length != n) throw new TraceFormatException(lineNo, $"segment '{key}' had length {seg.Length} earlier but {n} here; a segment id must keep its length.");
                            }
                            else named[key] = seg = ServingWorkloads.Segment(rng.Fork("segment/" + key), n);
                            parts.Add(seg);
                        }
                        else parts.Add(ServingWorkloads.Segment(fresh, n));
                    }
                    tokens = parts.SelectMany(p => p).ToArray();
                }
                int id = ReadInt(o, "id", list.Count, lineNo);
                int group = ReadInt(o, "group", 0, lineNo);
                int output = ReadInt(o, "output_tokens", 1, lineNo);
                if (output < 1) throw new TraceFormatException(lineNo, $"output_tokens {output} must be >= 1.");
                list.Add(new Query(id, arrival, tokens, group, output));
            }
        }
        return [.. list];
    }

    private static int ReadInt(JsonElement o, string name, int fallback, int lineNo)
    {
        if (!o.TryGetProperty(name, out var v)) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int x)) throw new TraceFormatException(lineNo, $"\"{name}\" must be an integer.");
        return x;
    }

    /// <summary>Reads a trace file.</summary>
    public static Query[] ReadFile(string path, ulong seed = 1)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Trace file '{path}' does not exist.", path);
        return Read(File.ReadLines(path), seed);
    }

    /// <summary>Writes queries as token-level trace lines.</summary>
    public static void Write(TextWriter writer, IEnumerable<Query> queries)
    {
        foreach (var q in queries)
        {
            var sb = new StringBuilder();
            sb.Append("{\"id\":").Append(q.Id.ToString(CultureInfo.InvariantCulture))
              .Append(",\"arrival\":").Append(q.Arrival.ToString("R", CultureInfo.InvariantCulture))
              .Append(",\"group\":").Append(q.Group.ToString(CultureInfo.InvariantCulture))
              .Append(",\"output_tokens\":").Append(q.OutputTokens.ToString(CultureInfo.InvariantCulture))
              .Append(",\"tokens\":[").AppendJoin(',', q.Tokens).Append("]}");
            writer.WriteLine(sb.ToString());
        }
    }

    /// <summary>Writes per-query results (id, arrival, start, finish, ttft, length, matched).</summary>
    public static void WriteResults(TextWriter writer, SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var r in result.Records)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"id\":{r.Id},\"arrival\":{r.Arrival:R},\"start\":{r.Start:R},\"finish\":{r.Finish:R},\"ttft\":{r.Ttft:R},\"length\":{r.Length},\"matched\":{r.Matched}}}"));
        }
    }
}
