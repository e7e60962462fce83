namespace Reproduce.Compute.Cuda;

/// <summary>One CPU-vs-GPU comparison: the operation, the element type, the largest error found
/// (relative to the result's scale) and the tolerance it must meet.</summary>
public sealed record ParityResult(string Operation, DType DType, double Error, double Tolerance)
{
    /// <summary>Error within tolerance.</summary>
    public bool Pass => Error <= Tolerance;
}

/// <summary>Runs every backend operation on the same random inputs on the CPU and on the GPU and
/// compares. Used by the xunit CUDA tests (skipped without a GPU) and by `reproduce cuda check`
/// on GPU machines that have no .NET SDK. Tolerances: 1e-10 (float64) and 2e-4 (float32) relative
/// to the result's max-abs scale; factorizations are compared through invariants (reconstruction,
/// orthogonality) since signs and bases of eigenvectors/singular vectors are not unique. The Philox
/// random fills must match bit for bit (tolerance 0; see <see cref="RandomFills"/>).</summary>
public static class CudaParity
{
    /// <summary>Compares <paramref name="gpu"/> against <paramref name="cpu"/> for float64 and float32.
    /// The allocator check needs the CUDA memory pool, so it runs only when <paramref name="gpu"/> is
    /// the CUDA backend (the tests' simulated accelerator has no pool).</summary>
    public static IReadOnlyList<ParityResult> Run(Device gpu, Device cpu, ulong seed = 7)
    {
        var results = new List<ParityResult>();
        foreach (var dt in new[] { DType.F64, DType.F32 })
            RunOne(gpu, cpu, new Rng(seed).Fork(dt.ToString()), dt, results);
        if (gpu.Backend is CudaBackend) results.Add(AllocatorStress(gpu));
        return results;
    }

