namespace Reproduce.Figures;

/// <summary>What one trace places on one of its axes: numbers or text labels (exactly one is set).
/// <paramref name="Dim"/> is 'x' or 'y'; <paramref name="Field"/> names the trace property, for messages.</summary>
internal sealed record AxisCoordinates(char Dim, string Field, double[]? Numbers, string[]? Labels);
