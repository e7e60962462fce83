namespace Reproduce.Cli.Commands;

/// <summary>A usage or input error with a message for the user; the CLI prints it and exits 2.</summary>
public sealed class UsageException(string message) : Exception(message);
