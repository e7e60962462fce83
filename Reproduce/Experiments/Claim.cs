using System.Globalization;

namespace Reproduce.Experiments;

/// <summary>A checked statement about a figure: a name, what was expected, what was measured,
/// and whether it held. Created by the static factories, which hand every claim to the ambient
/// <see cref="ClaimSink"/>; outside a runner (no sink) a failed claim throws
/// <see cref="ClaimFailedException"/>, so tests and scripts cannot ignore it.</summary>
public sealed record Claim(string Name, string Expected, string Actual, bool Pass)
{
    /// <summary>A boolean claim.</summary>
    public static Claim That(string name, bool condition, string expected = "true", string? actual = null) =>
        Record(new Claim(name, expected, actual ?? (condition ? "true" : "false"), condition));

    /// <summary>actual &lt; bound.</summary>
    public static Claim Less(string name, double actual, double bound) =>
        Record(new Claim(name, "< " + F(bound), F(actual), actual < bound));

    /// <summary>actual ≤ bound.</summary>
    public static Claim LessOrEqual(string name, double actual, double bound) =>
        Record(new Claim(name, "<= " + F(bound), F(actual), actual <= bound));

    /// <summary>actual &gt; bound.</summary>
    public static Claim Greater(string name, double actual, double bound) =>
        Record(new Claim(name, "> " + F(bound), F(actual), actual > bound));

    /// <summary>actual ≥ bound.</summary>
    public static Claim GreaterOrEqual(string name, double actual, double bound) =>
        Record(new Claim(name, ">= " + F(bound), F(actual), actual >= bound));

    /// <summary>|actual − expected| ≤ max(abs, rel·|expected|).</summary>
    public static Claim Near(string name, double actual, double expected, double rel = 1e-6, double abs = 0)
    {
        if (rel < 0 || abs < 0) throw new ArgumentException($"Tolerances must be non-negative (rel={rel}, abs={abs}).");
        double tol = Math.Max(abs, rel * Math.Abs(expected));
        bool pass = Math.Abs(actual - expected) <= tol;
        string exp = F(expected) + " ± " + F(tol);
        return Record(new Claim(name, exp, F(actual), pass));
    }

    /// <summary>lo ≤ actual ≤ hi.</summary>
    public static Claim InRange(string name, double actual, double lo, double hi)
    {
        if (lo > hi) throw new ArgumentException($"InRange needs lo <= hi, got [{lo}, {hi}].");
        return Record(new Claim(name, $"[{F(lo)}, {F(hi)}]", F(actual), actual >= lo && actual <= hi));
    }

    private static Claim Record(Claim claim)
    {
        var sink = ClaimSink.Current;
        if (sink is null)
        {
            if (!claim.Pass) throw new ClaimFailedException(claim);
        }
        else
        {
            sink.Add(claim);
        }
        return claim;
    }

    internal static string F(double v) =>
        double.IsNaN(v) ? "NaN" : v.ToString("G6", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => $"[{(Pass ? "pass" : "FAIL")}] {Name}: expected {Expected}, got {Actual}";
}
