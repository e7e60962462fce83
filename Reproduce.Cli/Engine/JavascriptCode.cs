using System.Text.Json.Nodes;

namespace Reproduce.Cli.Engine;

/// <summary>Script to run in the front end, from <c>Javascript("…")</c> as in .NET Interactive: a
/// text/html <c>&lt;script&gt;</c> element (VS Code and JupyterLab run scripts in HTML outputs of
/// trusted notebooks), with the code as text/plain.</summary>
public sealed record JavascriptCode(string Code) : IMimeBundle
{
    public JsonObject ToMimeBundle() => new()
    {
        ["text/html"] = "<script type=\"text/javascript\">\n" + Code + "\n</script>",
        ["text/plain"] = Code,
    };

    public override string ToString() => Code;
}
