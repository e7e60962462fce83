using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>A labelled data set (X ∈ ℝ^{n×d}, y ∈ {−1, +1}ⁿ) for logistic regression (Dexter, Drineas, Khanna,
/// NeurIPS 2024, §2). The complexity measure works on Z = D_y X (<see cref="Z"/>); the loss convention is
/// L(β) = Σᵢ softplus(−yᵢxᵢᵀβ). Construction validates the input and names any problem and its fix.</summary>
public sealed class LogisticData
{
    private LogisticData(Matrix x, double[] y) { X = x; Y = y; }

    /// <summary>Features (n×d, column-major, CPU or GPU).</summary>
    public Matrix X { get; }
    /// <summary>Labels in {−1, +1}.</summary>
    public double[] Y { get; }
    /// <summary>n.</summary>
    public int Rows => X.Rows;
    /// <summary>d.</summary>
    public int Cols => X.Cols;

    /// <summary>Z = D_y X (row i multiplied by yᵢ), on X's device.</summary>
    public Matrix Z() => Ops.ScaleRows(Linalg.Vec(Y, X.Device), X);

    /// <summary>Validates and wraps X (n×d, CPU) and labels in {−1, +1}.</summary>
    /// <exception cref="ArgumentException">Labels not ±1, NaN/Inf features, an all-zero or repeated constant column, n &lt; d or empty data.</exception>
    public static LogisticData Create(Matrix x, double[] y, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(y);
        var xc = x.Device.Kind == DeviceKind.Cpu ? x : x.ToCpu();
        int n = xc.Rows, d = xc.Cols;
        if (n == 0 || d == 0) throw new ArgumentException($"LogisticData: X is {n}×{d}; it needs at least one row and one column.", nameof(x));
        if (y.Length != n) throw new ArgumentException($"LogisticData: y has {y.Length} labels but X has {n} rows; give one label per row.", nameof(y));
        if (n < d) throw new ArgumentException($"LogisticData: n = {n} rows < d = {d} columns; μ and the LAD form need n ≥ d (Z must have full column rank). Drop or combine columns, or add rows.", nameof(x));
        for (int i = 0; i < n; i++)
            if (y[i] != 1 && y[i] != -1) throw new ArgumentException($"LogisticData: label y[{i}] = {y[i].ToString(CultureInfo.InvariantCulture)} is not −1 or +1; map two distinct label values with LogisticData.FromLabels(x, labels, positive).", nameof(y));
        var s = xc.Span;
        int constantCols = 0;
        for (int j = 0; j < d; j++)
        {
            double first = s[j * n]; bool constant = true;
            for (int i = 0; i < n; i++)
            {
                double v = s[j * n + i];
                if (!double.IsFinite(v)) throw new ArgumentException($"LogisticData: X[{i},{j}] is {v.ToString(CultureInfo.InvariantCulture)}; features must be finite (impute or drop that row).", nameof(x));
                if (v != first) constant = false;
            }
            if (constant && first == 0) throw new ArgumentException($"LogisticData: column {j} is all zeros; Z would be rank deficient. Drop that column.", nameof(x));
            if (constant && ++constantCols > 1) throw new ArgumentException($"LogisticData: column {j} is constant ({first.ToString(CultureInfo.InvariantCulture)}) and another constant column exists; they are collinear. Keep at most one intercept column.", nameof(x));
        }
        var dev = device ?? x.Device;
        var xd = dev.Kind == DeviceKind.Cpu ? xc.Copy() : xc.To(dev);
        return new LogisticData(xd, (double[])y.Clone());
    }

    /// <summary>Maps raw labels with exactly two distinct values to ±1 (<paramref name="positive"/> ↦ +1, the other ↦ −1).</summary>
    public static LogisticData FromLabels(Matrix x, string[] labels, string? positive = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var distinct = labels.Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToArray();
        if (distinct.Length != 2)
            throw new ArgumentException($"LogisticData: the label column has {distinct.Length} distinct values ({string.Join(", ", distinct.Take(5))}{(distinct.Length > 5 ? ", …" : "")}); logistic regression needs exactly two. Recode it to two classes.", nameof(labels));
        string pos = positive ?? (distinct.Contains("1") ? "1" : distinct.Contains("+1") ? "+1" : distinct[1]);
        if (!distinct.Contains(pos)) throw new ArgumentException($"LogisticData: positive label '{pos}' is not one of the two label values ({distinct[0]}, {distinct[1]}).", nameof(positive));
        var y = labels.Select(l => l == pos ? 1.0 : -1.0).ToArray();
        return Create(x, y, device);
    }

    /// <summary>Rows <paramref name="idx"/> as a new data set (no re-validation of values).</summary>
    public LogisticData Subset(int[] idx) => new(Ops.GatherRows(X, idx), idx.Select(i => Y[i]).ToArray());
}
