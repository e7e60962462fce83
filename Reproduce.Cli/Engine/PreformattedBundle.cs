using System.Text.Json.Nodes;

namespace Reproduce.Cli.Engine;

/// <summary>Values already formatted, one string per MIME type (what .NET Interactive's
/// <c>x.Display("text/html")</c>, <c>DisplayAs</c> and <c>DisplayTable</c> publish).</summary>
public sealed class PreformattedBundle(IEnumerable<KeyValuePair<string, string>> values) : IMimeBundle
{
    private readonly KeyValuePair<string, string>[] _values = values.ToArray();

    public JsonObject ToMimeBundle()
    {
        var bundle = new JsonObject();
        foreach (var (mime, text) in _values) bundle[mime] = text;
        if (!bundle.ContainsKey("text/plain")) bundle["text/plain"] = _values.FirstOrDefault().Value ?? "";
        return bundle;
    }

    public override string ToString() => ToMimeBundle()["text/plain"]!.GetValue<string>();
}
