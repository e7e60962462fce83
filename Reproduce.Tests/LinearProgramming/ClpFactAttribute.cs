using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>A fact that is skipped, with the reason, when the clp binary is absent.</summary>
public sealed class ClpFactAttribute : FactAttribute
{
    public ClpFactAttribute() { if (!ClpSolver.IsAvailable) Skip = ClpSolver.MissingReason; }
}

/// <summary>A theory that is skipped, with the reason, when the clp binary is absent.</summary>
public sealed class ClpTheoryAttribute : TheoryAttribute
{
    public ClpTheoryAttribute() { if (!ClpSolver.IsAvailable) Skip = ClpSolver.MissingReason; }
}
