namespace Reproduce.Training;

/// <summary>Hessian–vector products of a batch loss: hv = ∇²L_S(w)·v.</summary>
public interface IHessianVectorProduct
{
    /// <summary>Length of w and v.</summary>
    int ParameterCount { get; }

    /// <summary>Writes ∇²L_S(w)·v into <paramref name="hv"/> for S = <paramref name="examples"/>.</summary>
    void Apply(ReadOnlySpan<double> w, ReadOnlySpan<int> examples, ReadOnlySpan<double> v, Span<double> hv);
}
