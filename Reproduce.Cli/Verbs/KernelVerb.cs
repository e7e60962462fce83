using System.CommandLine;
using System.Runtime.InteropServices;
using Reproduce.Cli.Kernel;

namespace Reproduce.Cli.Verbs;

/// <summary><c>reproduce kernel --connection-file F</c> runs the Jupyter kernel (what Jupyter front
/// ends launch); <c>reproduce kernel install|uninstall|list</c> manage its kernelspec.</summary>
public sealed class KernelVerb : ICliVerb
{
    /// <inheritdoc/>
    public Command Build()
    {
        var connection = new Option<string?>("--connection-file", "-f")
        {
            Description = "The Jupyter connection file (Jupyter passes {connection_file}).",
        };
        var kernel = new Command("kernel", "Run the C# Jupyter kernel (VS Code, JupyterLab, nbclient) with the same engine as 'reproduce run', or manage its kernelspec.");
        kernel.Add(connection);
        kernel.SetAction(parse =>
        {
            var file = parse.GetValue(connection);
            if (string.IsNullOrEmpty(file))
            {
                Console.Error.WriteLine("error: reproduce kernel needs --connection-file F (Jupyter passes it). To make Jupyter offer this kernel run 'reproduce kernel install'.");
                return 2;
            }
            return RunKernel(file);
        });

        var user = new Option<bool>("--user") { Description = "Install into the user's Jupyter data dir (the default)." };
        var sysPrefix = new Option<bool>("--sys-prefix") { Description = "Install into the active Python environment (VIRTUAL_ENV, CONDA_PREFIX or python3's sys.prefix)." };
        var prefix = new Option<string?>("--prefix") { Description = "Install into P/share/jupyter/kernels (add P/share/jupyter to JUPYTER_PATH)." };
        var name = new Option<string>("--name")
        {
            Description = $"The kernelspec name (default {KernelSpec.Name}); '{KernelSpec.DotNetInteractiveName}' makes notebooks written for .NET Interactive open and run on this kernel.",
            DefaultValueFactory = _ => KernelSpec.Name,
        };
        var install = new Command("install", $"Install the kernelspec '{KernelSpec.Name}' (\"{KernelSpec.DisplayName}\") pointing at this build.");
        var uninstall = new Command("uninstall", $"Remove the kernelspec '{KernelSpec.Name}' from the chosen location.");
        foreach (var c in new[] { install, uninstall })
        {
            c.Add(name);
            c.Add(user);
            c.Add(sysPrefix);
            c.Add(prefix);
        }
        install.SetAction(parse => Locate(parse.GetValue(user), parse.GetValue(sysPrefix), parse.GetValue(prefix), dir =>
        {
            var command = KernelSpec.CurrentCommand();
            string n = parse.GetValue(name)!;
            string spec = KernelSpec.Install(dir, command, n);
            Console.WriteLine($"Installed kernelspec {n} (\"{KernelSpec.DisplayNameFor(n)}\") in {spec}");
            Console.WriteLine($"  argv: {string.Join(' ', command)} kernel --connection-file {{connection_file}}");
            if (parse.GetValue(prefix) is { } p)
                Console.WriteLine($"  Jupyter finds it when JUPYTER_PATH includes {Path.Combine(Path.GetFullPath(p), "share", "jupyter")}");
            return 0;
        }));
        uninstall.SetAction(parse => Locate(parse.GetValue(user), parse.GetValue(sysPrefix), parse.GetValue(prefix), dir =>
        {
            string n = parse.GetValue(name)!;
            if (KernelSpec.Uninstall(dir, n))
            {
                Console.WriteLine($"Removed kernelspec {n} from {dir}");
                return 0;
            }
            Console.Error.WriteLine($"error: no kernelspec {n} in {dir}. 'reproduce kernel list' shows where it is installed.");
            return 2;
        }));

        var list = new Command("list", $"Show where the kernelspec '{KernelSpec.Name}' is installed.");
        list.SetAction(_ =>
        {
            var found = KernelSpec.Installed();
            if (found.Count == 0)
                Console.WriteLine($"{KernelSpec.Name} is not installed (searched {string.Join(", ", KernelSpec.SearchPath())}). Run 'reproduce kernel install'.");
            foreach (var (dir, argv) in found) Console.WriteLine($"{KernelSpec.Name}  {dir}\n  argv: {argv}");
            foreach (var (dir, argv) in KernelSpec.Installed(KernelSpec.DotNetInteractiveName))
                Console.WriteLine($"{KernelSpec.DotNetInteractiveName}  {dir}\n  argv: {argv}");
            return 0;
        });

        kernel.Add(install);
        kernel.Add(uninstall);
        kernel.Add(list);
        return kernel;
    }

    private static int Locate(bool user, bool sysPrefix, string? prefix, Func<string, int> action)
    {
        if ((user ? 1 : 0) + (sysPrefix ? 1 : 0) + (prefix is null ? 0 : 1) > 1)
        {
            Console.Error.WriteLine("error: choose one of --user, --sys-prefix, --prefix P.");
            return 2;
        }
        try
        {
            return action(KernelSpec.KernelsDirectory(prefix, sysPrefix));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }

    private static int RunKernel(string connectionFile)
    {
        ConnectionInfo info;
        try
        {
            info = ConnectionInfo.Load(connectionFile);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
        try
        {
            string baseDirectory = Environment.CurrentDirectory;
            using var server = new KernelServer(info, () => new EngineKernelExecutor(baseDirectory), Console.Error);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx =>
            {
                ctx.Cancel = true;
                server.Interrupt();
            });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => server.Stop());
            return server.Run();
        }
        catch (LibZmqMissingException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
        catch (ZmqException e)
        {
            Console.Error.WriteLine($"error: the kernel could not open its sockets ({info.Transport}://{info.Ip}, ports {info.ShellPort}/{info.IopubPort}/{info.StdinPort}/{info.ControlPort}/{info.HbPort}): {e.Message} " +
                "Another process may hold a port; let Jupyter start the kernel again (it picks fresh ports).");
            return 1;
        }
    }
}
