namespace Reproduce.Compute;

/// <summary>The operations the papers need, implemented once per device (CPU managed, CPU
/// OpenBLAS, CUDA). Every operand of a call lives on this backend's device; results are new
/// matrices on the same device unless an output is passed. Shapes are checked by <see cref="Ops"/>
/// before a backend is called, so implementations may assume consistent shapes.</summary>
public interface IBackend
{
    /// <summary>"managed", "openblas", "cuda", ...</summary>
    string Name { get; }

    /// <summary>Library and version details for --version.</summary>
    string Describe();

    // ---- memory (non-CPU backends; CPU backends may throw NotSupported for Upload/Download) ----

    /// <summary>A zero matrix on this device.</summary>
    Matrix Allocate(int rows, int cols, DType dtype);
    /// <summary>Copies a CPU matrix to this device.</summary>
    Matrix Upload(Matrix host);
    /// <summary>Copies a matrix of this device to the CPU.</summary>
    Matrix Download(Matrix m);
    /// <summary>A deep copy on this device.</summary>
    Matrix Copy(Matrix m);
    /// <summary>A converted copy on this device.</summary>
    Matrix Convert(Matrix m, DType dtype);

    // ---- BLAS ----

    /// <summary>C ← α·op(A)·op(B) + β·C.</summary>
    void Gemm(Matrix a, bool transA, Matrix b, bool transB, Matrix c, double alpha, double beta);
    /// <summary>C ← α·AᵀA + β·C (trans) or α·AAᵀ + β·C; C is filled in full (both triangles).</summary>
    void Syrk(Matrix a, bool trans, Matrix c, double alpha, double beta);
    /// <summary>y ← α·op(A)·x + β·y.</summary>
    void Gemv(Matrix a, bool trans, Matrix x, Matrix y, double alpha, double beta);
    /// <summary>y ← α·x + y (same shapes).</summary>
    void Axpy(double alpha, Matrix x, Matrix y);
    /// <summary>Σ x∘y over all entries.</summary>
    double Dot(Matrix x, Matrix y);

    // ---- elementwise ----

    /// <summary>result ← f(x) entrywise (result may be x).</summary>
    void Map(UnaryOp op, Matrix x, Matrix result, double a = 0, double b = 0);
    /// <summary>result ← f(x, y) entrywise (result may be x or y).</summary>
    void Zip(BinaryOp op, Matrix x, Matrix y, Matrix result);

    // ---- reductions ----

    /// <summary>Σ entries.</summary>
    double Sum(Matrix x);
    /// <summary>Entrywise norm.</summary>
    double Norm(Matrix x, NormKind kind);
    /// <summary>Euclidean norm of each row (m×1).</summary>
    Matrix RowNorms(Matrix x);
    /// <summary>Euclidean norm of each column (n×1).</summary>
    Matrix ColumnNorms(Matrix x);
    /// <summary>Sum of each row (m×1).</summary>
    Matrix RowSums(Matrix x);
    /// <summary>Sum of each column (n×1).</summary>
    Matrix ColumnSums(Matrix x);
    /// <summary>Column index of the max entry of each row (first on ties).</summary>
    int[] ArgMaxPerRow(Matrix x);
    /// <summary>Column index of the min entry of each row (first on ties).</summary>
    int[] ArgMinPerRow(Matrix x);

    // ---- gather and diagonal scaling ----

    /// <summary>Rows idx[0], idx[1], ... of x as a new matrix.</summary>
    Matrix GatherRows(Matrix x, int[] idx);
    /// <summary>Columns idx[...] of x as a new matrix.</summary>
    Matrix GatherColumns(Matrix x, int[] idx);
    /// <summary>diag(d)·x (d is m×1), into result.</summary>
    void ScaleRows(Matrix x, Matrix d, Matrix result);
    /// <summary>x·diag(d) (d is n×1), into result.</summary>
    void ScaleColumns(Matrix x, Matrix d, Matrix result);
    /// <summary>Aᵀ as a new matrix.</summary>
    Matrix Transpose(Matrix a);

    // ---- factorizations and solves (float64; float32 where the backend supports it) ----

    /// <summary>Lower-triangular L with A = LLᵀ; throws <see cref="NotPositiveDefiniteException"/>.</summary>
    Matrix Cholesky(Matrix a);
    /// <summary>Solves op(T)·X = B for triangular T (lower or upper).</summary>
    Matrix TriangularSolve(Matrix t, Matrix b, bool lower, bool transpose);
    /// <summary>Thin QR: A (m×n, m ≥ n) = Q (m×n, orthonormal columns) · R (n×n upper).</summary>
    (Matrix Q, Matrix R) Qr(Matrix a);
    /// <summary>Eigen-decomposition of symmetric A: values ascending (n×1), orthonormal vectors as columns.</summary>
    (Matrix Values, Matrix Vectors) SymmetricEigen(Matrix a);
    /// <summary>Thin SVD: A = U·diag(S)·Vᵀ with k = min(m, n); S descending (k×1), U m×k, V n×k.</summary>
    (Matrix U, Matrix S, Matrix V) Svd(Matrix a);

    // ---- random fills ----

    /// <summary>target entry i (column-major) ← element <paramref name="first"/> + i of the Philox
    /// stream (<paramref name="kind"/>, <paramref name="key"/>) exactly as <see cref="Philox"/>
    /// defines it, so the result depends only on (kind, key, first, shape) — not on the backend,
    /// device or thread count: every implementation produces the same bits.</summary>
    void FillRandom(RandomKind kind, ulong key, long first, Matrix target);

    // ---- sparse ----

    /// <summary>op(A)·x for CSR A and dense x (vector or matrix: SpMV/SpMM).</summary>
    Matrix SpMM(SparseMatrix a, bool trans, Matrix x);
}
