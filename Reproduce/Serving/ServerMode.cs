namespace Reproduce.Serving;

/// <summary>How the simulated server runs.</summary>
public enum ServerMode
{
    /// <summary>The paper's computational model (Definition 2): batch size 1, prefill only, non-preemptive.</summary>
    Theory,

    /// <summary>An SGLang-like engine: batched prefill under an input-token budget, optional chunked
    /// prefill, KV capacity with locked running requests, optional decode steps.</summary>
    Batched,
}
