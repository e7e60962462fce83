namespace Reproduce.Cli.Kernel;

/// <summary>A received multipart message is not a valid Jupyter message (or its signature is wrong).</summary>
public sealed class WireFormatException(string message, bool badSignature = false) : Exception(message)
{
    /// <summary>True when the frames parsed but the HMAC signature did not verify.</summary>
    public bool BadSignature { get; } = badSignature;
}
