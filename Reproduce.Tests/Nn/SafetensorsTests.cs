using System.Buffers.Binary;
using System.Text;
using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary>The safetensors format byte for byte, round trips, and clear errors for files that do not
/// fit the model.</summary>
public class SafetensorsTests
{
    /// <summary>A file built by hand from the specification: header length, JSON, raw little-endian data.</summary>
    private static byte[] HandBuilt(out string json)
    {
        json = """{"b":{"dtype":"F64","shape":[1],"data_offsets":[12,20]},"a":{"dtype":"F32","shape":[1,3],"data_offsets":[0,12]}, "__metadata__":{"format":"pt"}}""";
        var header = Encoding.UTF8.GetBytes(json); // unpadded and out of order: both allowed by the spec
        var bytes = new byte[8 + header.Length + 20];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        int d = 8 + header.Length;
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(d), 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(d + 4), -2f);
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(d + 8), 0.25f);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(d + 12), Math.PI);
        return bytes;
    }

    [Fact]
    public void ReadsAHandBuiltFile()
    {
        var (tensors, meta) = Safetensors.Deserialize(HandBuilt(out _));
        Assert.Equal("pt", meta["format"]);
        var a = tensors.Single(t => t.Name == "a");
        Assert.Equal("F32", a.DType); Assert.Equal(new[] { 1, 3 }, a.Shape); Assert.Equal(new[] { 1.5, -2, 0.25 }, a.Data);
        var b = tensors.Single(t => t.Name == "b");
        Assert.Equal(new[] { Math.PI }, b.Data);
    }

    [Fact]
    public void WritesTheExactBytesOfTheSpecification()
    {
        var bytes = Safetensors.Serialize([new SafetensorsTensor("w", "F32", [2], [1f, -0.5f])]);
        const string json = """{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        int padded = (json.Length + 7) / 8 * 8;
        Assert.Equal((ulong)padded, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(json + new string(' ', padded - json.Length), Encoding.UTF8.GetString(bytes, 8, padded));
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0, 0xBF }, bytes[(8 + padded)..]);
    }

    [Fact]
    public void ModelRoundTripIsExactAndLayoutMatchesPyTorch()
    {
        var m = new Gpt(new GptConfig(9, 8, 1, 8, 2, 16), 4);
        string path = Path.Combine(Path.GetTempPath(), $"nn-rt-{Environment.ProcessId}.safetensors");
        try
        {
            Safetensors.Save(path, m.Parameters, new Dictionary<string, string> { ["config"] = "tiny" });
            var (tensors, meta) = Safetensors.Read(path);
            Assert.Equal("tiny", meta["config"]);
            // Row-major [out, in]: element (o, i) of the PyTorch weight is entry (i, o) of our in×out matrix.
            var w = m.Parameters["h.0.mlp.c_fc.weight"];
            var t = tensors.Single(x => x.Name == w.Name);
            Assert.Equal(new[] { 16, 8 }, t.Shape);
            Assert.Equal(w.Value[3, 5], t.Data[5 * 8 + 3]);
            var copy = new Gpt(m.Config, 99);
            Assert.NotEqual(m.Parameters.GetFlat(), copy.Parameters.GetFlat());
            Safetensors.Load(path, copy.Parameters);
            Assert.Equal(m.Parameters.GetFlat(), copy.Parameters.GetFlat());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MismatchedNamesAndShapesAreNamed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nn-mm-{Environment.ProcessId}.safetensors");
        try
        {
            Safetensors.Save(path, new Gpt(new GptConfig(9, 8, 1, 8, 2, 16), 4).Parameters);
            var wider = new Gpt(new GptConfig(9, 8, 2, 8, 2, 24), 4);
            var e = Assert.Throws<InvalidDataException>(() => Safetensors.Load(path, wider.Parameters));
            Assert.Contains("'h.0.mlp.c_fc.weight' is [16, 8] in the file but [24, 8] in the model", e.Message);
            Assert.Contains("missing 'h.1.ln_1.weight' [8]", e.Message);
            var smaller = new Gpt(new GptConfig(9, 8, 0, 8, 2, 16), 4);
            Assert.Contains("unexpected 'h.0.attn.c_attn.weight' [24, 8]", Assert.Throws<InvalidDataException>(() => Safetensors.Load(path, smaller.Parameters)).Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void CorruptFilesAreRejectedWithTheReason()
    {
        var good = HandBuilt(out var json);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => Safetensors.Deserialize(good[..5])).Message);
        Assert.Contains("does not fit", Assert.Throws<InvalidDataException>(() => Safetensors.Deserialize(good[..(8 + json.Length - 1)])).Message);
        Assert.Contains("data section has", Assert.Throws<InvalidDataException>(() => Safetensors.Deserialize([.. good, 0])).Message);
        var gap = (byte[])good.Clone();
        var text = Encoding.UTF8.GetBytes(json.Replace("[12,20]", "[13,21]"));
        text.CopyTo(gap, 8);
        Assert.Contains("outside", Assert.Throws<InvalidDataException>(() => Safetensors.Deserialize(gap)).Message);
        var dtype = (byte[])good.Clone();
        Encoding.UTF8.GetBytes(json.Replace("\"F64\"", "\"I64\"")).CopyTo(dtype, 8);
        Assert.Contains("dtype 'I64'", Assert.Throws<InvalidDataException>(() => Safetensors.Deserialize(dtype)).Message);
    }
}
