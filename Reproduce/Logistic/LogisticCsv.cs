using System.Globalization;
using CsvHelper;
using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>Reads a labelled data set from a CSV file with a header row: one label column (two distinct values, or
/// −1/+1) and numeric feature columns. Errors name the file, row, column and the fix.</summary>
public static class LogisticCsv
{
    /// <summary>Loads <paramref name="path"/>; <paramref name="label"/> names the label column; <paramref name="positive"/>
    /// picks the label value mapped to +1 (default: "1"/"+1" if present, else the larger value in ordinal order).</summary>
    public static LogisticData Load(string path, string label, string? positive = null)
    {
        try { return LoadCore(path, label, positive); }
        catch (Exception e) when (e is CsvFormatException or CsvValidationException)
        { throw new ArgumentException($"LogisticCsv: '{path}' is not valid CSV: {e.Message}", nameof(path), e); }
    }

    private static LogisticData LoadCore(string path, string label, string? positive)
    {
        ArgumentNullException.ThrowIfNull(path); ArgumentNullException.ThrowIfNull(label);
        if (!File.Exists(path)) throw new FileNotFoundException($"LogisticCsv: file '{path}' does not exist.", path);
        using var reader = new StreamReader(path);
        using var csv = CsvReader.Create(reader, new CsvReaderOptions { HasHeader = true }, false);
        var header = csv.Headers.ToArray();
        if (header.Length == 0) throw new ArgumentException($"LogisticCsv: '{path}' is empty or has no header row; it needs a header row and data rows.", nameof(path));
        int li = Array.IndexOf(header, label);
        if (li < 0) throw new ArgumentException($"LogisticCsv: label column '{label}' is missing from '{path}'; columns are: {string.Join(", ", header)}. Pass --label with one of them.", nameof(label));
        var feats = Enumerable.Range(0, header.Length).Where(j => j != li).ToArray();
        if (feats.Length == 0) throw new ArgumentException($"LogisticCsv: '{path}' has only the label column; it needs at least one feature column.", nameof(path));
        var rows = new List<double[]>(); var labels = new List<string>();
        int line = 1;
        while (csv.Read())
        {
            line++;
            var lab = csv.GetString(li)?.Trim() ?? "";
            if (lab.Length == 0) throw new ArgumentException($"LogisticCsv: row {line} of '{path}' has an empty label; every row needs one.", nameof(path));
            var r = new double[feats.Length];
            for (int k = 0; k < feats.Length; k++)
            {
                var s = csv.GetString(feats[k]);
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out r[k]))
                    throw new ArgumentException($"LogisticCsv: row {line}, column '{header[feats[k]]}' of '{path}' is '{s}', not a number; features must be numeric (encode categories first).", nameof(path));
            }
            rows.Add(r); labels.Add(lab);
        }
        if (rows.Count == 0) throw new ArgumentException($"LogisticCsv: '{path}' has a header but no data rows.", nameof(path));
        var x = Matrix.Build(rows.Count, feats.Length, (i, j) => rows[i][j]);
        return LogisticData.FromLabels(x, labels.ToArray(), positive ?? (labels.Contains("-1") && labels.Contains("1") ? "1" : null));
    }
}
