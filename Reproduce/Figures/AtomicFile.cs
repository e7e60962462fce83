using System.Text;

namespace Reproduce.Figures;

/// <summary>Writes files all-or-nothing: the content goes to a temporary file in the target's
/// folder, which is then renamed over the target, so readers never see a half-written file.</summary>
public static class AtomicFile
{
    /// <summary>Writes UTF-8 text (no BOM) atomically, creating the folder if needed.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes bytes atomically, creating the folder if needed. Throws
    /// <see cref="IOException"/> naming the folder when it cannot be written.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            try { if (File.Exists(tmp)) File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new IOException($"Cannot write '{full}': {e.Message} Choose a writable output folder (--out) or fix the folder's permissions.", e);
        }
    }

    /// <summary>Moves an already written temporary file over the target.</summary>
    public static void Replace(string tempPath, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.Move(tempPath, path, overwrite: true);
    }
}
