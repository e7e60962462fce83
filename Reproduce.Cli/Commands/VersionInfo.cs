using System.Runtime.InteropServices;
using System.Text;
using Reproduce.Cli.Runner;
using Reproduce.Compute;

namespace Reproduce.Cli.Commands;

/// <summary>The text of <c>reproduce --version</c>.</summary>
public static class VersionInfo
{
    /// <summary>Library version, .NET runtime, devices and backends, git commit.</summary>
    public static string Text()
    {
        var sb = new StringBuilder();
        sb.Append("reproduce ").Append(CliApp.LibraryVersion).Append('\n');
        sb.Append(".NET ").Append(RuntimeInformation.FrameworkDescription).Append(" on ").Append(RuntimeInformation.RuntimeIdentifier).Append('\n');
        try
        {
            var cpu = Device.Cpu;
            sb.Append("cpu backend: ").Append(cpu.Backend.Name).Append(" — ").Append(cpu.Backend.Describe()).Append('\n');
        }
        catch (ComputeException e)
        {
            sb.Append("cpu backend: unavailable — ").Append(e.Message).Append('\n');
        }
        try
        {
            sb.Append("device (auto): ").Append(Device.Auto).Append('\n');
        }
        catch (Exception e) when (e is ComputeException or ArgumentException)
        {
            sb.Append("device (auto): ").Append(e.Message).Append('\n');
        }
        sb.Append("cuda: ").Append(Device.CudaAvailable ? "available" : "not available").Append('\n');
        string? root = RepoLocator.FindRoot(Environment.CurrentDirectory);
        sb.Append("git commit: ").Append(root is null ? "unknown (not in the repository)" : GitInfo.Commit(root)).Append('\n');
        return sb.ToString();
    }
}
