using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Reproduce.Compute;

namespace Reproduce.Data;

/// <summary>NumPy .npy files (format versions 1–3) holding a 2-D little-endian float32 ('&lt;f4') or float64
/// ('&lt;f8') array, C or Fortran order. Reads into a float64 matrix; writes C order.</summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a 2-D float array (a 1-D array of length n reads as 1 × n).</summary>
    public static (Matrix Matrix, bool IsFloat32) Read(string path)
    {
        byte[] b;
        try { b = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new IOException($"{path}: cannot read the file ({e.Message}).", e); }
        if (b.Length < 10 || !b.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not a NumPy .npy file (no \\x93NUMPY magic); save the array with numpy.save.");
        int major = b[6];
        int headerLen, start;
        if (major == 1) { headerLen = BitConverter.ToUInt16(b, 8); start = 10; }
        else if (major is 2 or 3) { headerLen = (int)BitConverter.ToUInt32(b, 8); start = 12; }
        else throw new InvalidDataException($"{path}: .npy format version {major} is not supported (1, 2 or 3).");
        string header = Encoding.Latin1.GetString(b, start, headerLen);
        var descr = DescrRx().Match(header).Groups[1].Value;
        bool fortran = FortranRx().Match(header).Groups[1].Value == "True";
        var shapeText = ShapeRx().Match(header).Groups[1].Value;
        var dims = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        bool f32 = descr switch
        {
            "<f4" => true,
            "<f8" => false,
            _ => throw new InvalidDataException($"{path}: dtype '{descr}' is not supported; save float32 or float64 (e.g. W.astype(numpy.float32))."),
        };
        if (dims.Length is < 1 or > 2) throw new InvalidDataException($"{path}: array has {dims.Length} dimensions ({shapeText}); give a 2-D array (d_out × d_in, or N × d_in).");
        int rows = dims.Length == 2 ? dims[0] : 1, cols = dims[^1];
        int size = f32 ? 4 : 8;
        long offset = start + headerLen, need = (long)rows * cols * size;
        if (b.Length - offset < need) throw new InvalidDataException($"{path}: data section has {b.Length - offset} bytes, the header's shape ({shapeText}) needs {need}.");
        var m = Matrix.Zeros(rows, cols);
        var s = m.Span;
        for (long k = 0; k < (long)rows * cols; k++)
        {
            double v = f32 ? BitConverter.ToSingle(b, (int)(offset + k * 4)) : BitConverter.ToDouble(b, (int)(offset + k * 8));
            long r = fortran ? k % rows : k / cols, c = fortran ? k / rows : k % cols;
            s[(int)(r + c * rows)] = v;
        }
        return (m, f32);
    }

    /// <summary>Writes a matrix as a C-order 2-D .npy file, float32 or float64.</summary>
    public static void Write(string path, Matrix m, bool float32)
    {
        var cpu = m.ToCpu();
        string dict = $"{{'descr': '{(float32 ? "<f4" : "<f8")}', 'fortran_order': False, 'shape': ({cpu.Rows}, {cpu.Cols}), }}";
        int pad = 64 - (10 + dict.Length + 1) % 64;
        if (pad == 64) pad = 0;
        string header = dict + new string(' ', pad) + "\n";
        using var fs = File.Create(path);
        using var w = new BinaryWriter(fs);
        w.Write(Magic); w.Write((byte)1); w.Write((byte)0); w.Write((ushort)header.Length);
        w.Write(Encoding.Latin1.GetBytes(header));
        for (int r = 0; r < cpu.Rows; r++)
            for (int c = 0; c < cpu.Cols; c++)
                if (float32) w.Write((float)cpu[r, c]); else w.Write(cpu[r, c]);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrRx();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranRx();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRx();
}
