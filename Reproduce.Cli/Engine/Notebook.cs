using System.Text;
using Reproduce.Figures;
using System.Text.Json.Nodes;

namespace Reproduce.Cli.Engine;

/// <summary>An nbformat 4 notebook held as its JSON tree, so everything the runner does not touch
/// (cell ids, unknown metadata, key order) is written back unchanged.</summary>
public sealed class Notebook
{
    private Notebook(string path, JsonObject root)
    {
        Path = path;
        Root = root;
    }

    /// <summary>Where the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The whole document.</summary>
    public JsonObject Root { get; }

    /// <summary>The cells array.</summary>
    public JsonArray Cells => (JsonArray)Root["cells"]!;

    /// <summary>Reads a notebook file; throws <see cref="NotebookFormatException"/> for malformed JSON or a non-nbformat-4 document.</summary>
    public static Notebook Load(string path)
    {
        if (!File.Exists(path)) throw new NotebookFormatException($"Notebook '{path}' does not exist. Run 'reproduce list' to see the notebooks.");
        string text = File.ReadAllText(path, Encoding.UTF8);
        return Parse(text, path);
    }

    /// <summary>Parses notebook text (<paramref name="path"/> is used in messages and to resolve #r).</summary>
    public static Notebook Parse(string text, string path)
    {
        var node = JupyterJson.Parse(text, path);
        if (node is not JsonObject root)
            throw new NotebookFormatException($"{path}: the top level must be a JSON object with 'cells', 'metadata', 'nbformat'.");
        if (root["nbformat"] is not JsonValue nbf || !nbf.TryGetValue<int>(out int major) || major != 4)
            throw new NotebookFormatException($"{path}: 'nbformat' must be 4 (this runner reads nbformat 4.x); found {root["nbformat"]?.ToJsonString() ?? "nothing"}.");
        if (root["cells"] is not JsonArray cells)
            throw new NotebookFormatException($"{path}: 'cells' must be an array.");
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject c || c["cell_type"] is not JsonValue)
                throw new NotebookFormatException($"{path}: cell {i + 1} is not an object with a 'cell_type'.");
        }
        return new Notebook(path, root);
    }

    /// <summary>The kernel language from metadata (kernelspec.language, else language_info.name), or null.</summary>
    public string? Language =>
        (Root["metadata"]?["kernelspec"]?["language"] as JsonValue)?.GetValue<string>()
        ?? (Root["metadata"]?["language_info"]?["name"] as JsonValue)?.GetValue<string>();

    /// <summary>Throws unless the notebook's kernel is C#.</summary>
    public void RequireCSharp()
    {
        string? lang = Language;
        string norm = (lang ?? "").Trim().ToLowerInvariant();
        if (norm is "c#" or "csharp" or "c-sharp" or ".net (c#)") return;
        string kernel = (Root["metadata"]?["kernelspec"]?["name"] as JsonValue)?.GetValue<string>() ?? "(none)";
        throw new NotebookFormatException(
            $"{Path}: the notebook's kernel is '{kernel}' (language '{lang ?? "unknown"}'), not C#. " +
            "Set metadata.kernelspec to {\"name\": \"reproduce-csharp\", \"display_name\": \"C# (Reproduce)\", \"language\": \"C#\"}.");
    }

    /// <summary>The source text of a cell (nbformat allows a string or a list of lines).</summary>
    public static string Source(JsonObject cell) => cell["source"] switch
    {
        JsonArray a => string.Concat(a.Select(n => n?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    /// <summary>The cell type ("code", "markdown", "raw").</summary>
    public static string CellType(JsonObject cell) => cell["cell_type"]!.GetValue<string>();

    /// <summary>True when the cell carries tag <paramref name="tag"/>.</summary>
    public static bool HasTag(JsonObject cell, string tag) =>
        cell["metadata"]?["tags"] is JsonArray tags && tags.Any(t => t is JsonValue v && v.TryGetValue<string>(out var s) && s == tag);

    /// <summary>Splits text into nbformat's list-of-lines form (each line keeps its '\n').</summary>
    public static JsonArray Lines(string text)
    {
        var a = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                a.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < text.Length) a.Add(text[start..]);
        return a;
    }

    /// <summary>Sets a key, keeping the object's key order: an existing key keeps its place; a new
    /// key goes where Jupyter's sorted output would put it when the keys are already sorted.</summary>
    public static void Set(JsonObject o, string key, JsonNode? value)
    {
        if (o.ContainsKey(key)) { o[key] = value; return; }
        var keys = o.Select(kv => kv.Key).ToArray();
        bool sorted = keys.Zip(keys.Skip(1)).All(p => string.CompareOrdinal(p.First, p.Second) < 0);
        int at = sorted ? keys.Count(k => string.CompareOrdinal(k, key) < 0) : keys.Length;
        o.Insert(at, key, value);
    }

    /// <summary>The document as Jupyter writes it.</summary>
    public string ToJupyterText() => JupyterJson.Write(Root);

    /// <summary>Writes atomically to <paramref name="path"/> (temp file in the same folder, then rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJupyterText());
}
