namespace Reproduce.Cli.Engine;

/// <summary>A notebook file that cannot be used as given (malformed JSON, wrong kernel, not
/// nbformat 4). The message names the file and the fix; the CLI exits with code 2.</summary>
public sealed class NotebookFormatException(string message) : Exception(message);
