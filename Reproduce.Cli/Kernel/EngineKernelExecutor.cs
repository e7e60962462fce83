using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Reproduce.Cli.Engine;
using Reproduce.Experiments;

namespace Reproduce.Cli.Kernel;

/// <summary>Runs kernel cells with the notebook engine of `reproduce run` (<see cref="ExecutionSession"/>):
/// same Roslyn session, <c>#r</c> resolution, display bundles (<see cref="MimeRenderer"/>) and
/// claims. As in the runner, a cell's claims are collected by a <see cref="ClaimSink"/> and
/// shown after its outputs as one stdout stream.</summary>
internal sealed class EngineKernelExecutor(string baseDirectory) : IKernelExecutor
{
    private readonly ExecutionSession session = new(baseDirectory);

    // One page per kernel session: plotly.js travels with the session's first figure.
    private readonly NotebookDisplay display = new();

    public KernelCellResult Execute(string code, string cellLabel, IKernelOutputSink outputs, CancellationToken cancellation)
    {
        if (session.IsBroken) return KernelCellResult.Failed("SessionBroken", "The session stopped after an abandoned cell; restart the kernel.", ["Restart the kernel."]);
        var sink = new ClaimSink();
        CellResult result;
        using (sink.Activate())
        {
            // The interrupt reaches the cell through its rewritten loops (InterruptibleCode), which
            // throw inside the script and leave the session usable. The engine's own cancellation
            // (like its timeout) marks the session broken, so it is not used here.
            result = session.ExecuteAsync(code, cellLabel, timeout: null, output => Forward(output, outputs, display), CancellationToken.None, retainStreams: false)
                .GetAwaiter().GetResult();
        }
        var claims = sink.Claims;
        string? trailer = claims.Count > 0 ? string.Concat(claims.Select(c => c + "\n")) : null;
        var after = result.AfterResult.OfType<DisplayOutput>().Select(d => DisplayBundle.Of(d.Value, display)).ToList();
        if (result.Error is { } e) return KernelCellResult.Failed(e.EName, e.EValue, e.Traceback) with { Trailer = trailer, AfterResult = after };
        var value = result.Outputs.OfType<DisplayOutput>().LastOrDefault(d => d.IsResult);
        return (value is null ? KernelCellResult.Ok() : KernelCellResult.Ok(DisplayBundle.Of(value.Value, display), new JsonObject())) with { Trailer = trailer, AfterResult = after };
    }

    private static void Forward(CellOutput output, IKernelOutputSink outputs, NotebookDisplay display)
    {
        switch (output)
        {
            case StreamOutput s: outputs.Stream(s.Name, s.Text); break;
            case DisplayOutput { IsResult: false, DisplayId: { } id } d: outputs.Display(DisplayBundle.Of(d.Value, display), new JsonObject(), id); break;
            case DisplayOutput { IsResult: false } d: outputs.Display(DisplayBundle.Of(d.Value, display), new JsonObject()); break;
            case UpdateDisplayOutput u: outputs.UpdateDisplay(DisplayBundle.Of(u.Value, display), u.DisplayId); break;
            case ClearOutput c: outputs.Clear(c.Wait); break;
        }
    }

    public Compilation? CompileForAnalysis(string code) => session.AnalysisCompilation(code);

    public void Dispose() => session.Dispose();
}
