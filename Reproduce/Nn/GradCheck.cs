using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>One gradient comparison: analytic (backward) against central differences.</summary>
/// <param name="Name">What was checked ("layernorm: weight").</param>
/// <param name="Entries">How many entries were compared.</param>
/// <param name="MaxAbsError">max |analytic − numeric|.</param>
/// <param name="MaxRelError">max |analytic − numeric| / max(|analytic|, |numeric|) over entries above the absolute floor.</param>
/// <param name="Pass">Every entry within RelTol·max(|a|, |n|) + AbsTol.</param>
public sealed record GradCheckResult(string Name, int Entries, double MaxAbsError, double MaxRelError, bool Pass);

/// <summary>Central finite differences in float64: ∂L/∂θᵢ ≈ (L(θ + h·eᵢ) − L(θ − h·eᵢ))/(2h). With
/// h = 1e-5 the truncation error is h²|L'''|/6 ≈ 2e-11·|L'''| and the rounding error ε|L|/h ≈ 2e-11·|L|,
/// so for the O(1) losses and derivatives of the checks an entry is accepted within
/// 1e-6·max(|a|, |n|) + 1e-8: four orders above the expected error, yet any mistake in a backward
/// formula (a wrong term is as large as the gradient itself) fails it.</summary>
public static class GradCheck
{
    /// <summary>Step h.</summary>
    public const double Step = 1e-5;
    /// <summary>Relative tolerance.</summary>
    public const double RelTol = 1e-6;
    /// <summary>Absolute tolerance.</summary>
    public const double AbsTol = 1e-8;

    /// <summary>Compares each parameter's <see cref="Parameter.Grad"/> (already computed by the caller
    /// at the current values) with central differences of <paramref name="loss"/>, on every entry or on
    /// <paramref name="maxEntries"/> entries drawn from <paramref name="rng"/>. Parameters must be CPU float64.</summary>
    public static List<GradCheckResult> Compare(string prefix, IEnumerable<Parameter> parameters, Func<double> loss, int maxEntries = int.MaxValue, Rng? rng = null)
    {
        var results = new List<GradCheckResult>();
        foreach (var p in parameters)
        {
            if (p.Value.Device.Kind != DeviceKind.Cpu || p.Value.DType != DType.F64)
                throw new ArgumentException($"GradCheck: parameter '{p.Name}' is {p.Value.ShapeText} on {p.Value.Device.Name}; gradient checks need CPU float64.");
            var v = p.Value.Span; var g = p.Grad.ToArray();
            int[] idx = v.Length <= maxEntries ? Enumerable.Range(0, v.Length).ToArray()
                : (rng ?? new Rng(0)).SampleWithoutReplacement(v.Length, maxEntries);
            double maxAbs = 0, maxRel = 0; bool pass = true;
            foreach (int i in idx)
            {
                double keep = v[i];
                v[i] = keep + Step; double lp = loss();
                v[i] = keep - Step; double lm = loss();
                v[i] = keep;
                double num = (lp - lm) / (2 * Step), a = g[i], err = Math.Abs(a - num), scale = Math.Max(Math.Abs(a), Math.Abs(num));
                maxAbs = Math.Max(maxAbs, err);
                if (scale > AbsTol) maxRel = Math.Max(maxRel, err / scale);
                if (!(err <= RelTol * scale + AbsTol)) pass = false;
            }
            results.Add(new GradCheckResult($"{prefix}: {p.Name}", idx.Length, maxAbs, maxRel, pass));
        }
        return results;
    }
}
