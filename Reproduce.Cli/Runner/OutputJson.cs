using System.Text.Json.Nodes;
using Reproduce.Cli.Engine;

namespace Reproduce.Cli.Runner;

/// <summary>nbformat 4 output objects for <see cref="CellOutput"/>s (keys in Jupyter's sorted order).</summary>
public static class OutputJson
{
    /// <summary>The nbformat output for one cell output.</summary>
    public static JsonObject From(CellOutput output, int executionCount) => output switch
    {
        StreamOutput s => new JsonObject
        {
            ["name"] = s.Name,
            ["output_type"] = "stream",
            ["text"] = Notebook.Lines(s.Text),
        },
        DisplayOutput { IsResult: true } d => new JsonObject
        {
            ["data"] = Bundle(d.Value),
            ["execution_count"] = executionCount,
            ["metadata"] = new JsonObject(),
            ["output_type"] = "execute_result",
        },
        DisplayOutput d => new JsonObject
        {
            ["data"] = Bundle(d.Value),
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

    private static JsonObject Bundle(object value)
    {
        var bundle = MimeRenderer.Render(value);
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
