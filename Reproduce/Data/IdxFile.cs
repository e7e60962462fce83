using System.IO.Compression;

namespace Reproduce.Data;

/// <summary>An IDX file (the LeCun MNIST container also used by Fashion-MNIST): a magic number whose
/// third byte is the element type (0x08 = unsigned byte) and fourth the number of dimensions, then
/// each dimension as a big-endian int32, then the elements in row-major order. Only unsigned-byte
/// payloads are supported, which is what image and label files use.</summary>
public sealed class IdxFile
{
    private IdxFile(int[] dims, byte[] data)
    {
        Dimensions = dims;
        Data = data;
    }

    /// <summary>Sizes of each dimension, outermost first (e.g. [count, 28, 28]).</summary>
    public int[] Dimensions { get; }

    /// <summary>The elements in row-major order.</summary>
    public byte[] Data { get; }

    /// <summary>Reads an IDX file; a name ending in ".gz" is decompressed on the fly.
    /// <paramref name="maxItems"/> keeps only the first items of the outermost dimension.</summary>
    public static IdxFile Read(string path, int? maxItems = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file '{path}' does not exist. Check the path (Fashion-MNIST: install Debian package dataset-fashion-mnist or use the committed subset under data/).", path);
        using var file = File.OpenRead(path);
        using Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        return Read(s, path, maxItems);
    }

    /// <summary>Reads an IDX payload from a stream; <paramref name="name"/> is used in error messages.</summary>
    public static IdxFile Read(Stream s, string name, int? maxItems = null)
    {
        if (maxItems is < 0) throw new ArgumentOutOfRangeException(nameof(maxItems), maxItems, "maxItems must be non-negative (or null for all items).");
        Span<byte> magic = stackalloc byte[4];
        ReadExactly(s, magic, name);
        if (magic[0] != 0 || magic[1] != 0)
            throw new InvalidDataException($"'{name}' is not an IDX file: magic bytes {magic[0]:X2} {magic[1]:X2} should be 00 00. Pass an *-idx?-ubyte(.gz) file.");
        if (magic[2] != 0x08)
            throw new InvalidDataException($"'{name}' has IDX element type 0x{magic[2]:X2}; only 0x08 (unsigned byte) is supported.");
        int rank = magic[3];
        if (rank < 1 || rank > 4) throw new InvalidDataException($"'{name}' declares {rank} dimensions; expected 1 to 4.");
        var dims = new int[rank];
        Span<byte> b = stackalloc byte[4];
        for (int i = 0; i < rank; i++)
        {
            ReadExactly(s, b, name);
            dims[i] = (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
            if (dims[i] < 0) throw new InvalidDataException($"'{name}' dimension {i} is negative ({dims[i]}).");
        }
        if (maxItems is int m && m < dims[0]) dims[0] = m;
        long count = 1;
        foreach (var d in dims) count *= d;
        if (count > int.MaxValue) throw new InvalidDataException($"'{name}' holds {count} elements, more than one array can hold; pass maxItems.");
        var data = new byte[count];
        ReadExactly(s, data, name);
        return new IdxFile(dims, data);
    }

    /// <summary>Writes an unsigned-byte IDX file (gzip-compressed when the name ends in ".gz").</summary>
    public static void Write(string path, int[] dims, ReadOnlySpan<byte> data)
    {
        long count = 1;
        foreach (var d in dims) count *= d;
        if (count != data.Length) throw new ArgumentException($"dims {string.Join("×", dims)} need {count} bytes but data has {data.Length}.", nameof(data));
        using var file = File.Create(path);
        using Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.SmallestSize) : file;
        s.Write([0, 0, 0x08, (byte)dims.Length]);
        foreach (var d in dims) s.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        s.Write(data);
    }

    private static void ReadExactly(Stream s, Span<byte> buffer, string name)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int r = s.Read(buffer[read..]);
            if (r == 0) throw new InvalidDataException($"'{name}' ended after {read} of {buffer.Length} expected bytes: the file is truncated.");
            read += r;
        }
    }
}
