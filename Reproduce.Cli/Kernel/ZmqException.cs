namespace Reproduce.Cli.Kernel;

/// <summary>A libzmq call failed; <see cref="ErrorCode"/> is zmq_errno().</summary>
public sealed class ZmqException(string message, int errorCode) : Exception(message)
{
    /// <summary>The zmq_errno() value.</summary>
    public int ErrorCode { get; } = errorCode;
}
