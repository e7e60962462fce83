namespace Reproduce.LinearProgramming;

/// <summary>Shapes of the ℓ1-SVM test problems of Chowdhury et al. (2022, §6). The real data sets are not
/// obtainable here; these name synthetic stand-ins at the real sizes (brief §5), never the data themselves.</summary>
public enum SvmDataset
{
    /// <summary>ARCENE-like: dense 100 × 10 000, N(0,1) features (the authors' synthetic generator).</summary>
    Arcene,
    /// <summary>DEXTER-like: 300 × 20 000 sparse bag-of-words-like counts at 0.5 % density.</summary>
    Dexter,
    /// <summary>DrivFace-like: dense 606 × 6 400, N(0,1) features.</summary>
    DrivFace,
    /// <summary>Gene-RNA-like: dense 801 × 20 531, log-normal features.</summary>
    GeneRna,
}
