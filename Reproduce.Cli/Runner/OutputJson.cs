using System.Text.Json.Nodes;
using Reproduce.Cli.Engine;

namespace Reproduce.Cli.Runner;

/// <summary>nbformat 4 output objects for <see cref="CellOutput"/>s (keys in Jupyter's sorted order).</summary>
public static class OutputJson
{
    /// <summary>The nbformat output for one cell output, with every key sorted as Jupyter writes it.</summary>
    public static JsonObject From(CellOutput output, int executionCount, NotebookDisplay? display = null) => (JsonObject)Sorted(Build(output, executionCount, display))!;

    /// <summary>A deep copy of <paramref name="node"/> with object keys in ordinal order (Python's sort_keys).</summary>
    public static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value))).ToArray()),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        JsonValue v => v.DeepClone(),
        null => null,
        _ => node.DeepClone(),
    };

    private static JsonObject Build(CellOutput output, int executionCount, NotebookDisplay? display) => output switch
    {
        StreamOutput s => new JsonObject
        {
            ["name"] = s.Name,
            ["output_type"] = "stream",
            ["text"] = Notebook.Lines(s.Text),
        },
        DisplayOutput { IsResult: true } d => new JsonObject
        {
            ["data"] = Bundle(d.Value, display),
            ["execution_count"] = executionCount,
            ["metadata"] = new JsonObject(),
            ["output_type"] = "execute_result",
        },
        DisplayOutput d => new JsonObject
        {
            ["data"] = Bundle(d.Value, display),
            ["metadata"] = new JsonObject(),
            ["output_type"] = "display_data",
        },
        ErrorOutput e => new JsonObject
        {
            ["ename"] = e.EName,
            ["evalue"] = e.EValue,
            ["output_type"] = "error",
            ["traceback"] = new JsonArray(e.Traceback.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
        },
        _ => throw new ArgumentException($"Unknown output kind {output.GetType().Name}.", nameof(output)),
    };

    private static JsonObject Bundle(object value, NotebookDisplay? display)
    {
        var bundle = DisplayBundle.Of(value, display);
        var result = new JsonObject();
        foreach (var (mime, data) in bundle.ToArray())
        {
            bundle.Remove(mime);
            // Text mime types are stored as lists of lines like Jupyter does; JSON types as objects.
            result[mime] = data is JsonValue v && v.TryGetValue<string>(out var text) ? Notebook.Lines(text) : data;
        }
        return result;
    }
}
