namespace Reproduce.Nn;

/// <summary>Which normalization a transformer block uses.</summary>
public enum NormKind
{
    /// <summary>LayerNorm with weight and bias (GPT-2).</summary>
    LayerNorm,
    /// <summary>RMSNorm with weight only (Llama).</summary>
    RmsNorm,
}

/// <summary>How a transformer knows positions.</summary>
public enum PositionKind
{
    /// <summary>A learned table <c>wpe</c> added to the token embeddings (GPT-2).</summary>
    Learned,
    /// <summary>Rotary embedding of queries and keys in every attention layer (<see cref="Rotary"/>); no <c>wpe</c>.</summary>
    Rotary,
}

/// <summary>Shape of a GPT-style decoder (Radford et al. 2019): token and learned position
/// embeddings, <paramref name="Layers"/> pre-norm blocks (causal self-attention of width
/// <see cref="AttentionDim"/> = heads × head_dim, then an MLP of width <paramref name="FfnDim"/>), a final
/// norm and an untied output projection.</summary>
/// <param name="VocabSize">Number of token ids.</param>
/// <param name="ContextLength">Longest sequence (rows of the position table).</param>
/// <param name="Layers">Number of blocks.</param>
/// <param name="ModelDim">Width d of the residual stream.</param>
/// <param name="Heads">Attention heads (must divide d unless <paramref name="HeadDim"/> is given).</param>
/// <param name="FfnDim">Hidden width of the block MLP (4d in GPT-2).</param>
/// <param name="Norm">LayerNorm or RMSNorm.</param>
/// <param name="Activation">MLP nonlinearity (GELU in GPT-2).</param>
/// <param name="Positions">Learned position table (GPT-2) or rotary positions (RoFormer, Llama).</param>
/// <param name="HeadDim">Width of one head; 0 (the default) means d / heads, so heads × head_dim = d as in GPT-2.
/// Set after pruning attention heads (OSSCAR, brief §2.3): the remaining heads keep their width, so the attention
/// width heads × head_dim falls below d, c_attn becomes [3·A, d] and c_proj [d, A] (PyTorch [out, in]).</param>
public sealed record GptConfig(int VocabSize, int ContextLength, int Layers, int ModelDim, int Heads, int FfnDim,
    NormKind Norm = NormKind.LayerNorm, ActivationKind Activation = ActivationKind.Gelu, PositionKind Positions = PositionKind.Learned,
    int HeadDim = 0)
{
    /// <summary>Width of one attention head: <see cref="HeadDim"/>, or d / heads when that is 0.</summary>
    public int AttentionHeadDim => HeadDim > 0 ? HeadDim : ModelDim / Heads;

    /// <summary>Attention width A = heads × head_dim (d unless heads were pruned): rows of q, k and v each.</summary>
    public int AttentionDim => Heads * AttentionHeadDim;

    /// <summary>Throws with the offending value when the shape is impossible.</summary>
    public void Validate()
    {
        if (VocabSize <= 0 || ContextLength <= 0 || Layers < 0 || ModelDim <= 0 || Heads <= 0 || FfnDim <= 0)
            throw new ArgumentException($"GptConfig: every size must be positive (layers ≥ 0); got {this}.");
        if (HeadDim < 0) throw new ArgumentException($"GptConfig: head dim {HeadDim} is negative; give a positive width, or 0 for d / heads.");
        if (HeadDim == 0 && ModelDim % Heads != 0) throw new ArgumentException($"GptConfig: model dim {ModelDim} is not divisible by {Heads} heads (or give HeadDim).");
        if (Positions == PositionKind.Rotary && AttentionHeadDim % 2 != 0)
            throw new ArgumentException($"GptConfig: rotary positions need an even head dimension; got {AttentionHeadDim}. Change the heads, the model dim or HeadDim.");
    }

    /// <summary>The compression brief's teacher (§2.8): 6 layers, d = 256, 8 heads, FFN 1024, context 128.</summary>
    public static GptConfig Teacher(int vocab) => new(vocab, 128, 6, 256, 8, 1024);
}
