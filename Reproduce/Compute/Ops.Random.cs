namespace Reproduce.Compute;

public static partial class Ops
{
    /// <summary>A rows×cols matrix of independent standard normals drawn on <paramref name="device"/>
    /// (default CPU) by the counter-based generator <see cref="Philox"/>. Same stream semantics as
    /// <see cref="Rng"/>: the call consumes exactly one <see cref="Rng.NextUInt64"/> of
    /// <paramref name="rng"/> — the Philox key — whatever the device, shape or element type (also for
    /// an empty matrix), so the caller's stream advances identically on CPU and GPU and later draws do
    /// not depend on the device. Entry (i, j) is element j·rows + i of the key's normal stream, a pure
    /// function of (key, index): the result does not depend on the thread count or the device — CPU
    /// and CUDA produce the same bits (<see cref="Philox"/> uses no library math). The values differ
    /// from <see cref="Rng.NormalMatrix"/>'s (a different generator), which stays as it is.</summary>
    public static Matrix RandomNormal(int rows, int cols, Rng rng, Device? device = null, DType dtype = DType.F64) =>
        Random(nameof(RandomNormal), RandomKind.Normal, rows, cols, rng, device, dtype);

    /// <summary>A rows×cols matrix of independent uniforms on [0, 1) (float32: top 24 bits, see
    /// <see cref="Philox"/>); consumes exactly one <see cref="Rng.NextUInt64"/> as the key, like
    /// <see cref="RandomNormal"/>.</summary>
    public static Matrix RandomUniform(int rows, int cols, Rng rng, Device? device = null, DType dtype = DType.F64) =>
        Random(nameof(RandomUniform), RandomKind.Uniform, rows, cols, rng, device, dtype);

    /// <summary>A rows×cols matrix of independent Rademacher signs (±1, probability ½ each);
    /// consumes exactly one <see cref="Rng.NextUInt64"/> as the key, like <see cref="RandomNormal"/>.</summary>
    public static Matrix RandomRademacher(int rows, int cols, Rng rng, Device? device = null, DType dtype = DType.F64) =>
        Random(nameof(RandomRademacher), RandomKind.Rademacher, rows, cols, rng, device, dtype);

    /// <summary>Overwrites <paramref name="target"/> (any device) with a fresh draw of
    /// <paramref name="kind"/>, consuming exactly one <see cref="Rng.NextUInt64"/> as the key: the same
    /// values <see cref="RandomNormal"/> (etc.) would return for that rng state, without allocating
    /// (e.g. a sketch matrix redrawn every iteration).</summary>
    public static Matrix FillRandom(Matrix target, RandomKind kind, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(target);
        CheckKind("FillRandom", kind);
        ArgumentNullException.ThrowIfNull(rng);
        target.Backend.FillRandom(kind, rng.NextUInt64(), 0, target);
        return target;
    }

    /// <summary>target entry i (column-major) ← element <paramref name="first"/> + i of the stream
    /// (<paramref name="kind"/>, <paramref name="key"/>): the pure, key-addressed form, e.g. to draw
    /// the columns j0 … j1 − 1 of an m-row matrix as a block (first = j0·m) that matches the same
    /// columns of the whole matrix.</summary>
    public static Matrix FillRandom(Matrix target, RandomKind kind, ulong key, long first = 0)
    {
        ArgumentNullException.ThrowIfNull(target);
        CheckKind("FillRandom", kind);
        Philox.CheckRange(first, target.Length, nameof(first));
        target.Backend.FillRandom(kind, key, first, target);
        return target;
    }

    private static Matrix Random(string op, RandomKind kind, int rows, int cols, Rng rng, Device? device, DType dtype)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"{op}: rows must be ≥ 0, got {rows}.");
        if (cols < 0) throw new ArgumentOutOfRangeException(nameof(cols), cols, $"{op}: cols must be ≥ 0, got {cols}.");
        if (dtype is not (DType.F64 or DType.F32))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, $"{op}: element type {(int)dtype} is not supported; use DType.F64 or DType.F32.");
        ArgumentNullException.ThrowIfNull(rng);
        device ??= Device.Cpu;
        ulong key = rng.NextUInt64(); // exactly one draw, before anything that depends on the device
        var m = Matrix.Zeros(rows, cols, dtype, device);
        m.Backend.FillRandom(kind, key, 0, m);
        return m;
    }

    private static void CheckKind(string op, RandomKind kind)
    {
        if (kind is not (RandomKind.Normal or RandomKind.Uniform or RandomKind.Rademacher))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"{op}: unknown random kind {(int)kind}; use RandomKind.Normal, Uniform or Rademacher.");
    }
}
