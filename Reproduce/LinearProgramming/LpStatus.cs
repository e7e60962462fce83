namespace Reproduce.LinearProgramming;

/// <summary>How an LP solve ended.</summary>
public enum LpStatus
{
    /// <summary>Primal and dual residuals and the duality gap are below tolerance.</summary>
    Optimal,
    /// <summary>The primal is infeasible: a Farkas certificate y with Aᵀy ≤ 0, bᵀy &gt; 0 was found.</summary>
    Infeasible,
    /// <summary>The primal is unbounded below: a ray x ≥ 0 with Ax = 0, cᵀx &lt; 0 was found (and the primal is feasible).</summary>
    Unbounded,
    /// <summary>The iteration limit was reached first.</summary>
    IterationLimit,
    /// <summary>The step length collapsed or the linear algebra broke down.</summary>
    NumericalTrouble,
}
