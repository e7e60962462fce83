using System.Security.Cryptography;
using System.Text;

namespace Reproduce.Experiments;

/// <summary>Finished pieces of a long figure (a trained model, one job's numbers) kept on disk, so that a run which is
/// stopped — a device call's time limit, Ctrl-C, a lost machine — resumes where it stopped instead of starting over.
/// On only when the run names a folder (<see cref="RunContext.CheckpointDir"/>: <c>reproduce figure --checkpoints DIR</c>
/// or REPRODUCE_CHECKPOINTS).
/// <para>A checkpoint is found only by the same experiment, the same description of its work (<c>key</c>: shapes,
/// options, seeds, device kind) and the same build of this library: a rebuilt library never reads a checkpoint an older
/// build wrote, whose code may have computed something else.</para></summary>
public sealed class JobCheckpoints
{
    private readonly string _dir;

    private JobCheckpoints(string dir) => _dir = dir;

    /// <summary>The folder this set of checkpoints lives in.</summary>
    public string Folder => _dir;

    /// <summary>Checkpoints of <paramref name="experiment"/> for the work <paramref name="key"/> describes, or null when
    /// the run keeps none.</summary>
    public static JobCheckpoints? For(RunContext ctx, string experiment, string key)
    {
        if (string.IsNullOrEmpty(ctx.CheckpointDir)) return null;
        string build = typeof(JobCheckpoints).Assembly.ManifestModule.ModuleVersionId.ToString("N");
        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}|{ctx.Scale}|{ctx.Seed}|{ctx.Device.Kind}|{build}")))[..16].ToLowerInvariant();
        var dir = Path.Combine(ctx.CheckpointDir, experiment.Replace('/', '_'), hash);
        Directory.CreateDirectory(dir);
        // The description in plain words beside the numbers, for a person wondering what a folder holds.
        File.WriteAllText(Path.Combine(dir, "key.txt"), $"{experiment}\n{key}\nscale {ctx.Scale}, seed {ctx.Seed}, device {ctx.Device.Kind}, build {build}\n");
        return new JobCheckpoints(dir);
    }

    /// <summary>A short digest of <paramref name="values"/>' bits, for keys that must change with a model's weights.</summary>
    public static string Digest(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Length * sizeof(double)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
    }

    /// <summary>The values saved under <paramref name="name"/>, or null when none were (or the file is cut short).</summary>
    public double[]? Load(string name)
    {
        var path = PathOf(name);
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) return null;
        long count = BitConverter.ToInt64(bytes, 0);
        if (count < 0 || count > (bytes.Length - 8) / sizeof(double) || bytes.Length != 8 + count * sizeof(double)) return null;
        var values = new double[count];
        Buffer.BlockCopy(bytes, 8, values, 0, (int)(count * sizeof(double)));
        return values;
    }

    /// <summary>Saves <paramref name="values"/> under <paramref name="name"/>: written to a temporary file and renamed,
    /// so a run killed while writing leaves either the old file or the new one, never half of one.</summary>
    public void Save(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[8 + values.Length * sizeof(double)];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (long)values.Length);
        Buffer.BlockCopy(values, 0, bytes, 8, values.Length * sizeof(double));
        var path = PathOf(name);
        var tmp = path + "." + Environment.ProcessId + ".tmp";
        File.WriteAllBytes(tmp, bytes);
        File.Move(tmp, path, overwrite: true);
    }

    private string PathOf(string name)
    {
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('/'))
            throw new ArgumentException($"Checkpoint name '{name}' is not a plain file name.", nameof(name));
        return Path.Combine(_dir, name + ".f64");
    }
}
