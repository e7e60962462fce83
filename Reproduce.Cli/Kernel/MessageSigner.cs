using System.Security.Cryptography;

namespace Reproduce.Cli.Kernel;

/// <summary>HMAC-SHA256 message signatures of the Jupyter wire protocol: the lowercase hex digest of
/// header, parent_header, metadata and content (in that order) under the connection key. An
/// empty key disables signing (the signature frame is empty and not checked).</summary>
public sealed class MessageSigner(string key)
{
    private readonly byte[] key = System.Text.Encoding.UTF8.GetBytes(key);

    /// <summary>True when a key is set and signatures are checked.</summary>
    public bool Enabled => key.Length > 0;

    /// <summary>The hex signature of the four JSON frames ("" when signing is disabled).</summary>
    public string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!Enabled) return "";
        return Convert.ToHexStringLower(Digest(header, parent, metadata, content));
    }

    /// <summary>Checks a received signature in constant time (over the decoded digest).</summary>
    public bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        if (!Enabled) return true;
        if (signature.Length != 64) return false;
        Span<char> hex = stackalloc char[64];
        for (int i = 0; i < 64; i++) hex[i] = (char)signature[i];
        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(hex, given, out _, out int written) != System.Buffers.OperationStatus.Done || written != 32)
            return false;
        return CryptographicOperations.FixedTimeEquals(given, Digest(header, parent, metadata, content));
    }

    private byte[] Digest(ReadOnlySpan<byte> header, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> content)
    {
        using var h = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        h.AppendData(header);
        h.AppendData(parent);
        h.AppendData(metadata);
        h.AppendData(content);
        return h.GetHashAndReset();
    }
}
