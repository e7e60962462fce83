namespace Reproduce.Nn;

/// <summary>One line of <c>reproduce nn check</c>.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Pass">Whether it held.</param>
/// <param name="Detail">The measured numbers and the bound.</param>
public sealed record NnCheckResult(string Name, bool Pass, string Detail);
