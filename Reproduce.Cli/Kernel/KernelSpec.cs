using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reproduce.Cli.Kernel;

/// <summary>The Jupyter kernelspec of this kernel (name <c>reproduce-csharp</c>) and where Jupyter
/// looks for kernelspecs (jupyter_core's data paths: JUPYTER_PATH, the user data dir, the
/// environment prefix, /usr/local/share/jupyter, /usr/share/jupyter).</summary>
public static class KernelSpec
{
    /// <summary>The kernelspec name notebooks carry in metadata.kernelspec.name.</summary>
    public const string Name = "reproduce-csharp";

    /// <summary>The name Jupyter front ends show.</summary>
    public const string DisplayName = "C# (Reproduce)";

    /// <summary>The kernelspec name of .NET Interactive's C# kernel, which notebooks written for it carry;
    /// installed under this name (<c>kernel install --name .net-csharp</c>), this kernel opens and runs them.</summary>
    public const string DotNetInteractiveName = ".net-csharp";

    /// <summary>The display name for a kernelspec name: .NET Interactive's for <see cref="DotNetInteractiveName"/>.</summary>
    public static string DisplayNameFor(string name) => name == DotNetInteractiveName ? ".NET (C#)" : DisplayName;

    /// <summary>Throws unless <paramref name="name"/> is a valid kernelspec name (jupyter_client: letters, digits, '.', '_', '-').</summary>
    public static void ValidateName(string name)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new InvalidOperationException($"'{name}' is not a kernelspec name: use letters, digits, '.', '_' and '-' only (e.g. {Name} or {DotNetInteractiveName}).");
    }

    /// <summary>kernel.json content whose argv starts with <paramref name="command"/>.</summary>
    public static JsonObject Json(IReadOnlyList<string> command, string name = Name) => new()
    {
        ["argv"] = new JsonArray([.. command.Select(c => (JsonNode?)JsonValue.Create(c)), "kernel", "--connection-file", "{connection_file}"]),
        ["display_name"] = DisplayNameFor(name),
        ["language"] = "C#",
        // Interrupts arrive as interrupt_request on the control channel (SIGINT is also honoured).
        ["interrupt_mode"] = "message",
        ["env"] = new JsonObject(),
        ["metadata"] = new JsonObject { ["debugger"] = false },
    };

    /// <summary>The command that starts this program, resolved to absolute paths now:
    /// <c>[dotnet, Reproduce.Cli.dll]</c> under the dotnet host (what ./reproduce runs), else the
    /// executable itself (an app host or a self-contained published `reproduce`).</summary>
    public static IReadOnlyList<string> CurrentCommand()
    {
        string dll = typeof(KernelSpec).Assembly.Location;
        string? process = Environment.ProcessPath;
        bool underDotnet = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet";
        if (process is not null && !underDotnet) return [Path.GetFullPath(process)];
        if (dll.Length == 0) throw new InvalidOperationException("Cannot tell which command runs this program; install from ./reproduce or the published executable.");
        return [underDotnet ? Path.GetFullPath(process!) : "dotnet", Path.GetFullPath(dll)];
    }

    /// <summary>The kernels folder for an install location: --prefix P → P/share/jupyter/kernels;
    /// --sys-prefix → the active Python environment's prefix; --user (default) → the user data dir.</summary>
    public static string KernelsDirectory(string? prefix, bool sysPrefix)
    {
        if (prefix is not null) return Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels");
        if (sysPrefix) return Path.Combine(SysPrefix(), "share", "jupyter", "kernels");
        return Path.Combine(UserDataDirectory(), "kernels");
    }

    /// <summary>jupyter_core's user data dir: JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter (~/Library/Jupyter on macOS).</summary>
    public static string UserDataDirectory()
    {
        var env = Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR");
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (OperatingSystem.IsMacOS()) return Path.Combine(home, "Library", "Jupyter");
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "jupyter");
    }

    /// <summary>The Python environment prefix (VIRTUAL_ENV, CONDA_PREFIX, else python3's sys.prefix).</summary>
    public static string SysPrefix()
    {
        foreach (var v in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
            if (Environment.GetEnvironmentVariable(v) is { Length: > 0 } p) return p;
        try
        {
            var psi = new ProcessStartInfo("python3", ["-c", "import sys; print(sys.prefix)"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var proc = Process.Start(psi)!;
            string output = proc.StandardOutput.ReadToEnd().Trim();
            proc.WaitForExit();
            if (proc.ExitCode == 0 && output.Length > 0) return output;
        }
        catch (System.ComponentModel.Win32Exception) { }
        throw new InvalidOperationException("--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX) or python3 on PATH; use --user or --prefix P instead.");
    }

    /// <summary>Every kernels folder Jupyter searches, in its order of precedence.</summary>
    public static IReadOnlyList<string> SearchPath()
    {
        var dirs = new List<string>();
        var jp = Environment.GetEnvironmentVariable("JUPYTER_PATH");
        if (!string.IsNullOrEmpty(jp))
            dirs.AddRange(jp.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(Path.GetFullPath(d), "kernels")));
        dirs.Add(Path.Combine(UserDataDirectory(), "kernels"));
        foreach (var v in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
            if (Environment.GetEnvironmentVariable(v) is { Length: > 0 } p) dirs.Add(Path.Combine(p, "share", "jupyter", "kernels"));
        dirs.Add("/usr/local/share/jupyter/kernels");
        dirs.Add("/usr/share/jupyter/kernels");
        return dirs.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Writes kernels/reproduce-csharp/kernel.json under <paramref name="kernelsDirectory"/>; returns the spec folder.</summary>
    public static string Install(string kernelsDirectory, IReadOnlyList<string> command, string name = Name)
    {
        ValidateName(name);
        string dir = Path.Combine(kernelsDirectory, name);
        Directory.CreateDirectory(dir);
        var json = Json(command, name).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        File.WriteAllText(Path.Combine(dir, "kernel.json"), json + "\n");
        return dir;
    }

    /// <summary>Removes kernels/reproduce-csharp under <paramref name="kernelsDirectory"/>; false when it was not there.</summary>
    public static bool Uninstall(string kernelsDirectory, string name = Name)
    {
        ValidateName(name);
        string dir = Path.Combine(kernelsDirectory, name);
        if (!File.Exists(Path.Combine(dir, "kernel.json"))) return false;
        Directory.Delete(dir, recursive: true);
        return true;
    }

    /// <summary>(folder, argv) of every installed reproduce-csharp kernelspec on the search path.</summary>
    public static IReadOnlyList<(string Directory, string Argv)> Installed(string name = Name)
    {
        var found = new List<(string, string)>();
        foreach (var k in SearchPath())
        {
            string file = Path.Combine(k, name, "kernel.json");
            if (!File.Exists(file)) continue;
            string argv;
            try { argv = string.Join(' ', (JsonNode.Parse(File.ReadAllText(file))?["argv"]?.AsArray() ?? []).Select(a => a?.GetValue<string>())); }
            catch (Exception e) when (e is JsonException or InvalidOperationException) { argv = "(unreadable kernel.json)"; }
            found.Add((Path.GetDirectoryName(file)!, argv));
        }
        return found;
    }
}
