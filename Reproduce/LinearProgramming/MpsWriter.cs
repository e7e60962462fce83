using System.Globalization;
using System.Text;

namespace Reproduce.LinearProgramming;

/// <summary>Writes an <see cref="LpProblem"/> as free-format MPS (marked FREE on its NAME line) with single-space
/// separators and round-trip ("R") numbers, which both <see cref="MpsReader"/> and CLP read. Each row is written as the tightest
/// MPS row type: E (equal bounds), L (upper only), G (lower only, or ranged with a RANGES entry), N for free rows.</summary>
public static class MpsWriter
{
    /// <summary>The MPS text of <paramref name="p"/>.</summary>
    public static string Write(LpProblem p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var sb = new StringBuilder();
        // Free-format MPS cannot carry names with spaces (fixed-format sources have them) or a row named like our
        // objective: then every row and column is written under a generated name R<i> / C<j>.
        bool generated = p.RowNames.Any(n => Bad(n) || n == "OBJ") || p.ColumnNames.Any(Bad);
        var rowNames = generated ? Enumerable.Range(0, p.RowCount).Select(i => "R" + i).ToArray() : p.RowNames;
        var colNames = generated ? Enumerable.Range(0, p.ColumnCount).Select(j => "C" + j).ToArray() : p.ColumnNames;
        // "FREE" after the name tells COIN-OR's reader the format: CLP 1.17.6 otherwise guesses it per line and read a
        // short BOUNDS line such as " UP BND C0 1" by column position ("No match for column"). Our reader ignores it.
        sb.Append("NAME ").Append(Safe(p.ProblemName)).Append(" FREE\n");
        sb.Append("ROWS\n N OBJ\n");
        for (int i = 0; i < p.RowCount; i++) sb.Append(' ').Append(RowType(p, i)).Append(' ').Append(rowNames[i]).Append('\n');
        sb.Append("COLUMNS\n");
        var cols = ConstraintMatrix.Transpose(p.A);
        for (int j = 0; j < p.ColumnCount; j++)
        {
            string cn = colNames[j];
            bool any = false;
            if (p.C[j] != 0) { sb.Append(' ').Append(cn).Append(" OBJ ").Append(F(p.C[j])).Append('\n'); any = true; }
            for (int k = cols.RowPtr[j]; k < cols.RowPtr[j + 1]; k++)
            { sb.Append(' ').Append(cn).Append(' ').Append(rowNames[cols.ColIdx[k]]).Append(' ').Append(F(cols.Values[k])).Append('\n'); any = true; }
            if (!any) sb.Append(' ').Append(cn).Append(" OBJ 0\n");
        }
        sb.Append("RHS\n");
        if (p.ObjectiveOffset != 0) sb.Append(" RHS OBJ ").Append(F(-p.ObjectiveOffset)).Append('\n');
        for (int i = 0; i < p.RowCount; i++)
        {
            double v = RowType(p, i) switch { 'E' or 'G' => p.RowLower[i], 'L' => p.RowUpper[i], _ => 0 };
            if (v != 0) sb.Append(" RHS ").Append(rowNames[i]).Append(' ').Append(F(v)).Append('\n');
        }
        var ranges = Enumerable.Range(0, p.RowCount).Where(i => RowType(p, i) == 'G' && double.IsFinite(p.RowUpper[i])).ToList();
        if (ranges.Count > 0)
        {
            sb.Append("RANGES\n");
            foreach (var i in ranges) sb.Append(" RNG ").Append(rowNames[i]).Append(' ').Append(F(p.RowUpper[i] - p.RowLower[i])).Append('\n');
        }
        sb.Append("BOUNDS\n");
        for (int j = 0; j < p.ColumnCount; j++)
        {
            double l = p.ColLower[j], u = p.ColUpper[j]; string cn = colNames[j];
            if (l == u) { sb.Append(" FX BND ").Append(cn).Append(' ').Append(F(l)).Append('\n'); continue; }
            // Free and minus-infinity columns are written as "LO BND x -1e+30" (COIN's infinity)
            // rather than the value-less FR/MI lines: CLP's free-format reader infers the field
            // layout from the first BOUNDS line and rejects the file when that line has no value.
            if (double.IsNegativeInfinity(l) && double.IsPositiveInfinity(u)) { sb.Append(" LO BND ").Append(cn).Append(" -1e+30\n"); continue; }
            // UP first: an UP bound < 0 on a column whose lower bound is still 0 means lower = −∞ by convention,
            // so a following LO/MI states the intended lower bound explicitly.
            if (double.IsFinite(u)) sb.Append(" UP BND ").Append(cn).Append(' ').Append(F(u)).Append('\n');
            if (double.IsNegativeInfinity(l)) sb.Append(" LO BND ").Append(cn).Append(" -1e+30\n");
            else if (l != 0 || u < 0) sb.Append(" LO BND ").Append(cn).Append(' ').Append(F(l)).Append('\n');
        }
        sb.Append("ENDATA\n");
        return sb.ToString();
    }

    /// <summary>Writes the MPS text to a file.</summary>
    public static void WriteFile(LpProblem p, string path) => File.WriteAllText(path, Write(p));

    private static char RowType(LpProblem p, int i)
    {
        double l = p.RowLower[i], u = p.RowUpper[i];
        if (l == u) return 'E';
        if (double.IsNegativeInfinity(l)) return double.IsPositiveInfinity(u) ? 'N' : 'L';
        return 'G';
    }

    private static bool Bad(string n) => n.Length == 0 || n.Any(char.IsWhiteSpace) || n[0] == '$' || n[0] == '*';
    private static string Safe(string s) => string.IsNullOrWhiteSpace(s) ? "LP" : s.Replace(' ', '_');
    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
