using Reproduce.Cli.Engine;

namespace Reproduce.Cli.Display;

/// <summary><c>x.Display()</c>, as in .NET Interactive (this namespace is imported in every cell).</summary>
public static class DisplayExtensions
{
    /// <summary>Displays <paramref name="value"/> in the running cell and returns a handle to update it.</summary>
    public static DisplayedValue Display(this object? value) =>
        ExecutionSession.Running?.Globals.display(value)
            ?? throw new InvalidOperationException("Display() works only while a notebook cell runs.");
}
