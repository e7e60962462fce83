using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Reproduce.Cli.Kernel;

/// <summary>The input history behind history_request (tail, range, search), kept on disk so a
/// later kernel (a later notebook session) can reach earlier sessions, as IPython's history does.
/// Each kernel process is one session, numbered 1, 2, ... and stored as
/// <c>&lt;folder&gt;/&lt;session&gt;.jsonl</c>, one JSON line per executed cell:
/// <c>{"line": execution count, "input": code, "output": text/plain result or null}</c>.
/// The folder is <c>REPRODUCE_KERNEL_HISTORY</c> or <c>$XDG_DATA_HOME/reproduce/kernel-history</c>
/// (<c>~/.local/share/...</c>); when it cannot be written the history lives in memory only.</summary>
internal sealed class KernelHistory
{
    /// <summary>Session files kept; older ones are deleted when a session starts.</summary>
    public const int SessionsKept = 200;

    private readonly Lock gate = new();
    private readonly string? folder;
    private readonly List<Entry> current = [];

    private sealed record Entry(int Session, int Line, string Input, string? Output);

    /// <summary>This kernel's session number (1 + the highest stored).</summary>
    public int Session { get; }

    /// <summary>Where the history is stored (null: memory only), for the log.</summary>
    public string? Folder => folder;

    public KernelHistory(string? folderOverride, TextWriter log)
    {
        string dir = folderOverride ?? DefaultFolder();
        try
        {
            Directory.CreateDirectory(dir);
            for (int attempt = 0; ; attempt++)
            {
                int next = StoredSessions(dir).DefaultIfEmpty(0).Max() + 1;
                try
                {
                    // CreateNew: two kernels starting together cannot take the same number.
                    using (new FileStream(SessionFile(dir, next), FileMode.CreateNew, FileAccess.Write)) { }
                    Session = next;
                    break;
                }
                catch (IOException) when (attempt < 20) { }
            }
            folder = dir;
            foreach (int old in StoredSessions(dir).OrderByDescending(s => s).Skip(SessionsKept))
                File.Delete(SessionFile(dir, old));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"[reproduce kernel] warning: history kept in memory only ({dir} is not writable: {e.Message}); set REPRODUCE_KERNEL_HISTORY to a writable folder.");
            folder = null;
            Session = 1;
        }
    }

    private static string DefaultFolder()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        string data = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(data, "reproduce", "kernel-history");
    }

    private static string SessionFile(string dir, int session) => Path.Combine(dir, session.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".jsonl");

    private static IEnumerable<int> StoredSessions(string dir) =>
        Directory.EnumerateFiles(dir, "*.jsonl")
            .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : 0)
            .Where(n => n > 0);

    /// <summary>Records an executed cell (execution count <paramref name="line"/>).</summary>
    public void Add(int line, string input, string? output)
    {
        lock (gate)
        {
            current.Add(new Entry(Session, line, input, output));
            if (folder is null) return;
            var json = new JsonObject { ["line"] = line, ["input"] = input, ["output"] = output };
            try
            {
                File.AppendAllText(SessionFile(folder, Session), json.ToJsonString() + "\n", Encoding.UTF8);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The in-memory history still answers for this session.
            }
        }
    }

    /// <summary>history_reply content for a history_request's content.</summary>
    public JsonObject Reply(JsonObject request)
    {
        bool output = request["output"]?.GetValue<bool>() ?? false;
        string type = request["hist_access_type"]?.GetValue<string>() ?? "tail";
        IEnumerable<Entry> entries = type switch
        {
            "tail" => Tail(Int(request, "n") ?? 10),
            "range" => Range(Int(request, "session") ?? 0, Int(request, "start") ?? 0, Int(request, "stop")),
            "search" => Search(request["pattern"]?.GetValue<string>() ?? "*", Int(request, "n"), request["unique"]?.GetValue<bool>() ?? false),
            _ => throw new ArgumentException($"hist_access_type '{type}' is not one of tail, range, search."),
        };
        var history = new JsonArray();
        foreach (var e in entries)
            history.Add(output
                ? new JsonArray(e.Session, e.Line, new JsonArray(e.Input, e.Output))
                : new JsonArray(e.Session, e.Line, e.Input));
        return new JsonObject { ["status"] = "ok", ["history"] = history };
    }

    private static int? Int(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue(out int i) ? i : null;

    private IEnumerable<Entry> Tail(int n)
    {
        var found = new List<Entry>();
        foreach (int s in SessionsNewestFirst())
        {
            found.InsertRange(0, Load(s));
            if (found.Count >= n) break;
        }
        return found.Skip(Math.Max(0, found.Count - n));
    }

    /// <summary>Python-style range of lines [start, stop) of a session: 0 is this one, negative
    /// counts back from it, positive is a session number.</summary>
    private IEnumerable<Entry> Range(int session, int start, int? stop)
    {
        int s = session <= 0 ? Session + session : session;
        return Load(s).Where(e => e.Line >= start && (stop is not { } end || end <= 0 || e.Line < end));
    }

    /// <summary>Inputs matching a glob (* any text, ? one character), oldest first; the last
    /// <paramref name="n"/> (all when null); with <paramref name="unique"/>, each input once (its latest).</summary>
    private IEnumerable<Entry> Search(string pattern, int? n, bool unique)
    {
        var glob = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$", RegexOptions.Singleline);
        var matches = new List<Entry>();
        var inputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (int s in SessionsNewestFirst())
        {
            foreach (var e in Load(s).AsEnumerable().Reverse())
            {
                if (!glob.IsMatch(e.Input) || (unique && !inputs.Add(e.Input))) continue;
                matches.Add(e);
                if (n is { } max && max > 0 && matches.Count >= max) goto done;
            }
        }
    done:
        matches.Reverse();
        return matches;
    }

    private IEnumerable<int> SessionsNewestFirst()
    {
        yield return Session;
        if (folder is null) yield break;
        foreach (int s in StoredSessions(folder).Where(s => s != Session).OrderByDescending(s => s)) yield return s;
    }

    private List<Entry> Load(int session)
    {
        if (session == Session)
            lock (gate) return [.. current];
        if (folder is null) return [];
        var entries = new List<Entry>();
        string file = SessionFile(folder, session);
        if (!File.Exists(file)) return entries;
        foreach (var line in File.ReadLines(file))
        {
            try
            {
                if (JsonNode.Parse(line) is not JsonObject o) continue;
                entries.Add(new Entry(session, o["line"]?.GetValue<int>() ?? 0, o["input"]?.GetValue<string>() ?? "", o["output"]?.GetValue<string>()));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // A line cut short by a crash: skip it, keep the rest.
            }
        }
        return entries;
    }
}
