namespace Reproduce.Cli.Engine;

/// <summary>One output of a cell, in the order it happened. The runner turns these into nbformat
/// outputs; a Jupyter kernel turns them into iopub messages.</summary>
public abstract record CellOutput;

/// <summary>Text written to Console.Out ("stdout") or Console.Error ("stderr").</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>A displayed object: from <c>display(x)</c> (<see cref="IsResult"/> false) or the
/// cell's last expression (<see cref="IsResult"/> true).</summary>
public sealed record DisplayOutput(object Value, bool IsResult) : CellOutput;

/// <summary>An error: exception type name, message, and traceback lines (the first names the cell, line and column).</summary>
public sealed record ErrorOutput(string EName, string EValue, IReadOnlyList<string> Traceback) : CellOutput;

/// <summary>A request to clear the cell's outputs so far (Jupyter's clear_output); with
/// <see cref="Wait"/>, they are cleared when the next output arrives (no flicker).</summary>
public sealed record ClearOutput(bool Wait) : CellOutput;
