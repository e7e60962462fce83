using System.CommandLine;
using Reproduce.Compute;

namespace Reproduce.Cli.Commands;

/// <summary>Options shared by run and figure, and their checks.</summary>
public static class CommonOptions
{
    /// <summary>--scale smoke|paper.</summary>
    public static Option<string> Scale()
    {
        var o = new Option<string>("--scale") { Description = "smoke (seconds per figure, the default) or paper (the paper's sizes).", DefaultValueFactory = _ => "smoke" };
        o.AcceptOnlyFromAmong("smoke", "paper");
        return o;
    }

    /// <summary>--device auto|cpu|cuda.</summary>
    public static Option<string> Device()
    {
        var o = new Option<string>("--device") { Description = "auto (CUDA when usable, else CPU; the default), cpu or cuda.", DefaultValueFactory = _ => "auto" };
        o.AcceptOnlyFromAmong("auto", "cpu", "cuda");
        return o;
    }

    /// <summary>--seed N (unset: each notebook's own seed).</summary>
    public static Option<ulong?> Seed() => new("--seed") { Description = "Base seed for every random stream (default: the notebook's or experiment's own seed)." };

    /// <summary>Fails with a usage error when the device cannot be used here.</summary>
    public static void CheckDevice(string name)
    {
        try
        {
            Reproduce.Compute.Device.Parse(name);
        }
        catch (Exception e) when (e is ComputeException or ArgumentException)
        {
            throw new UsageException($"--device {name}: {e.Message} Use --device cpu or --device auto.");
        }
    }

    /// <summary>Fails with a usage error when <paramref name="dir"/> cannot be created or written.</summary>
    public static void CheckWritable(string dir, string what)
    {
        try
        {
            Directory.CreateDirectory(dir);
            string probe = Path.Combine(dir, ".reproduce-write-test-" + Guid.NewGuid().ToString("N")[..8]);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The option that names the folder is the one to change (figures/ at paper scale is changed with --out).
            string option = what.StartsWith("--", StringComparison.Ordinal) ? what : "--out";
            throw new UsageException($"Output folder '{dir}' ({what}) is not writable: {e.Message} Choose another folder with {option}.");
        }
    }
}
