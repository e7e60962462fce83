namespace Reproduce.LinearProgramming;

/// <summary>Result of an LP solve. X, Y, S are in the source problem's variables when the solver was given an
/// <see cref="LpProblem"/> (S = c − Aᵀy, the reduced costs), else in standard form. Residuals are relative:
/// ‖b − Ax‖/(1 + ‖b‖) and ‖c − Aᵀy − s‖/(1 + ‖c‖) in standard form; Gap = |cᵀx − bᵀy|/(1 + |cᵀx|).</summary>
public sealed record LpResult
{
    /// <summary>How the solve ended.</summary>
    public required LpStatus Status { get; init; }
    /// <summary>Primal solution.</summary>
    public required double[] X { get; init; }
    /// <summary>Dual solution (row multipliers).</summary>
    public required double[] Y { get; init; }
    /// <summary>Dual slacks / reduced costs.</summary>
    public required double[] S { get; init; }
    /// <summary>Objective value (with offset) at X.</summary>
    public required double Objective { get; init; }
    /// <summary>Outer iterations.</summary>
    public required int Iterations { get; init; }
    /// <summary>Total inner (CG/Chebyshev) iterations.</summary>
    public required long InnerIterations { get; init; }
    /// <summary>Largest inner iteration count of any outer iteration.</summary>
    public required int MaxInnerIterations { get; init; }
    /// <summary>Relative primal residual.</summary>
    public required double PrimalResidual { get; init; }
    /// <summary>Relative dual residual.</summary>
    public required double DualResidual { get; init; }
    /// <summary>Relative duality gap.</summary>
    public required double Gap { get; init; }
    /// <summary>Final μ = xᵀs/n (standard form).</summary>
    public required double Mu { get; init; }
    /// <summary>Wall-clock seconds.</summary>
    public required double Seconds { get; init; }
    /// <summary>Per-iteration log.</summary>
    public required IReadOnlyList<IpmIteration> History { get; init; }
    /// <summary>Standard-form primal x.</summary>
    public required double[] StandardX { get; init; }
    /// <summary>Standard-form dual y.</summary>
    public required double[] StandardY { get; init; }
    /// <summary>Standard-form dual slack s.</summary>
    public required double[] StandardS { get; init; }
    /// <summary>Human-readable reason for a non-optimal status.</summary>
    public string Message { get; init; } = "";
}
