namespace Reproduce.Figures;

/// <summary>Headless Chromium is missing, did not start, timed out or returned no result.</summary>
public sealed class ChromiumException(string message) : Exception(message);
