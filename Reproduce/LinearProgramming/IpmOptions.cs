namespace Reproduce.LinearProgramming;

/// <summary>Options of <see cref="InteriorPointSolver"/>. Defaults give a robust Mehrotra solve with dense
/// Cholesky; the paper's setting (Chowdhury et al. 2022, §6) is <see cref="Paper"/>.</summary>
public sealed record IpmOptions
{
    /// <summary>Outer method.</summary>
    public IpmMethod Method { get; init; } = IpmMethod.Mehrotra;
    /// <summary>Normal-equation solver.</summary>
    public NormalSolverKind Solver { get; init; } = NormalSolverKind.Cholesky;
    /// <summary>Sketch distribution for the sketched solvers.</summary>
    public SketchKind Sketch { get; init; } = SketchKind.Gaussian;
    /// <summary>Sketch size w (columns of W); 0 picks min(n, 2m).</summary>
    public int SketchSize { get; init; }
    /// <summary>Nonzeros per row of W for <see cref="SketchKind.SparseSign"/>.</summary>
    public int SketchNonzeros { get; init; } = 4;
    /// <summary>Draw a fresh W every outer iteration (the paper) instead of once (the authors' code).</summary>
    public bool FreshSketch { get; init; } = true;
    /// <summary>Apply the correction vector v = (XS)^{1/2} W (A D W)^† f (eqn 27) with the sketched solvers.</summary>
    public bool UseCorrection { get; init; } = true;
    /// <summary>Relative inner tolerance tolCG.</summary>
    public double InnerTolerance { get; init; } = 1e-5;
    /// <summary>Norm of the inner stopping rule.</summary>
    public CgStoppingNorm StoppingNorm { get; init; } = CgStoppingNorm.Unpreconditioned;
    /// <summary>Inner iteration cap.</summary>
    public int MaxInnerIterations { get; init; } = 10_000;
    /// <summary>Fixed number t of inner iterations (theory, §2.3); 0 means use the tolerance.</summary>
    public int FixedInnerIterations { get; init; }
    /// <summary>Chebyshev eigenvalue interval: true = theoretical [(1+ζ/2)⁻¹, (1−ζ/2)⁻¹], false = measured extreme eigenvalues.</summary>
    public bool ChebyshevTheoreticalInterval { get; init; }
    /// <summary>ζ of the embedding condition (theory fixes 1/2).</summary>
    public double Zeta { get; init; } = 0.5;
    /// <summary>Relative primal/dual residual tolerance.</summary>
    public double Tolerance { get; init; } = 1e-8;
    /// <summary>When positive, stop when μ ≤ MuTolerance (and residuals ≤ <see cref="Tolerance"/>) instead of the relative gap (paper: τ = 10⁻⁹).</summary>
    public double MuTolerance { get; init; }
    /// <summary>Outer iteration cap.</summary>
    public int MaxIterations { get; init; } = 200;
    /// <summary>Centering parameter σ for the long-step methods (paper: σ ∈ (0, 4/5); code: 0.5).</summary>
    public double Sigma { get; init; } = 0.5;
    /// <summary>Neighbourhood parameter γ ∈ (0, 1) of N(γ).</summary>
    public double Gamma { get; init; } = 0.5;
    /// <summary>Start point.</summary>
    public StartPointKind Start { get; init; } = StartPointKind.Mehrotra;
    /// <summary>(x, y, s) for <see cref="StartPointKind.Given"/>.</summary>
    public (double[] X, double[] Y, double[] S)? InitialPoint { get; init; }
    /// <summary>Compute κ(A D² Aᵀ) and κ of the preconditioned matrix every iteration (costly: m×m eigenproblems).</summary>
    public bool ConditionNumbers { get; init; }
    /// <summary>Seed for the sketches.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Where the heavy dense linear algebra runs (null = CPU). On CUDA, A is uploaded once and A D² Aᵀ, A D W, the
    /// SVD of A D W, Cholesky and the CG products go through <see cref="Reproduce.Compute.Ops"/> there.</summary>
    public Reproduce.Compute.Device? Device { get; init; }
    /// <summary>Route the matrix-free CG products through <see cref="Reproduce.Compute.Ops.MatVec"/> even on the CPU (the accelerator's
    /// code path; for tests).</summary>
    public bool OpsProducts { get; init; }
    /// <summary>Called after every outer iteration.</summary>
    public Action<IpmIteration>? Progress { get; init; }

    /// <summary>The paper's experimental setting: infeasible long-step IPM, sketch-preconditioned CG with a Gaussian W,
    /// tolCG = 10⁻⁵, σ = 0.5, all-ones start, stop at μ ≤ 10⁻⁹.</summary>
    public static IpmOptions Paper(int sketchSize) => new()
    {
        Method = IpmMethod.LongStepInfeasible, Solver = NormalSolverKind.SketchPcg, SketchSize = sketchSize,
        InnerTolerance = 1e-5, Sigma = 0.5, Start = StartPointKind.Ones, MuTolerance = 1e-9, Tolerance = 1e-6, MaxIterations = 500,
    };

    internal void Validate()
    {
        if (!(Tolerance > 0 && Tolerance < 1)) throw new ArgumentException($"IpmOptions.Tolerance is {Tolerance}; it must lie in (0, 1), e.g. 1e-8.", nameof(Tolerance));
        if (MuTolerance < 0 || double.IsNaN(MuTolerance)) throw new ArgumentException($"IpmOptions.MuTolerance is {MuTolerance}; use 0 (off) or a positive value such as 1e-9.", nameof(MuTolerance));
        if (!(InnerTolerance > 0 && InnerTolerance < 1)) throw new ArgumentException($"IpmOptions.InnerTolerance is {InnerTolerance}; it must lie in (0, 1), e.g. 1e-5.", nameof(InnerTolerance));
        if (MaxIterations < 1) throw new ArgumentException($"IpmOptions.MaxIterations is {MaxIterations}; it must be at least 1.", nameof(MaxIterations));
        if (MaxInnerIterations < 1) throw new ArgumentException($"IpmOptions.MaxInnerIterations is {MaxInnerIterations}; it must be at least 1.", nameof(MaxInnerIterations));
        if (!(Sigma > 0 && Sigma < 1)) throw new ArgumentException($"IpmOptions.Sigma is {Sigma}; it must lie in (0, 1) (paper: (0, 4/5)).", nameof(Sigma));
        if (!(Gamma > 0 && Gamma < 1)) throw new ArgumentException($"IpmOptions.Gamma is {Gamma}; it must lie in (0, 1).", nameof(Gamma));
        if (!(Zeta > 0 && Zeta < 1)) throw new ArgumentException($"IpmOptions.Zeta is {Zeta}; it must lie in (0, 1) (theory: 0.5).", nameof(Zeta));
        if (SketchSize < 0) throw new ArgumentException($"IpmOptions.SketchSize is {SketchSize}; use 0 (automatic) or a positive number of columns.", nameof(SketchSize));
        if (SketchNonzeros < 1) throw new ArgumentException($"IpmOptions.SketchNonzeros is {SketchNonzeros}; it must be at least 1.", nameof(SketchNonzeros));
        if (Start == StartPointKind.Given && InitialPoint is null) throw new ArgumentException("IpmOptions.Start is Given but InitialPoint is null; set InitialPoint = (x, y, s).", nameof(InitialPoint));
    }
}
