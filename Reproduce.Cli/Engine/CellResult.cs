namespace Reproduce.Cli.Engine;

/// <summary>What executing one cell produced.</summary>
/// <param name="Outputs">Outputs in order.</param>
/// <param name="Succeeded">False on a compile error, an exception, a missing #r target or a timeout.</param>
/// <param name="Elapsed">Wall time of the cell (compile + run).</param>
/// <param name="TimedOut">True when the cell ran past its timeout (the session is then unusable).</param>
public sealed record CellResult(IReadOnlyList<CellOutput> Outputs, bool Succeeded, TimeSpan Elapsed, bool TimedOut = false)
{
    /// <summary>Outputs that come after the cell's result and were not reported live (the wall time
    /// of #!time): a kernel sends them after its execute_result, as .NET Interactive does.</summary>
    public IReadOnlyList<CellOutput> AfterResult { get; init; } = [];

    /// <summary>The first error output, if any.</summary>
    public ErrorOutput? Error => Outputs.OfType<ErrorOutput>().FirstOrDefault();
}
