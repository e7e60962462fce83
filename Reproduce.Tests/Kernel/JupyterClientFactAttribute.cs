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

/// <summary>As <see cref="JupyterClientFactAttribute"/>, and also skipped when Debian's
/// jupyter_kernel_test (python3-jupyter-kernel-test) is not installed.</summary>
public sealed class JupyterKernelTestFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (KernelTestEnvironment.SkipReason is { } reason) return reason;
        var r = KernelTestEnvironment.Run(KernelTestEnvironment.Python, ["-c", "import jupyter_kernel_test"], null, TimeSpan.FromSeconds(60));
        return r.ExitCode == 0 ? null : "skipped: jupyter_kernel_test is not installed (apt-get install python3-jupyter-kernel-test)";
    });

    public JupyterKernelTestFactAttribute()
    {
        if (Missing.Value is { } reason) Skip = reason;
    }
}
