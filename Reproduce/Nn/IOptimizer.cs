namespace Reproduce.Nn;

/// <summary>Updates parameters from their accumulated gradients.</summary>
public interface IOptimizer
{
    /// <summary>One update of every parameter in <paramref name="parameters"/> at learning rate
    /// <paramref name="lr"/>; state (moments, momentum) is kept per parameter name.</summary>
    void Step(ParameterSet parameters, double lr);
}
