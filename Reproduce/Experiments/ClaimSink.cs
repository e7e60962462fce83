namespace Reproduce.Experiments;

/// <summary>Collects claims made while it is current. The notebook runner installs one per
/// notebook so failed claims are reported (and fail the run) instead of throwing mid-cell.
/// Flows with async calls (AsyncLocal) so parallel runs do not mix their claims.</summary>
public sealed class ClaimSink
{
    private static readonly AsyncLocal<ClaimSink?> CurrentSink = new();
    private readonly List<Claim> _claims = [];
    private readonly Lock _gate = new();

    /// <summary>The sink claims go to now, or null (then failed claims throw).</summary>
    public static ClaimSink? Current => CurrentSink.Value;

    /// <summary>Every claim collected so far, in order.</summary>
    public IReadOnlyList<Claim> Claims { get { lock (_gate) return _claims.ToArray(); } }

    /// <summary>Raised for each claim as it is collected (the runner prints it).</summary>
    public event Action<Claim>? Collected;

    /// <summary>Adds a claim.</summary>
    public void Add(Claim claim)
    {
        lock (_gate) _claims.Add(claim);
        Collected?.Invoke(claim);
    }

    /// <summary>Makes this sink current until the returned scope is disposed.</summary>
    public IDisposable Activate()
    {
        var previous = CurrentSink.Value;
        CurrentSink.Value = this;
        return new Scope(() => CurrentSink.Value = previous);
    }

    private sealed class Scope(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
