using Reproduce.Compute;
using Reproduce.Training;

namespace Reproduce.Tests.Training;

/// <summary>ℓᵢ(w) = ½(w − cᵢ)ᵀAᵢ(w − cᵢ), ∇ℓᵢ = Aᵢ(w − cᵢ): a closed-form objective for hand-computed
/// SAM/mSAM steps and known Hessians (∇²L_S = mean of Aᵢ). Records every point it is evaluated at.</summary>
internal sealed class QuadraticObjective(double[][,] a, double[][] c) : IBatchObjective
{
    public List<(double[] W, int[] Examples)> Evaluations { get; } = [];

    public int ParameterCount => c.Length == 0 ? 0 : c[0].Length;

    public int ExampleCount => c.Length;

    public double LossAndGradient(ReadOnlySpan<double> w, ReadOnlySpan<int> examples, Span<double> gradient)
    {
        Evaluations.Add((w.ToArray(), examples.ToArray()));
        int d = ParameterCount;
        gradient.Clear();
        double loss = 0;
        foreach (int i in examples)
        {
            for (int r = 0; r < d; r++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += a[i][r, k] * (w[k] - c[i][k]);
                gradient[r] += s / examples.Length;
                loss += 0.5 * (w[r] - c[i][r]) * s / examples.Length;
            }
        }
        return loss;
    }

    /// <summary>One example with A = QΛQᵀ for a random orthogonal Q: a Hessian with a known spectrum.</summary>
    public static (QuadraticObjective F, double[,] A) WithSpectrum(double[] eigenvalues, Rng rng)
    {
        int d = eigenvalues.Length;
        var (q, _) = Ops.Qr(rng.NormalMatrix(d, d));
        var a = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                for (int k = 0; k < d; k++) a[i, j] += q[i, k] * eigenvalues[k] * q[j, k];
        var center = new double[d];
        rng.FillNormal(center);
        return (new QuadraticObjective([a], [center]), a);
    }
}
