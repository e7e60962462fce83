using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>Shared k-means arithmetic (paper §1 definitions): the cost of an assignment,
/// nearest-centre assignment through one GEMM, and centroids as U^†A. Points are the rows of an
/// n×d matrix; centres the rows of a k×d matrix.</summary>
public static class KMeans
{
    /// <summary>Nearest centre of every row of <paramref name="a"/> and the squared distance to it.
    /// Distances come from ‖c‖² − 2·a·cᵀ (one GEMM through <see cref="Ops"/>) plus ‖a‖², clamped at 0.</summary>
    public static (int[] Labels, double[] Distances) Assign(Matrix a, Matrix centres) => Assign(a, centres, SquaredRowNorms(a));

    /// <summary>‖aᵢ‖² for every row (cache it across repeated <see cref="Assign(Matrix, Matrix, double[])"/> calls).</summary>
    public static double[] SquaredRowNorms(Matrix a) => Ops.RowNorms(a).ToCpu().ToArray().Select(x => x * x).ToArray();

    /// <summary><see cref="Assign(Matrix, Matrix)"/> with precomputed ‖aᵢ‖² (<see cref="SquaredRowNorms"/>).</summary>
    public static (int[] Labels, double[] Distances) Assign(Matrix a, Matrix centres, double[] rowNormsSquared)
    {
        CheckPoints(a, nameof(a));
        if (centres.Cols != a.Cols)
            throw new ArgumentException($"centres have {centres.Cols} columns but the points have {a.Cols}; centres must be k×d with the points' d.", nameof(centres));
        int n = a.Rows, k = centres.Rows;
        var cn = Ops.RowNorms(centres).ToCpu().ToArray();
        var shifted = Matrix.Zeros(n, k, a.DType, a.Device);
        if (a.Device.Kind == DeviceKind.Cpu)
        {
            var s = shifted.Span;
            for (int c = 0; c < k; c++) s.Slice(c * n, n).Fill(cn[c] * cn[c]);
        }
        else
        {
            var ones = Matrix.Zeros(n, 1, a.DType);
            ones.Span.Fill(1);
            var cn2 = Matrix.FromColumnMajor(1, k, cn.Select(x => x * x).ToArray());
            shifted.Dispose();
            shifted = Ops.MatMul(ones.To(a.Device), cn2.To(a.Device));
        }
        Ops.Gemm(a, false, centres, true, shifted, -2, 1);
        var labels = Ops.ArgMinPerRow(shifted);
        var host = (shifted.Device.Kind == DeviceKind.Cpu ? shifted : shifted.ToCpu()).Span;
        if (rowNormsSquared.Length != n) throw new ArgumentException($"rowNormsSquared has {rowNormsSquared.Length} entries for {n} points.", nameof(rowNormsSquared));
        var d2 = new double[n];
        for (int i = 0; i < n; i++) d2[i] = Math.Max(0, rowNormsSquared[i] + host[i + labels[i] * n]);
        return (labels, d2);
    }

    /// <summary>Exact cost Σᵢ ‖aᵢ − c_{labels[i]}‖² = ‖A − UV‖_F², summed entry by entry (no
    /// cancellation). <paramref name="weights"/> multiplies each point's term when given.</summary>
    public static double Cost(Matrix a, int[] labels, Matrix centres, double[]? weights = null)
    {
        CheckLabels(a, labels, centres.Rows);
        var ah = a.Device.Kind == DeviceKind.Cpu ? a : a.ToCpu();
        var ch = centres.Device.Kind == DeviceKind.Cpu ? centres : centres.ToCpu();
        int n = a.Rows, d = a.Cols, k = centres.Rows;
        var s = ah.Span; var c = ch.Span;
        var perPoint = new double[n];
        for (int j = 0; j < d; j++)
        {
            var col = s.Slice(j * n, n);
            for (int i = 0; i < n; i++)
            {
                double diff = col[i] - c[labels[i] + j * k];
                perPoint[i] += diff * diff;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) total += (weights?[i] ?? 1) * perPoint[i];
        return total;
    }

    /// <summary>Centroids V = U^†A for fixed labels (the optimal centres, brief §2.1): row c is the
    /// (weighted) mean of the points labelled c. Rows of empty clusters are copied from
    /// <paramref name="fallback"/> when given, else left at zero; <paramref name="counts"/> says which.</summary>
    public static Matrix Centroids(Matrix a, int[] labels, int k, out double[] counts, double[]? weights = null, Matrix? fallback = null)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        CheckLabels(a, labels, k);
        int n = a.Rows;
        var w = new double[k];
        for (int i = 0; i < n; i++) w[labels[i]] += weights?[i] ?? 1;
        Matrix v;
        if (a.Device.Kind == DeviceKind.Cpu && a.DType == DType.F64)
        {
            // Host fast path: one pass over the column-major data.
            v = Matrix.Zeros(k, a.Cols);
            var vs = v.Span;
            var s = a.Span;
            for (int j = 0; j < a.Cols; j++)
            {
                var col = s.Slice(j * n, n);
                int off = j * k;
                if (weights is null) for (int i = 0; i < n; i++) vs[off + labels[i]] += col[i];
                else for (int i = 0; i < n; i++) vs[off + labels[i]] += weights[i] * col[i];
                for (int c = 0; c < k; c++) vs[off + c] = w[c] > 0 ? vs[off + c] / w[c] : 0;
            }
        }
        else
        {
            var u = SparseMatrix.FromTriplets(n, k, Enumerable.Range(0, n).Select(i => (i, labels[i], weights?[i] ?? 1.0)));
            var sums = Ops.SpMM(u, a.ToCpu(), trans: true);
            var scale = Matrix.FromColumnMajor(k, 1, w.Select(x => x > 0 ? 1 / x : 0).ToArray());
            v = Ops.ScaleRows(scale, sums);
        }
        if (fallback is not null)
            for (int c = 0; c < k; c++)
                if (w[c] == 0)
                    for (int j = 0; j < a.Cols; j++) v[c, j] = fallback[c, j];
        counts = w;
        return a.Device.Kind == DeviceKind.Cpu ? v : v.To(a.Device);
    }

    /// <summary>The optimal cost for fixed labels: the cost with <see cref="Centroids"/> as centres.</summary>
    public static double CostOfPartition(Matrix a, int[] labels, int k) => Cost(a, labels, Centroids(a, labels, k, out _));

    /// <summary>One-hot code matrix U (n×k) with U[i, labels[i]] = 1.</summary>
    public static Matrix Indicator(int[] labels, int k)
    {
        var u = Matrix.Zeros(labels.Length, k);
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)k) throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"label at index {i} must be in 0..{k - 1}.");
            u[i, labels[i]] = 1;
        }
        return u;
    }

    internal static void CheckPoints(Matrix a, string name)
    {
        if (a.Rows < 1 || a.Cols < 1) throw new ArgumentException($"{name} is {a.Rows}×{a.Cols}; need at least one point and one coordinate.", name);
    }

    internal static void CheckK(int k, int n, string name = "k")
    {
        if (k < 1) throw new ArgumentOutOfRangeException(name, k, "k must be at least 1.");
        if (k > n) throw new ArgumentOutOfRangeException(name, k, $"k = {k} clusters exceeds the number of points n = {n}; use k <= n.");
    }

    private static void CheckLabels(Matrix a, int[] labels, int k)
    {
        if (labels.Length != a.Rows)
            throw new ArgumentException($"labels has {labels.Length} entries but there are {a.Rows} points; give one label per row.", nameof(labels));
        for (int i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)k)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"label at index {i} must be in 0..{k - 1}.");
    }
}