    private static void RunOne(Device gpu, Device cpu, Rng rng, DType dt, List<ParityResult> r)
    {
        double tol = dt == DType.F64 ? 1e-10 : 2e-4;
        Matrix Rand(int m, int n) => rng.NormalMatrix(m, n).AsType(dt);
        Matrix G(Matrix h) => h.To(gpu);
        void Cmp(string op, Matrix cpuResult, Matrix gpuResult, double tolerance)
        {
            var a = cpuResult.ToArray();
            var b = gpuResult.ToArray();
            if (a.Length != b.Length) { r.Add(new ParityResult(op + " (shape)", dt, double.PositiveInfinity, tolerance)); return; }
            double scale = 1e-300, err = 0;
            foreach (var v in a) scale = Math.Max(scale, Math.Abs(v));
            for (int i = 0; i < a.Length; i++)
            {
                if (double.IsNaN(a[i]) && double.IsNaN(b[i])) continue; // both undefined: agree
                double d = Math.Abs(a[i] - b[i]);
                err = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(err, d);
            }
            r.Add(new ParityResult(op, dt, a.Length == 0 ? 0 : err / scale, tolerance));
        }
        void Scalar(string op, double c, double g, double tolerance) =>
            r.Add(new ParityResult(op, dt, Math.Abs(c - g) / Math.Max(1e-300, Math.Abs(c)), tolerance));

        // Shapes: tall, wide, square, 1×1, and an empty case.
        foreach (var (m, k, n) in new[] { (67, 33, 45), (1, 1, 1), (5, 130, 3), (0, 4, 3) })
        {
            string s = $" {m}×{k}·{k}×{n}";
            var a = Rand(m, k); var b = Rand(k, n); var at = Rand(k, m); var bt = Rand(n, k);
            Cmp("MatMul NN" + s, Ops.MatMul(a, b), Ops.MatMul(G(a), G(b)), tol);
            Cmp("MatMul TN" + s, Ops.MatMul(at, b, transA: true), Ops.MatMul(G(at), G(b), transA: true), tol);
            Cmp("MatMul NT" + s, Ops.MatMul(a, bt, transB: true), Ops.MatMul(G(a), G(bt), transB: true), tol);
            Cmp("Gram AᵀA" + s, Ops.Gram(a), Ops.Gram(G(a)), tol);
            Cmp("Gram AAᵀ" + s, Ops.Gram(a, outer: true), Ops.Gram(G(a), outer: true), tol);
            var x = Rand(k, 1);
            Cmp("MatVec" + s, Ops.MatVec(a, x), Ops.MatVec(G(a), G(x)), tol);
        }
        var p = Rand(40, 17); var q = Rand(40, 17);
        var pos = Ops.Map(UnaryOp.AddScalar, Ops.Map(UnaryOp.Abs, p), 0.5);
        foreach (UnaryOp op in Enum.GetValues<UnaryOp>())
        {
            // Keep inputs inside each map's domain (log1p needs x > −1, log/sqrt/pow x > 0).
            var input = op is UnaryOp.Log or UnaryOp.Log1p or UnaryOp.Sqrt or UnaryOp.Pow or UnaryOp.Reciprocal ? pos : p;
            Cmp("Map " + op, Ops.Map(op, input, 0.7, 1.3), Ops.Map(op, G(input), 0.7, 1.3), tol);
        }
        foreach (BinaryOp op in Enum.GetValues<BinaryOp>())
        {
            var y = op == BinaryOp.Div ? pos : q;
            Cmp("Zip " + op, Ops.Zip(op, p, y), Ops.Zip(op, G(p), G(y)), tol);
        }
        var yc = q.Copy(); var yg = G(q);
        Ops.Axpy(-0.3, p, yc); Ops.Axpy(-0.3, G(p), yg);
        Cmp("Axpy", yc, yg, tol);
        Scalar("Dot", Ops.Dot(p, q), Ops.Dot(G(p), G(q)), tol);
        Scalar("Sum", Ops.Sum(p), Ops.Sum(G(p)), tol * 10);
        foreach (var nk in Enum.GetValues<NormKind>()) Scalar("Norm " + nk, Ops.Norm(p, nk), Ops.Norm(G(p), nk), tol);
        Cmp("RowNorms", Ops.RowNorms(p), Ops.RowNorms(G(p)), tol);
        Cmp("ColumnNorms", Ops.ColumnNorms(p), Ops.ColumnNorms(G(p)), tol);
        Cmp("RowSums", Ops.RowSums(p), Ops.RowSums(G(p)), tol * 10);
        Cmp("ColumnSums", Ops.ColumnSums(p), Ops.ColumnSums(G(p)), tol * 10);
        r.Add(new ParityResult("ArgMaxPerRow", dt, Ops.ArgMaxPerRow(p).SequenceEqual(Ops.ArgMaxPerRow(G(p))) ? 0 : 1, 0));
        r.Add(new ParityResult("ArgMinPerRow", dt, Ops.ArgMinPerRow(p).SequenceEqual(Ops.ArgMinPerRow(G(p))) ? 0 : 1, 0));
        int[] rows = [3, 0, 39, 3, 7], cols = [16, 0, 5];
        Cmp("GatherRows", Ops.GatherRows(p, rows), Ops.GatherRows(G(p), rows), 0);
        Cmp("GatherColumns", Ops.GatherColumns(p, cols), Ops.GatherColumns(G(p), cols), 0);
        var dr = Rand(40, 1); var dc = Rand(17, 1);
        Cmp("ScaleRows", Ops.ScaleRows(dr, p), Ops.ScaleRows(G(dr), G(p)), tol);
        Cmp("ScaleColumns", Ops.ScaleColumns(p, dc), Ops.ScaleColumns(G(p), G(dc)), tol);
        Cmp("Transpose", Ops.Transpose(p), Ops.Transpose(G(p)), 0);
        Cmp("AsType round trip", p.AsType(DType.F64).AsType(dt), G(p).AsType(DType.F64).AsType(dt), 0);

        // Factorizations. SPD matrix A = BᵀB + nI.
        int nn = 48;
        var bm = Rand(60, nn);
        var spd = Ops.Add(Ops.Gram(bm), Ops.Scale(Matrix.Identity(nn, dt), nn));
        double ftol = dt == DType.F64 ? 1e-9 : 2e-3;
        Cmp("Cholesky", Ops.Cholesky(spd), Ops.Cholesky(G(spd)), ftol);
        var rhs = Rand(nn, 3);
        Cmp("CholeskySolve", Ops.CholeskySolve(spd, rhs), Ops.CholeskySolve(G(spd), G(rhs)), ftol);
        var l = Ops.Cholesky(spd);
        Cmp("TriangularSolve lower ᵀ", Ops.TriangularSolve(l, rhs, lower: true, transpose: true), Ops.TriangularSolve(G(l), G(rhs), lower: true, transpose: true), ftol);
        var (ec, _) = Ops.SymmetricEigen(spd);
        var (eg, vg) = Ops.SymmetricEigen(G(spd));
        Cmp("SymmetricEigen values", ec, eg, ftol);
        // A V = V diag(w) on the GPU result itself.
        var av = Ops.MatMul(G(spd), vg); var vw = Ops.ScaleColumns(vg, eg);
        Cmp("SymmetricEigen A·V = V·Λ", av.ToCpu(), vw.ToCpu(), ftol);
        foreach (var (m, n) in new[] { (70, 20), (20, 70) })
        {
            var a = Rand(m, n);
            var (_, sc, _) = Ops.Svd(a);
            var (ug, sg, vgs) = Ops.Svd(G(a));
            Cmp($"Svd values {m}×{n}", sc, sg, ftol);
            var rec = Ops.MatMul(Ops.ScaleColumns(ug, sg), vgs, transB: true);
            Cmp($"Svd U·S·Vᵀ = A {m}×{n}", a, rec.ToCpu(), ftol);
        }
        var tall = Rand(50, 12);
        var (qg, rg) = Ops.Qr(G(tall));
        Cmp("Qr Q·R = A", tall, Ops.MatMul(qg, rg).ToCpu(), ftol);
        Cmp("Qr QᵀQ = I", Matrix.Identity(12, dt), Ops.Gram(qg).ToCpu(), ftol);
        try
        {
            var notPd = Ops.Sub(Matrix.Identity(4, dt), Ops.Scale(Matrix.Identity(4, dt), 2));
            Ops.Cholesky(G(notPd));
            r.Add(new ParityResult("Cholesky rejects non-PD", dt, 1, 0));
        }
        catch (NotPositiveDefiniteException e)
        {
            r.Add(new ParityResult("Cholesky rejects non-PD (pivot 0, value ≤ 0 or NaN)", dt, e.Pivot == 0 && !(e.Value > 0) ? 0 : 1, 0));
        }

        // Sparse: SpMV and SpMM with and without transpose.
        var trip = new List<(int, int, double)>();
        for (int t = 0; t < 300; t++) trip.Add((rng.NextInt(50), rng.NextInt(30), rng.Normal()));
        var sp = SparseMatrix.FromTriplets(50, 30, trip);
        var xs = Rand(30, 4); var xt = Rand(50, 1);
        Cmp("SpMM", Ops.SpMM(sp, xs), Ops.SpMM(sp, G(xs)), tol);
        Cmp("SpMV ᵀ", Ops.SpMM(sp, xt, trans: true), Ops.SpMM(sp, G(xt), trans: true), tol);
        r.AddRange(RandomFills(gpu, cpu, rng.NextUInt64(), dt));
    }

