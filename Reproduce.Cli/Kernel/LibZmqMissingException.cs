namespace Reproduce.Cli.Kernel;

/// <summary>libzmq could not be loaded; the message says which names were tried and how to install it.</summary>
public sealed class LibZmqMissingException(IReadOnlyList<string> tried) : Exception(
    "The Jupyter kernel needs the ZeroMQ library (libzmq 4.x), which could not be loaded. Tried: " +
    string.Join(", ", tried) + ". Install it with `sudo apt-get install libzmq5` (Debian/Ubuntu), " +
    "`brew install zeromq` (macOS) or `dnf install zeromq` (Fedora), or point REPRODUCE_LIBZMQ at libzmq.so.")
{
    /// <summary>The library names and paths that were tried, in order.</summary>
    public IReadOnlyList<string> Tried { get; } = tried;
}
