using System.Text.Json.Nodes;
using Reproduce.Cli.Engine;

// .NET Interactive's MathString lives in this namespace (of its Jupyter assembly, which the
// Formatting package does not carry): notebooks written for it say
// `using Microsoft.DotNet.Interactive.Jupyter.Formatting;`, which must then compile here too.
namespace Microsoft.DotNet.Interactive.Jupyter.Formatting;

/// <summary>A formula as .NET Interactive's MathString showed it: text/latex wrapped in <c>$$…$$</c>
/// (display math), with the TeX source as text/plain. For raw LaTeX use LaTeXString.</summary>
public sealed record MathString(string Math) : IMimeBundle
{
    public JsonObject ToMimeBundle() => new() { ["text/latex"] = "$$" + Math + "$$", ["text/plain"] = Math };

    public override string ToString() => Math;

    public static implicit operator MathString(string math) => new(math);
}
