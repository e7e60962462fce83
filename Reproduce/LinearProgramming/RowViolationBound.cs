namespace Reproduce.LinearProgramming;

/// <summary><para>A verified lower bound on the least total row violation of an LP, min over l ≤ x ≤ u of
/// Σᵢ dist(aᵢx, [rlᵢ, ruᵢ]), from any multiplier vector y (weak duality of the phase-1 LP). For |yᵢ| ≤ 1,
/// dist(r, [rl, ru]) ≥ yᵢ⁺(rl − r) + yᵢ⁻(r − ru), so summing over the rows and maximizing over the box,
///   Σᵢ dist(aᵢx, [rlᵢ, ruᵢ]) ≥ g(y) = Σᵢ (yᵢ⁺rlᵢ − yᵢ⁻ruᵢ) − Σⱼ max(wⱼlⱼ, wⱼuⱼ),  w = Aᵀy.
/// g(y) &gt; 0 proves that no x within the column bounds satisfies the rows (a Farkas certificate), whatever
/// produced y: the IPM's convergence is not part of the proof. The margin needed is the rounding error of
/// evaluating g in double precision, bounded here (Higham, "Accuracy and Stability of Numerical Algorithms",
/// 2002, §3.1: a computed sum or dot product of k terms is off by at most γₖ Σ|terms|, γₖ = ku/(1 − ku)), not a
/// tolerance: so an LP infeasible by far less than the solver's feasibility tolerance (cplex2, whose least total
/// violation is about 1e-9 in exact arithmetic) is still proved infeasible, and a feasible one never is.</para>
/// <para>y is first projected: clamped to [−1, 1], and a sign that would multiply an infinite row bound set to 0
/// (any such y still gives a valid bound). An infinite column bound stands in as ±<c>bigX</c>; where wⱼ's computed
/// sign is certain (|wⱼ| above its rounding error) and picks the finite bound, the infinite one plays no part; where
/// it does enter g or its error, the proof covers only the x with |xⱼ| ≤ bigX on those columns, and
/// <see cref="Result.BoxedColumns"/> says how many.</para></summary>
internal static class RowViolationBound
{
    /// <summary>g(y); the bound on its rounding error (g − Rounding &gt; 0 is a proof); the columns whose infinite bound
    /// was replaced by ±bigX where it mattered.</summary>
    internal readonly record struct Result(double Bound, double Rounding, int BoxedColumns)
    {
        /// <summary>Whether g(y) exceeds its rounding error: no x within the bounds satisfies the rows.</summary>
        public bool ProvesInfeasible => Bound - Rounding > 0;
    }

    internal static Result Evaluate(LpProblem p, double[] y, double bigX)
    {
        int m = p.RowCount, n = p.ColumnCount;
        if (y.Length != m) throw new ArgumentException($"y has {y.Length} entries; the LP has {m} rows.", nameof(y));
        var a = p.A;
        var yc = new double[m];
        double rowPart = 0, absSum = 0;
        for (int i = 0; i < m; i++)
        {
            double v = double.IsFinite(y[i]) ? Math.Clamp(y[i], -1, 1) : 0;
            double b = v > 0 ? p.RowLower[i] : p.RowUpper[i];
            if (v == 0 || !double.IsFinite(b)) continue;
            yc[i] = v;
            rowPart += v * b; absSum += Math.Abs(v * b);
        }
        var w = new double[n]; var wAbs = new double[n]; var count = new int[n];
        for (int i = 0; i < m; i++)
        {
            double v = yc[i]; if (v == 0) continue;
            for (int k = a.RowPtr[i]; k < a.RowPtr[i + 1]; k++)
            {
                int j = a.ColIdx[k];
                w[j] += a.Values[k] * v; wAbs[j] += Math.Abs(a.Values[k] * v); count[j]++;
            }
        }
        const double U = 1.0 / (1L << 53);
        double colPart = 0, wError = 0; int boxed = 0;
        for (int j = 0; j < n; j++)
        {
            if (wAbs[j] == 0) continue;
            double l = p.ColLower[j], u = p.ColUpper[j];
            // wⱼ's rounding error (a sum of count[j] products), doubled as in the final γ below.
            double dw = 2 * count[j] * U / (1 - (count[j] + 1) * U) * wAbs[j];
            double lb = double.IsFinite(l) ? l : -bigX, ub = double.IsFinite(u) ? u : bigX;
            double x = w[j] > 0 ? ub : lb;
            // The term max(w l, w u) is Lipschitz in w with constant max(|l|, |u|): that times w's rounding error covers
            // a wrongly signed w as well. Where w's sign is certain (|w| > its error), only the bound it picks enters,
            // so an infinite bound on the other side plays no part and needs no stand-in.
            bool signCertain = Math.Abs(w[j]) > dw;
            double lip = signCertain ? Math.Abs(x) : Math.Max(Math.Abs(lb), Math.Abs(ub));
            if (signCertain ? double.IsInfinity(w[j] > 0 ? u : l) : double.IsInfinity(l) || double.IsInfinity(u)) boxed++;
            colPart += w[j] * x; absSum += Math.Abs(w[j] * x);
            wError += dw * lip;
        }
        double g = rowPart - colPart;
        // Products (one rounding each) and the row and column sums (m + n + 1 terms): γ of the longest sum, doubled to
        // cover the first-order terms γ drops; plus the wⱼ errors carried through their bounds above.
        int k2 = m + n + 2;
        double rounding = 2 * k2 * U / (1 - k2 * U) * absSum + wError;
        return new Result(g, rounding, boxed);
    }

    /// <summary>The total row violation Σᵢ dist(aᵢx, [rlᵢ, ruᵢ]) of x clamped into the column bounds: an upper bound on
    /// the least one (up to rounding), the other side of the bracket <see cref="Evaluate"/> gives.</summary>
    internal static double TotalViolation(LpProblem p, double[] x)
    {
        var a = p.A; double s = 0;
        for (int i = 0; i < p.RowCount; i++)
        {
            double r = 0;
            for (int k = a.RowPtr[i]; k < a.RowPtr[i + 1]; k++)
            {
                int j = a.ColIdx[k];
                r += a.Values[k] * Math.Clamp(x[j], p.ColLower[j], p.ColUpper[j]);
            }
            s += r < p.RowLower[i] ? p.RowLower[i] - r : r > p.RowUpper[i] ? r - p.RowUpper[i] : 0;
        }
        return s;
    }
}
