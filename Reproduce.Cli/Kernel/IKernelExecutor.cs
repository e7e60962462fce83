using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;

namespace Reproduce.Cli.Kernel;

/// <summary>What the kernel needs from the notebook engine: run one cell, reporting outputs as
/// they happen, and give a compilation of a code fragment in the context of the cells run so far
/// (for completion and inspection). EngineKernelExecutor adapts the engine that
/// `reproduce run` uses, so notebooks behave the same in both.</summary>
internal interface IKernelExecutor : IDisposable
{
    /// <summary>Runs one cell. Outputs go to <paramref name="outputs"/> while it runs; the return value
    /// is the cell's result bundle (or null) or its error. <paramref name="cellLabel"/> (e.g. "In [3]")
    /// names the cell in error messages. Cancellation is cooperative.</summary>
    KernelCellResult Execute(string code, string cellLabel, IKernelOutputSink outputs, CancellationToken cancellation);

    /// <summary>A compilation whose last syntax tree is <paramref name="code"/> as the next submission,
    /// chained to the cells executed so far; null when none can be built.</summary>
    Compilation? CompileForAnalysis(string code);
}

/// <summary>Receives a running cell's outputs (stream text and display bundles).</summary>
internal interface IKernelOutputSink
{
    void Stream(string name, string text);
    void Display(JsonObject data, JsonObject metadata);

    /// <summary>A display that can be updated later under <paramref name="displayId"/> (transient display_id).</summary>
    void Display(JsonObject data, JsonObject metadata, string displayId) => Display(data, metadata);

    /// <summary>update_display_data: new content for the display named <paramref name="displayId"/>.</summary>
    void UpdateDisplay(JsonObject data, string displayId) { }

    /// <summary>clear_output: the front end clears the cell's outputs (at the next output when <paramref name="wait"/>).</summary>
    void Clear(bool wait) { }
}

/// <summary>A cell's outcome: its result bundle (execute_result) or an error, and stdout text to
/// show after them (the claims the cell checked, as `reproduce run` writes them).</summary>
internal sealed record KernelCellResult(JsonObject? Data, JsonObject? Metadata, KernelCellError? Error, string? Trailer = null)
{
    /// <summary>display_data bundles to send after the execute_result (the wall time of #!time).</summary>
    public IReadOnlyList<JsonObject> AfterResult { get; init; } = [];

    public static KernelCellResult Ok(JsonObject? data = null, JsonObject? metadata = null) => new(data, metadata, null);
    public static KernelCellResult Failed(string ename, string evalue, IReadOnlyList<string> traceback) =>
        new(null, null, new KernelCellError(ename, evalue, traceback));
}

/// <summary>An error output: exception type name, message and traceback lines.</summary>
internal sealed record KernelCellError(string EName, string EValue, IReadOnlyList<string> Traceback);
