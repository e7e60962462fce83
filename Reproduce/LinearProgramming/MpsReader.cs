using System.Globalization;
using System.IO.Compression;
using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>How the data lines of an MPS file are split into fields.</summary>
public enum MpsFormat
{
    /// <summary>Free format first; when that fails, fixed format (the error of the free attempt is reported if both fail).</summary>
    Auto,
    /// <summary>Fields separated by whitespace; names without spaces.</summary>
    Free,
    /// <summary>Fields by column position (IBM MPS: 2–3, 5–12, 15–22, 25–36, 40–47, 50–61); names may contain spaces.</summary>
    Fixed,
}

/// <summary>Reads MPS (sections NAME, OBJSENSE, OBJSENSE's value line, ROWS, COLUMNS, RHS, RANGES, BOUNDS, ENDATA),
/// free or fixed format, plain or gzip-compressed. Conventions (those of CPLEX and COIN-OR): the first N row is the
/// objective (later N rows are dropped); an RHS entry on the objective row gives the objective constant −value; only
/// the first RHS, RANGES and BOUNDS set is read; RANGES follow the standard table (E rows: the sign of R picks the
/// side); UP with a negative value on a column whose lower bound was not set makes the lower bound −∞; MI sets the
/// lower bound to −∞ only; bound values beyond ±1e30 are infinite; MARKER lines (integrality) are skipped, so the LP
/// relaxation is read. OBJSENSE MAX is stored as min −cᵀx with <see cref="LpProblem.Maximize"/> set, so the
/// reported objective carries the file's sign.</summary>
public static class MpsReader
{
    /// <summary>Reads a file (gzip-compressed when it starts with the gzip magic bytes, whatever its name).</summary>
    public static LpProblem ReadFile(string path, MpsFormat format = MpsFormat.Auto)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"MPS file '{path}' does not exist; pass the path of a .mps or .mps.gz file.", path);
        byte[] bytes = File.ReadAllBytes(path);
        string text;
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            try
            {
                using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var sr = new StreamReader(gz);
                text = sr.ReadToEnd();
            }
            catch (InvalidDataException ex) { throw new MpsFormatException(0, 0, path, $"the file starts like gzip but does not decompress ({ex.Message}); recompress it or pass the uncompressed MPS."); }
        }
        else text = System.Text.Encoding.UTF8.GetString(bytes);
        return Parse(text, format);
    }

    /// <summary>Parses MPS text.</summary>
    public static LpProblem Parse(string text, MpsFormat format = MpsFormat.Auto)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (format != MpsFormat.Auto) return new Parser(format).Run(text);
        try { return new Parser(MpsFormat.Free).Run(text); }
        catch (MpsFormatException free)
        {
            try { return new Parser(MpsFormat.Fixed).Run(text); }
            catch (MpsFormatException) { throw free; }
        }
    }

    /// <summary>Reads MPS from a reader.</summary>
    public static LpProblem Read(TextReader reader, MpsFormat format = MpsFormat.Auto)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Parse(reader.ReadToEnd(), format);
    }

    /// <summary>One field of a data line: its text and 1-based start column (0 when the field is empty).</summary>
    private readonly record struct Field(string Text, int Column)
    {
        public bool Empty => Text.Length == 0;
    }

    private sealed class Parser(MpsFormat format)
    {
        private string _name = "LP", _section = "", _objName = "";
        private string? _rhsSet, _rangeSet, _boundSet;
        private bool _maximize, _ended;
        private readonly Dictionary<string, int> _rowIndex = new(StringComparer.Ordinal);
        private readonly List<string> _rowNames = []; private readonly List<char> _rowType = [];
        private readonly Dictionary<string, int> _colIndex = new(StringComparer.Ordinal);
        private readonly List<string> _colNames = [];
        private readonly List<double> _cost = [];
        private readonly List<(int, int, double)> _trip = [];
        private readonly List<double> _rhs = []; private readonly List<double?> _range = [];
        private readonly List<double> _lo = [], _up = []; private readonly List<bool> _loSet = [];
        private readonly HashSet<string> _ignoredN = new(StringComparer.Ordinal);
        private double _offset;
        private int _ln;

        public LpProblem Run(string text)
        {
            int pos = 0;
            while (pos < text.Length && !_ended)
            {
                int nl = text.IndexOf('\n', pos);
                string line = nl < 0 ? text[pos..] : text[pos..nl];
                pos = nl < 0 ? text.Length + 1 : nl + 1;
                _ln++;
                line = line.TrimEnd('\r');
                if (line.Length == 0 || line[0] == '*' || string.IsNullOrWhiteSpace(line)) continue;
                if (!char.IsWhiteSpace(line[0])) Header(line);
                else Data(line);
            }
            if (!_ended) throw Err(0, "<end of file>", "missing ENDATA; the file is truncated or not MPS.");
            return Build();
        }

        private MpsFormatException Err(int column, string token, string message) =>
            new(_ln, column, token, message + (format == MpsFormat.Fixed ? " (read as fixed-format MPS)" : ""));

        private void Header(string line)
        {
            var tok = FreeSplit(line);
            _section = tok[0].Text.ToUpperInvariant();
            switch (_section)
            {
                case "NAME": _name = format == MpsFormat.Fixed && line.Length > 14 ? line[14..].Trim() : tok.Count > 1 ? tok[1].Text : "LP"; if (_name.Length == 0) _name = "LP"; break;
                case "OBJSENSE": if (tok.Count > 1) _maximize = Sense(tok[1]); break;
                case "OBJSENCE": _section = "OBJSENSE"; if (tok.Count > 1) _maximize = Sense(tok[1]); break;
                case "ROWS": case "COLUMNS": case "RHS": case "RANGES": case "BOUNDS": break;
                case "ENDATA": _ended = true; break;
                default: throw Err(tok[0].Column, tok[0].Text, "unknown section header; expected NAME, OBJSENSE, ROWS, COLUMNS, RHS, RANGES, BOUNDS or ENDATA (data lines must start with a space).");
            }
        }

        private static List<Field> FreeSplit(string line)
        {
            var r = new List<Field>();
            int i = 0;
            while (i < line.Length)
            {
                while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
                if (i >= line.Length) break;
                int s = i;
                while (i < line.Length && !char.IsWhiteSpace(line[i])) i++;
                r.Add(new Field(line[s..i], s + 1));
            }
            return r;
        }

        /// <summary>Fixed-format field by 1-based columns [from, to] (to = 0: to the end of the line), trimmed.</summary>
        private static Field Fix(string line, int from, int to)
        {
            if (line.Length < from) return new Field("", 0);
            int end = to == 0 ? line.Length : Math.Min(line.Length, to);
            string raw = line[(from - 1)..end];
            string t = raw.Trim();
            return t.Length == 0 ? new Field("", 0) : new Field(t, from + raw.IndexOf(t[0]));
        }

        private void Data(string line)
        {
            if (format == MpsFormat.Fixed && line.Contains('\t')) throw Err(line.IndexOf('\t') + 1, "\\t", "tab in a fixed-format line; fixed format reads fields by column position, so replace tabs by spaces.");
            var tok = FreeSplit(line);
            switch (_section)
            {
                case "OBJSENSE": _maximize = Sense(tok[0]); break;
                case "ROWS": Row(line, tok); break;
                case "COLUMNS": Column(line, tok); break;
                case "RHS": case "RANGES": RhsOrRange(line, tok); break;
                case "BOUNDS": Bound(line, tok); break;
                case "": throw Err(tok[0].Column, tok[0].Text, "data line before any section header; the file must start with NAME or ROWS.");
                default: throw Err(tok[0].Column, tok[0].Text, $"unexpected data in section {_section}.");
            }
        }

        private void Row(string line, List<Field> tok)
        {
            Field type, name;
            if (format == MpsFormat.Fixed) { type = Fix(line, 2, 3); name = Fix(line, 5, 12); if (line.Length > 12 && Fix(line, 13, 0).Text.Length > 0) name = Fix(line, 5, 0); }
            else
            {
                if (tok.Count != 2) throw Err(tok[0].Column, line.Trim(), $"a ROWS line needs 2 fields, a type (N, E, L, G) and a name, found {tok.Count}.");
                type = tok[0]; name = tok[1];
            }
            if (type.Empty || name.Empty) throw Err(1, line.Trim(), "a ROWS line needs a type (N, E, L, G) and a name.");
            char t = char.ToUpperInvariant(type.Text[0]);
            if (type.Text.Length != 1 || "NELG".IndexOf(t) < 0) throw Err(type.Column, type.Text, "row type must be N, E, L or G.");
            if (t == 'N')
            {
                if (_objName.Length == 0) _objName = name.Text; else _ignoredN.Add(name.Text);
                return;
            }
            if (_rowIndex.ContainsKey(name.Text) || name.Text == _objName) throw Err(name.Column, name.Text, "duplicate row name; every row needs its own name.");
            _rowIndex[name.Text] = _rowNames.Count; _rowNames.Add(name.Text); _rowType.Add(t); _rhs.Add(0); _range.Add(null);
        }

        /// <summary>Fields name, row, value [, row, value] of COLUMNS/RHS/RANGES lines; set may be empty in fixed format.</summary>
        private List<Field> Pairs(string line, List<Field> tok, bool hasSet, out Field set)
        {
            set = new Field("", 0);
            if (format == MpsFormat.Fixed)
            {
                var r = new List<Field> { Fix(line, 5, 12) };
                if (hasSet) { set = r[0]; r.Clear(); }
                r.Add(Fix(line, 15, 22)); r.Add(Fix(line, 25, 39));
                var f5 = Fix(line, 40, 47);
                if (!f5.Empty) { r.Add(f5); r.Add(Fix(line, 50, 0)); }
                return r;
            }
            if (hasSet)
            {
                // Free format: the set name is optional (2 or 4 fields without it, 3 or 5 with it).
                if (tok.Count is < 2 or > 5) throw Err(tok[0].Column, line.Trim(), $"a {_section} line needs: [set] row value [row value], found {tok.Count} fields.");
                if (tok.Count % 2 == 1) { set = tok[0]; return tok.GetRange(1, tok.Count - 1); }
                return tok;
            }
            return tok;
        }

        private void Column(string line, List<Field> tok)
        {
            if (tok.Count >= 3 && tok.Exists(f => f.Text.Contains("'MARKER'", StringComparison.OrdinalIgnoreCase))) return;
            var f = Pairs(line, tok, false, out _);
            if (f.Count != 3 && f.Count != 5) throw Err(f.Count > 0 ? f[0].Column : 1, line.Trim(), $"a COLUMNS line needs: column row value [row value], found {f.Count} fields.");
            if (f[0].Empty) throw Err(5, line.Trim(), "a COLUMNS line needs a column name in columns 5–12 (fixed format).");
            if (!_colIndex.TryGetValue(f[0].Text, out int j))
            {
                j = _colNames.Count; _colIndex[f[0].Text] = j; _colNames.Add(f[0].Text); _cost.Add(0); _lo.Add(0); _up.Add(double.PositiveInfinity); _loSet.Add(false);
            }
            for (int k = 1; k + 1 < f.Count; k += 2)
            {
                double v = Num(f[k + 1]);
                string row = f[k].Text;
                if (row == _objName) _cost[j] += v;
                else if (_rowIndex.TryGetValue(row, out int i)) _trip.Add((i, j, v));
                else if (!_ignoredN.Contains(row)) throw Err(f[k].Column, row, "row is not declared in ROWS; declare it there or fix the name.");
            }
        }

        private void RhsOrRange(string line, List<Field> tok)
        {
            var f = Pairs(line, tok, true, out var set);
            bool isRhs = _section == "RHS";
            ref string? first = ref isRhs ? ref _rhsSet : ref _rangeSet;
            first ??= set.Text;
            if (set.Text != first) return; // Only the first set is read.
            if (f.Count != 2 && f.Count != 4) throw Err(f.Count > 0 ? f[0].Column : 1, line.Trim(), $"a {_section} line needs: [set] row value [row value].");
            for (int k = 0; k + 1 < f.Count; k += 2)
            {
                double v = Num(f[k + 1]);
                string row = f[k].Text;
                if (row == _objName) { if (isRhs) _offset = -v; continue; }
                if (_ignoredN.Contains(row)) continue;
                if (!_rowIndex.TryGetValue(row, out int i)) throw Err(f[k].Column, row, "row is not declared in ROWS; declare it there or fix the name.");
                if (isRhs) _rhs[i] = v;
                else
                {
                    if (_rowType[i] == 'N') continue;
                    _range[i] = v;
                }
            }
        }

        private void Bound(string line, List<Field> tok)
        {
            Field typeF, setF, colF, valF;
            if (format == MpsFormat.Fixed) { typeF = Fix(line, 2, 3); setF = Fix(line, 5, 12); colF = Fix(line, 15, 22); valF = Fix(line, 25, 0); }
            else
            {
                typeF = tok[0];
                string t0 = typeF.Text.ToUpperInvariant();
                bool needsValue = t0 is "UP" or "LO" or "FX" or "LI" or "UI";
                // Free format: value types have [set] column value; FR/MI/PL/BV have [set] column [dummy value].
                (setF, colF, valF) = (needsValue, tok.Count) switch
                {
                    (true, 4) => (tok[1], tok[2], tok[3]),
                    (true, 3) => (new Field("", 0), tok[1], tok[2]),
                    (false, 4) => (tok[1], tok[2], new Field("", 0)),
                    (false, 3) => (tok[1], tok[2], new Field("", 0)),
                    (false, 2) => (new Field("", 0), tok[1], new Field("", 0)),
                    _ => throw Err(typeF.Column, line.Trim(), $"a {t0} bound needs: {t0} [set] column{(needsValue ? " value" : "")}, found {tok.Count} fields."),
                };
            }
            string type = typeF.Text.ToUpperInvariant();
            bool value = type is "UP" or "LO" or "FX" or "LI" or "UI";
            if (!value && type is not ("FR" or "MI" or "PL" or "BV"))
            {
                if (type == "SC") throw Err(typeF.Column, typeF.Text, "semi-continuous bounds (SC) are not linear; remove them to solve the LP relaxation.");
                throw Err(typeF.Column, typeF.Text, "bound type must be UP, LO, FX, FR, MI, PL, BV, LI or UI.");
            }
            _boundSet ??= setF.Text;
            if (setF.Text != _boundSet) return;
            if (colF.Empty) throw Err(format == MpsFormat.Fixed ? 15 : typeF.Column, line.Trim(), "a BOUNDS line needs a column name" + (format == MpsFormat.Fixed ? " in columns 15–22." : "."));
            if (!_colIndex.TryGetValue(colF.Text, out int j)) throw Err(colF.Column, colF.Text, "column is not declared in COLUMNS; bounds may only name existing columns.");
            if (value && valF.Empty) throw Err(colF.Column, line.Trim(), $"a {type} bound needs a value" + (format == MpsFormat.Fixed ? " in columns 25–36." : "."));
            double v = value ? Num(valF) : 0;
            // COIN/CPLEX convention: bound values beyond ±1e30 mean infinite.
            if (v <= -1e30) v = double.NegativeInfinity;
            else if (v >= 1e30) v = double.PositiveInfinity;
            switch (type)
            {
                case "UP":
                    _up[j] = v;
                    // Standard convention: a negative upper bound with the default lower bound 0 makes the column free below.
                    if (v < 0 && !_loSet[j] && _lo[j] == 0) _lo[j] = double.NegativeInfinity;
                    break;
                case "LO": case "LI": _lo[j] = v; _loSet[j] = true; break;
                case "UI": _up[j] = v; break;
                case "FX": _lo[j] = v; _up[j] = v; _loSet[j] = true; break;
                case "FR": _lo[j] = double.NegativeInfinity; _up[j] = double.PositiveInfinity; _loSet[j] = true; break;
                case "MI": _lo[j] = double.NegativeInfinity; _loSet[j] = true; break;
                case "PL": _up[j] = double.PositiveInfinity; break;
                case "BV": _lo[j] = 0; _up[j] = 1; _loSet[j] = true; break;
            }
            if (double.IsPositiveInfinity(_lo[j]) || double.IsNegativeInfinity(_up[j]))
                throw Err(valF.Column, valF.Text, $"{type} bound makes column '{colF.Text}' empty (lower +∞ or upper −∞); fix the bound value.");
        }

        private LpProblem Build()
        {
            if (_colNames.Count == 0) throw Err(0, "ENDATA", "the problem has no columns (empty COLUMNS section); an LP needs at least one variable.");
            int m = _rowNames.Count;
            var rl = new double[m]; var ru = new double[m];
            for (int i = 0; i < m; i++)
            {
                double b = _rhs[i]; double? r = _range[i];
                switch (_rowType[i])
                {
                    case 'E':
                        rl[i] = b; ru[i] = b;
                        if (r is double re) { if (re >= 0) ru[i] = b + re; else rl[i] = b + re; }
                        break;
                    case 'L': rl[i] = r is double rl1 ? b - Math.Abs(rl1) : double.NegativeInfinity; ru[i] = b; break;
                    default: rl[i] = b; ru[i] = r is double rg ? b + Math.Abs(rg) : double.PositiveInfinity; break;
                }
            }
            var c = _cost.ToArray();
            double offset = _offset;
            if (_maximize) { for (int j = 0; j < c.Length; j++) c[j] = -c[j]; offset = -offset; }
            for (int j = 0; j < _lo.Count; j++)
                if (_lo[j] > _up[j]) throw Err(0, _colNames[j], $"inconsistent bounds on column '{_colNames[j]}': lower {_lo[j].ToString(CultureInfo.InvariantCulture)} > upper {_up[j].ToString(CultureInfo.InvariantCulture)}; fix the BOUNDS section.");
            var a = SparseMatrix.FromTriplets(m, _colNames.Count, _trip);
            return new LpProblem(c, a, rl, ru, _lo.ToArray(), _up.ToArray(), _name, _rowNames.ToArray(), _colNames.ToArray(), offset) { Maximize = _maximize };
        }

        private bool Sense(Field f) => f.Text.ToUpperInvariant() switch
        {
            "MAX" or "MAXIMIZE" => true,
            "MIN" or "MINIMIZE" => false,
            _ => throw Err(f.Column, f.Text, "OBJSENSE must be MIN or MAX."),
        };

        private double Num(Field f)
        {
            if (f.Empty) throw Err(0, "", "expected a number but the field is empty" + (format == MpsFormat.Fixed ? " (fixed format: values in columns 25–36 and 50–61)." : "."));
            if (!double.TryParse(f.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                throw Err(f.Column, f.Text, "expected a number.");
            if (!double.IsFinite(v)) throw Err(f.Column, f.Text, "coefficients must be finite (NaN/Inf are not allowed; use bounds beyond ±1e30 for infinity).");
            return v;
        }
    }
}
