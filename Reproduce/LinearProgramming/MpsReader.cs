using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>Reads free-format MPS (sections NAME, OBJSENSE, ROWS, COLUMNS, RHS, RANGES, BOUNDS, ENDATA;
/// names without spaces, fields separated by whitespace). Conventions: the first N row is the objective
/// (later N rows are ignored), an RHS entry on the objective row gives the objective constant −value, RANGES
/// follow the standard table (E rows: sign of R picks the side), UP with a negative value on a column with
/// lower bound 0 makes the lower bound −∞, MARKER lines (integrality) are skipped: the LP relaxation is read.
/// OBJSENSE MAX is turned into min −cᵀx.</summary>
public static class MpsReader
{
    /// <summary>Reads a file.</summary>
    public static LpProblem ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"MPS file '{path}' does not exist; pass the path of a .mps file.", path);
        using var r = new StreamReader(path);
        return Read(r);
    }

    /// <summary>Parses MPS text.</summary>
    public static LpProblem Parse(string text) { using var r = new StringReader(text); return Read(r); }

    /// <summary>Reads MPS from a reader.</summary>
    public static LpProblem Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string name = "LP", section = "", objName = ""; bool maximize = false, ended = false;
        var rowIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var rowNames = new List<string>(); var rowType = new List<char>();
        var colIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var colNames = new List<string>();
        var cost = new List<double>();
        var trip = new List<(int, int, double)>();
        var rhs = new List<double>(); var range = new List<double?>();
        var lo = new List<double>(); var up = new List<double>();
        var ignoredN = new HashSet<string>(StringComparer.Ordinal);
        double offset = 0;
        string? line; int ln = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            ln++;
            if (line.Length == 0 || line[0] == '*' || string.IsNullOrWhiteSpace(line)) continue;
            var tok = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (!char.IsWhiteSpace(line[0]))
            {
                section = tok[0].ToUpperInvariant();
                switch (section)
                {
                    case "NAME": name = tok.Length > 1 ? tok[1] : "LP"; break;
                    case "OBJSENSE":
                        if (tok.Length > 1) maximize = Sense(tok[1], ln);
                        break;
                    case "ROWS": case "COLUMNS": case "RHS": case "RANGES": case "BOUNDS": break;
                    case "ENDATA": ended = true; break;
                    default: throw new MpsFormatException(ln, tok[0], "unknown section header; expected NAME, OBJSENSE, ROWS, COLUMNS, RHS, RANGES, BOUNDS or ENDATA (data lines must start with a space).");
                }
                if (ended) break;
                continue;
            }
            switch (section)
            {
                case "OBJSENSE": maximize = Sense(tok[0], ln); break;
                case "ROWS":
                    {
                        if (tok.Length != 2) throw new MpsFormatException(ln, line.Trim(), "a ROWS line needs a type (N, E, L, G) and a name.");
                        char t = char.ToUpperInvariant(tok[0][0]);
                        if (tok[0].Length != 1 || "NELG".IndexOf(t) < 0) throw new MpsFormatException(ln, tok[0], "row type must be N, E, L or G.");
                        if (t == 'N')
                        {
                            if (objName.Length == 0) objName = tok[1]; else ignoredN.Add(tok[1]);
                            break;
                        }
                        if (rowIndex.ContainsKey(tok[1]) || tok[1] == objName) throw new MpsFormatException(ln, tok[1], "duplicate row name.");
                        rowIndex[tok[1]] = rowNames.Count; rowNames.Add(tok[1]); rowType.Add(t); rhs.Add(0); range.Add(null);
                        break;
                    }
                case "COLUMNS":
                    {
                        if (tok.Length >= 3 && tok[1].Contains("MARKER", StringComparison.OrdinalIgnoreCase)) break;
                        if (tok.Length != 3 && tok.Length != 5) throw new MpsFormatException(ln, line.Trim(), "a COLUMNS line needs: column row value [row value].");
                        if (!colIndex.TryGetValue(tok[0], out int j))
                        {
                            j = colNames.Count; colIndex[tok[0]] = j; colNames.Add(tok[0]); cost.Add(0); lo.Add(0); up.Add(double.PositiveInfinity);
                        }
                        for (int k = 1; k + 1 < tok.Length; k += 2)
                        {
                            double v = Num(tok[k + 1], ln);
                            if (tok[k] == objName) cost[j] += v;
                            else if (rowIndex.TryGetValue(tok[k], out int i)) trip.Add((i, j, v));
                            else if (!ignoredN.Contains(tok[k])) throw new MpsFormatException(ln, tok[k], "row is not declared in ROWS.");
                        }
                        break;
                    }
                case "RHS":
                case "RANGES":
                    {
                        int start = tok.Length % 2 == 1 ? 1 : 0;
                        if (tok.Length < 2 || tok.Length > 5) throw new MpsFormatException(ln, line.Trim(), $"a {section} line needs: [set] row value [row value].");
                        for (int k = start; k + 1 < tok.Length; k += 2)
                        {
                            double v = Num(tok[k + 1], ln);
                            if (tok[k] == objName) { if (section == "RHS") offset = -v; continue; }
                            if (ignoredN.Contains(tok[k])) continue;
                            if (!rowIndex.TryGetValue(tok[k], out int i)) throw new MpsFormatException(ln, tok[k], "row is not declared in ROWS.");
                            if (section == "RHS") rhs[i] = v; else range[i] = v;
                        }
                        break;
                    }
                case "BOUNDS":
                    {
                        string type = tok[0].ToUpperInvariant();
                        bool needsValue = type is "UP" or "LO" or "FX" or "LI" or "UI";
                        bool noValue = type is "FR" or "MI" or "PL";
                        if (!needsValue && !noValue && type != "BV") throw new MpsFormatException(ln, tok[0], "bound type must be UP, LO, FX, FR, MI, PL, BV, LI or UI.");
                        string col; string? val = null;
                        if (needsValue) { if (tok.Length == 4) { col = tok[2]; val = tok[3]; } else if (tok.Length == 3) { col = tok[1]; val = tok[2]; } else throw new MpsFormatException(ln, line.Trim(), $"a {type} bound needs: {type} [set] column value."); }
                        // FR/MI/PL take no value; a 4th token (a dummy value other writers emit) is ignored.
                        else if (noValue) { if (tok.Length is 3 or 4) col = tok[2]; else if (tok.Length == 2) col = tok[1]; else throw new MpsFormatException(ln, line.Trim(), $"a {type} bound needs: {type} [set] column."); }
                        else { col = tok.Length >= 3 ? tok[2] : tok.Length == 2 ? tok[1] : throw new MpsFormatException(ln, line.Trim(), "a BV bound needs: BV [set] column."); }
                        if (!colIndex.TryGetValue(col, out int j)) throw new MpsFormatException(ln, col, "column is not declared in COLUMNS.");
                        double v = val is null ? 0 : Num(val, ln);
                        // COIN convention: bound values beyond ±1e30 mean infinite.
                        if (v <= -1e30) v = double.NegativeInfinity;
                        else if (v >= 1e30) v = double.PositiveInfinity;
                        switch (type)
                        {
                            case "UP": up[j] = v; if (v < 0 && lo[j] == 0) lo[j] = double.NegativeInfinity; break;
                            case "LO": case "LI": lo[j] = v; break;
                            case "UI": up[j] = v; break;
                            case "FX": lo[j] = v; up[j] = v; break;
                            case "FR": lo[j] = double.NegativeInfinity; up[j] = double.PositiveInfinity; break;
                            case "MI": lo[j] = double.NegativeInfinity; break;
                            case "PL": up[j] = double.PositiveInfinity; break;
                            case "BV": lo[j] = 0; up[j] = 1; break;
                        }
                        break;
                    }
                case "": throw new MpsFormatException(ln, tok[0], "data line before any section header; the file must start with NAME or ROWS.");
                default: throw new MpsFormatException(ln, tok[0], $"unexpected data in section {section}.");
            }
        }
        if (!ended) throw new MpsFormatException(ln, "<end of file>", "missing ENDATA; the file is truncated or not MPS.");
        if (colNames.Count == 0) throw new MpsFormatException(ln, "ENDATA", "the problem has no columns (empty COLUMNS section); an LP needs at least one variable.");
        int m = rowNames.Count;
        var rl = new double[m]; var ru = new double[m];
        for (int i = 0; i < m; i++)
        {
            double b = rhs[i]; double? r = range[i];
            switch (rowType[i])
            {
                case 'E':
                    rl[i] = b; ru[i] = b;
                    if (r is double re) { if (re >= 0) ru[i] = b + re; else rl[i] = b + re; }
                    break;
                case 'L': rl[i] = r is double rl1 ? b - Math.Abs(rl1) : double.NegativeInfinity; ru[i] = b; break;
                default: rl[i] = b; ru[i] = r is double rg ? b + Math.Abs(rg) : double.PositiveInfinity; break;
            }
        }
        var c = cost.ToArray();
        if (maximize) { for (int j = 0; j < c.Length; j++) c[j] = -c[j]; offset = -offset; }
        for (int j = 0; j < lo.Count; j++)
            if (lo[j] > up[j]) throw new MpsFormatException(ln, colNames[j], $"inconsistent bounds: lower {lo[j]} > upper {up[j]}; fix the BOUNDS section.");
        var a = SparseMatrix.FromTriplets(m, colNames.Count, trip);
        return new LpProblem(c, a, rl, ru, lo.ToArray(), up.ToArray(), name, rowNames.ToArray(), colNames.ToArray(), offset);
    }

    private static bool Sense(string s, int ln) => s.ToUpperInvariant() switch
    {
        "MAX" or "MAXIMIZE" => true,
        "MIN" or "MINIMIZE" => false,
        _ => throw new MpsFormatException(ln, s, "OBJSENSE must be MIN or MAX."),
    };

    private static double Num(string s, int ln)
    {
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw new MpsFormatException(ln, s, "expected a number.");
        if (!double.IsFinite(v)) throw new MpsFormatException(ln, s, "coefficients must be finite (NaN/Inf are not allowed; use bounds for infinity).");
        return v;
    }
}
