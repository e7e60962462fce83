namespace Reproduce.LinearProgramming;

/// <summary>What the external CLP run reported: status, objective (10 significant digits from CLP's summary line),
/// CLP's iteration count, CLP's own solve time and the wall time of the process.</summary>
public sealed record ClpResult(LpStatus Status, double Objective, int Iterations, double ClpSeconds, double WallSeconds, string Output);
