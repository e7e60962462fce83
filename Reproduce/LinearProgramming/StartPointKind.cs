namespace Reproduce.LinearProgramming;

/// <summary>Initial point of the interior point method.</summary>
public enum StartPointKind
{
    /// <summary>Mehrotra's heuristic (least-squares point shifted into the interior; Wright 1997, ch. 11).</summary>
    Mehrotra,
    /// <summary>x = s = 1, y = 0 (the paper's all-ones start; y = 0 since y is free).</summary>
    Ones,
    /// <summary>x = s = 10⁴·1, y = 0 (the authors' code).</summary>
    Scaled,
    /// <summary>The user-supplied point in <see cref="IpmOptions.InitialPoint"/>.</summary>
    Given,
}