    /// <summary>The Philox fills (<see cref="Ops.RandomNormal"/> etc.) on the GPU against the CPU twin.
    /// Every step of the element map is integer arithmetic or a correctly rounded IEEE operation
    /// (<see cref="Philox"/>, <see cref="PhiloxMath"/>), so the GPU must reproduce the CPU bit for
    /// bit: tolerance 0, and any differing bit (even −0 against +0) counts as an error (reported as the
    /// largest |gpu − cpu| / max(1, |cpu|), at least 1e-300). The same seed must also leave the
    /// caller's <see cref="Rng"/> in the same state, and key-addressed fills at offsets whose Philox
    /// counters use the high 32-bit word check the kernel's 64-bit index arithmetic.</summary>
    public static IEnumerable<ParityResult> RandomFills(Device gpu, Device cpu, ulong seed, DType dt)
    {
        var results = new List<ParityResult>();
        void Cmp(string op, Matrix c, Matrix g)
        {
            var a = c.ToArray(); var b = g.ToArray();
            double err = a.Length == b.Length ? 0 : double.PositiveInfinity;
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                if (BitConverter.DoubleToInt64Bits(a[i]) == BitConverter.DoubleToInt64Bits(b[i])) continue;
                double d = Math.Abs(a[i] - b[i]) / Math.Max(1, Math.Abs(a[i]));
                err = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(err, Math.Max(d, 1e-300));
            }
            results.Add(new ParityResult(op, dt, err, 0));
        }
        foreach (var kind in Enum.GetValues<RandomKind>())
        {
            foreach (var (m, n) in new[] { (37, 29), (1, 1), (0, 3), (1000, 1001) })
            {
                var rc = new Rng(seed); var rg = new Rng(seed);
                using var g = Random(kind, m, n, rg, gpu, dt);
                Cmp($"Random {kind} {m}×{n} (bit-identical)", Random(kind, m, n, rc, cpu, dt), g);
                results.Add(new ParityResult($"Random {kind} {m}×{n}: caller's Rng advanced alike", dt, rc.NextUInt64() == rg.NextUInt64() ? 0 : 1, 0));
            }
            foreach (long first in new[] { 1L, (1L << 33) + 1, (1L << 62) + 12_345 })
            {
                var c = Ops.FillRandom(Matrix.Zeros(129, 3, dt, cpu), kind, seed, first);
                using var g = Ops.FillRandom(Matrix.Zeros(129, 3, dt, gpu), kind, seed, first);
                Cmp($"Random {kind} 129×3 from element {first} (bit-identical)", c, g);
            }
        }
        return results;
    }

    private static Matrix Random(RandomKind kind, int m, int n, Rng rng, Device device, DType dt) => kind switch
    {
        RandomKind.Normal => Ops.RandomNormal(m, n, rng, device, dt),
        RandomKind.Uniform => Ops.RandomUniform(m, n, rng, device, dt),
        _ => Ops.RandomRademacher(m, n, rng, device, dt),
    };

    /// <summary>Allocates and disposes matrices of varied sizes in a loop: after warm-up the pool
    /// must make no new device allocations and hold no more memory than at the start.</summary>
    public static ParityResult AllocatorStress(Device gpu, int rounds = 2000)
    {
        if (gpu.Backend is not CudaBackend cb) throw new ArgumentException($"AllocatorStress needs a CUDA device, got {gpu}.");
        int[] sizes = [1, 17, 256, 1000, 4096, 70_000, 300_000];
        void Round(int i)
        {
            using var m = Matrix.Zeros(sizes[i % sizes.Length], 3, DType.F64, gpu);
            using var n2 = Ops.Map(UnaryOp.Exp, m);
        }
        for (int i = 0; i < sizes.Length; i++) Round(i); // warm-up: the same pattern fills the cache once
        long allocs = cb.Pool.DeviceAllocations, inUse = cb.Pool.BytesInUse, cached = cb.Pool.BytesCached;
        for (int i = 0; i < rounds; i++) Round(i);
        long growth = (cb.Pool.DeviceAllocations - allocs) + Math.Max(0, cb.Pool.BytesInUse - inUse) + Math.Max(0, cb.Pool.BytesCached - cached);
        return new ParityResult($"Allocator: {rounds} alloc/free rounds, new cuMemAlloc calls + bytes growth", DType.F64, growth, 0);
    }
}
