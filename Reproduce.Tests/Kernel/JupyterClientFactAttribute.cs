namespace Reproduce.Tests.Kernel;

/// <summary>A test that drives the kernel with Debian's jupyter_client; skipped with the reason
/// when /usr/bin/python3 lacks jupyter_client/nbclient or libzmq is missing.</summary>
public sealed class JupyterClientFactAttribute : FactAttribute
{
    public JupyterClientFactAttribute()
    {
        if (KernelTestEnvironment.SkipReason is { } reason) Skip = reason;
    }
}
