namespace Reproduce.Tests.Kernel;

/// <summary>As <see cref="JupyterClientFactAttribute"/>, and also skipped when Microsoft's .NET
/// Interactive kernel (the dotnet tool Microsoft.dotnet-interactive 1.0.712001, pinned in the
/// repository's dotnet-tools.json) has not been restored (`dotnet tool restore`).</summary>
public sealed class OfficialKernelFactAttribute : FactAttribute
{
    public const string Version = "1.0.712001";

    /// <summary>The tool's entry assembly in the NuGet packages folder, where `dotnet tool restore` puts it.</summary>
    public static string AppDll
    {
        get
        {
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
                ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(packages, "microsoft.dotnet-interactive", Version, "tools", "net10.0", "any", "Microsoft.DotNet.Interactive.App.dll");
        }
    }

    public OfficialKernelFactAttribute()
    {
        if (KernelTestEnvironment.SkipReason is { } reason) Skip = reason;
        else if (!File.Exists(AppDll)) Skip = $"skipped: the official .NET Interactive kernel {Version} is not restored ({AppDll} is missing); run 'dotnet tool restore' in the repository root";
    }
}
