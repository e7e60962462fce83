using System.Text.Json.Nodes;

namespace Reproduce.Tests.Kernel;

/// <summary>`reproduce kernel` usage: install/list/uninstall of the kernelspec, and the clear
/// message when libzmq is missing.</summary>
public sealed class KernelCliTests : IDisposable
{
    private readonly string prefix = KernelTestEnvironment.TempDirectory("kernelspec");

    public void Dispose()
    {
        try { Directory.Delete(prefix, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Install_list_uninstall_round_trip()
    {
        var env = new Dictionary<string, string> { ["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter"), ["JUPYTER_DATA_DIR"] = Path.Combine(prefix, "user") };
        var install = KernelTestEnvironment.Cli(["kernel", "install", "--prefix", prefix], env);
        Assert.True(install.ExitCode == 0, install.Stderr);
        string specFile = Path.Combine(prefix, "share", "jupyter", "kernels", "reproduce-csharp", "kernel.json");
        var spec = JsonNode.Parse(File.ReadAllText(specFile))!;
        Assert.Equal("C# (Reproduce)", spec["display_name"]!.GetValue<string>());
        Assert.Equal("C#", spec["language"]!.GetValue<string>());
        Assert.Equal("message", spec["interrupt_mode"]!.GetValue<string>());
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(["kernel", "--connection-file", "{connection_file}"], argv[^3..]);
        Assert.All(argv[..^3], a => Assert.True(Path.IsPathRooted(a), $"argv entry '{a}' is not absolute"));
        Assert.Contains(argv, a => a.EndsWith("Reproduce.Cli.dll", StringComparison.Ordinal) || a.EndsWith("Reproduce.Cli", StringComparison.Ordinal));

        var list = KernelTestEnvironment.Cli(["kernel", "list"], env);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(Path.GetDirectoryName(specFile)!, list.Stdout);

        var user = KernelTestEnvironment.Cli(["kernel", "install", "--user"], env);
        Assert.Equal(0, user.ExitCode);
        Assert.True(File.Exists(Path.Combine(prefix, "user", "kernels", "reproduce-csharp", "kernel.json")));

        Assert.Equal(0, KernelTestEnvironment.Cli(["kernel", "uninstall", "--prefix", prefix], env).ExitCode);
        Assert.False(File.Exists(specFile));
        var again = KernelTestEnvironment.Cli(["kernel", "uninstall", "--prefix", prefix], env);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("no kernelspec", again.Stderr);
        Assert.Equal(2, KernelTestEnvironment.Cli(["kernel", "install", "--user", "--prefix", prefix], env).ExitCode);
    }

    [Fact]
    public void Missing_libzmq_gives_the_install_hint()
    {
        string conn = Path.Combine(prefix, "kernel-test.json");
        File.WriteAllText(conn, """{"shell_port": 0, "iopub_port": 0, "stdin_port": 0, "control_port": 0, "hb_port": 0, "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256"}""");
        var r = KernelTestEnvironment.Cli(["kernel", "--connection-file", conn],
            new Dictionary<string, string> { ["REPRODUCE_LIBZMQ"] = Path.Combine(prefix, "no-such-libzmq.so") }, TimeSpan.FromMinutes(2));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("apt-get install libzmq5", r.Stderr);
        Assert.Contains("no-such-libzmq.so", r.Stderr);
    }

    [Fact]
    public void Kernel_without_a_connection_file_is_a_usage_error()
    {
        var r = KernelTestEnvironment.Cli(["kernel"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--connection-file", r.Stderr);
        var missing = KernelTestEnvironment.Cli(["kernel", "--connection-file", Path.Combine(prefix, "absent.json")]);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Stderr);
    }
}
