namespace Reproduce.Cli.Kernel;

/// <summary>Converts between Jupyter cursor positions (Unicode code points, protocol 5.2+) and
/// .NET string indices (UTF-16 code units). Out-of-range positions clamp to the string.</summary>
internal static class CodePoints
{
    public static int ToUtf16(string s, int codePoints)
    {
        int i = 0;
        for (int cp = 0; cp < codePoints && i < s.Length; cp++)
            i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
        return i;
    }

    public static int FromUtf16(string s, int index)
    {
        int cp = 0;
        for (int i = 0; i < index && i < s.Length; cp++)
            i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
        return cp;
    }
}
