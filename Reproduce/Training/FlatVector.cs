namespace Reproduce.Training;

/// <summary>Small helpers on flat float64 vectors, each summing in index order so that two callers
/// doing the same arithmetic get the same bits.</summary>
internal static class FlatVector
{
    /// <summary>‖x‖₂, accumulated in index order.</summary>
    public static double Norm(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        return Math.Sqrt(s);
    }

    /// <summary>xᵀy, accumulated in index order.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>Throws when any entry is NaN or ±∞, naming where it came from.</summary>
    public static void CheckFinite(ReadOnlySpan<double> x, string what)
    {
        for (int i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i]))
                throw new ArithmeticException($"{what}: entry {i} is {x[i]}. The iterate diverged; lower the learning rate or ρ.");
    }
}
