using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>The safetensors format (Hugging Face), so weights move to and from PyTorch:
/// 8 bytes little-endian unsigned header length N; N bytes of UTF-8 JSON mapping each tensor name to
/// {"dtype", "shape", "data_offsets": [begin, end]} (byte offsets into the data section) plus an
/// optional "__metadata__" string map, padded with spaces; then the data section, each tensor's
/// values little-endian in row-major order, the tensors covering it without gaps or overlaps.
/// Writes F64 and F32; reads F64, F32, F16 and BF16.</summary>
public static class Safetensors
{
    private const long MaxHeader = 100_000_000;

    /// <summary>The file bytes for <paramref name="tensors"/> (in the given order) and metadata.</summary>
    public static byte[] Serialize(IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new MemoryStream();
        long offset = 0;
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in tensors)
            {
                if (!names.Add(t.Name) || t.Name == "__metadata__") throw new ArgumentException($"safetensors: tensor name '{t.Name}' is repeated or reserved.");
                int size = ElementSize(t.DType, t.Name, writing: true);
                if (Product(t.Shape) != t.Data.Length) throw new ArgumentException($"safetensors: tensor '{t.Name}' has shape {t.ShapeText} but {t.Data.Length} values.");
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType);
                w.WriteStartArray("shape"); foreach (var s in t.Shape) w.WriteNumberValue(s); w.WriteEndArray();
                w.WriteStartArray("data_offsets"); w.WriteNumberValue(offset); offset += (long)size * t.Data.Length; w.WriteNumberValue(offset); w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        var json = header.ToArray();
        int padded = (json.Length + 7) / 8 * 8; // the data section starts 8-byte aligned
        var bytes = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        json.CopyTo(bytes, 8);
        for (int i = 8 + json.Length; i < 8 + padded; i++) bytes[i] = (byte)' ';
        long pos = 8 + padded;
        foreach (var t in tensors)
        {
            var span = bytes.AsSpan();
            foreach (var v in t.Data)
            {
                if (t.DType == "F64") { BinaryPrimitives.WriteDoubleLittleEndian(span[(int)pos..], v); pos += 8; }
                else { BinaryPrimitives.WriteSingleLittleEndian(span[(int)pos..], (float)v); pos += 4; }
            }
        }
        return bytes;
    }

    /// <summary>Parses file bytes; every structural problem is an error naming it.</summary>
    public static (List<SafetensorsTensor> Tensors, Dictionary<string, string> Metadata) Deserialize(byte[] bytes, string source = "safetensors data")
    {
        if (bytes.Length < 8) throw new InvalidDataException($"{source}: {bytes.Length} bytes is too short for a safetensors file (needs an 8-byte header length).");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > MaxHeader || 8 + (long)n > bytes.Length) throw new InvalidDataException($"{source}: header length {n} does not fit in the {bytes.Length}-byte file.");
        var dataStart = 8 + (int)n;
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        var list = new List<(SafetensorsTensor T, long Begin, long End)>();
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes.AsMemory(8, (int)n)); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: the header is not valid JSON ({e.Message})."); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{source}: the header must be a JSON object.");
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (prop.Name == "__metadata__")
                {
                    foreach (var m in prop.Value.EnumerateObject()) meta[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                var e = prop.Value;
                if (!e.TryGetProperty("dtype", out var dt) || !e.TryGetProperty("shape", out var sh) || !e.TryGetProperty("data_offsets", out var off))
                    throw new InvalidDataException($"{source}: tensor '{prop.Name}' lacks dtype, shape or data_offsets.");
                string dtype = dt.GetString() ?? "";
                int size = ElementSize(dtype, prop.Name, writing: false);
                int[] shape = sh.EnumerateArray().Select(x => x.GetInt32()).ToArray();
                long[] o = off.EnumerateArray().Select(x => x.GetInt64()).ToArray();
                if (o.Length != 2 || o[0] < 0 || o[1] < o[0] || dataStart + o[1] > bytes.Length)
                    throw new InvalidDataException($"{source}: tensor '{prop.Name}' has data_offsets [{string.Join(", ", o)}] outside the {bytes.Length - dataStart}-byte data section.");
                long count = Product(shape);
                if ((o[1] - o[0]) != count * size)
                    throw new InvalidDataException($"{source}: tensor '{prop.Name}' {dtype} [{string.Join(", ", shape)}] needs {count * size} bytes but data_offsets span {o[1] - o[0]}.");
                var data = new double[count];
                var src = bytes.AsSpan((int)(dataStart + o[0]), (int)(o[1] - o[0]));
                for (int i = 0; i < count; i++)
                    data[i] = dtype switch
                    {
                        "F64" => BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]),
                        "F32" => BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]),
                        "F16" => (double)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..])),
                        _ => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]) << 16),
                    };
                list.Add((new SafetensorsTensor(prop.Name, dtype, shape, data), o[0], o[1]));
            }
        }
        // The spec requires the tensors to tile the data section exactly.
        long at = 0;
        foreach (var (t, b, e) in list.OrderBy(x => x.Begin).ThenBy(x => x.End))
        {
            if (b != at) throw new InvalidDataException($"{source}: tensor '{t.Name}' starts at byte {b} of the data section, expected {at} (gap or overlap).");
            at = e;
        }
        if (dataStart + at != bytes.Length) throw new InvalidDataException($"{source}: the data section has {bytes.Length - dataStart} bytes but the tensors cover {at}.");
        return (list.Select(x => x.T).ToList(), meta);
    }

    /// <summary>Writes every parameter (name, PyTorch shape, its own element type) and metadata.</summary>
    public static void Save(string path, ParameterSet parameters, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var tensors = parameters.All.Select(p => new SafetensorsTensor(p.Name, p.Value.DType == DType.F64 ? "F64" : "F32", p.TorchShape, p.Value.ToArray())).ToList();
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, Serialize(tensors, metadata));
    }

    /// <summary>Reads a file.</summary>
    public static (List<SafetensorsTensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);
        return Deserialize(File.ReadAllBytes(path), path);
    }

    /// <summary>Loads a checkpoint into the model's parameters. The names and shapes must match the
    /// model exactly; otherwise nothing is changed and the error lists every missing, unexpected and
    /// mis-shaped tensor. Values are converted to each parameter's element type and device.</summary>
    public static Dictionary<string, string> Load(string path, ParameterSet parameters)
    {
        var (tensors, meta) = Read(path);
        var byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var p in parameters.All)
        {
            if (!byName.TryGetValue(p.Name, out var t)) problems.Add($"missing '{p.Name}' {p.ShapeText}");
            else if (!t.Shape.SequenceEqual(p.TorchShape)) problems.Add($"'{p.Name}' is {t.ShapeText} in the file but {p.ShapeText} in the model");
        }
        foreach (var t in tensors) if (!parameters.Contains(t.Name)) problems.Add($"unexpected '{t.Name}' {t.ShapeText}");
        if (problems.Count > 0)
            throw new InvalidDataException($"Checkpoint '{path}' does not match the model: {string.Join("; ", problems)}. Build the model with the configuration the checkpoint was saved from.");
        foreach (var p in parameters.All)
            p.Assign(Matrix.FromColumnMajor(p.Value.Rows, p.Value.Cols, byName[p.Name].Data));
        return meta;
    }

    private static int ElementSize(string dtype, string name, bool writing) => dtype switch
    {
        "F64" => 8,
        "F32" => 4,
        "F16" or "BF16" when !writing => 2,
        _ => throw new InvalidDataException($"safetensors: tensor '{name}' has dtype '{dtype}'; supported: F64, F32{(writing ? "" : ", F16, BF16")}."),
    };

    private static long Product(int[] shape)
    {
        long p = 1;
        foreach (var s in shape) { if (s < 0) throw new InvalidDataException($"safetensors: negative dimension in shape [{string.Join(", ", shape)}]."); p *= s; }
        return p;
    }
}
