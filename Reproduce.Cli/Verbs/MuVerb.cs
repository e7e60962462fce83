using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Reproduce.Logistic;

namespace Reproduce.Cli.Verbs;

/// <summary>`reproduce mu FILE.csv --label y [--method lp|lad|irls|bounds] [--positive VALUE] [--json]`: the complexity
/// measure μ_y(X) of Dexter, Drineas, Khanna (NeurIPS 2024) for a user's CSV data, with its certified bounds.</summary>
public sealed class MuVerb : ICliVerb
{
    /// <inheritdoc />
    public Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV file with a header row: numeric feature columns and one label column" };
        var label = new Option<string>("--label") { Description = "Name of the label column (two distinct values)", Required = true };
        var positive = new Option<string?>("--positive") { Description = "Label value mapped to +1 (default: 1 if present, else the larger value)" };
        var method = new Option<string>("--method") { Description = "lad (LAD form, bounded IPM; default) | lp (LAD as a general LP on the project IPM; n ≲ 3000) | irls | bounds (IRLS + LAD with both certificates)", DefaultValueFactory = _ => "lad" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var cmd = new Command("mu", "Logistic-loss complexity μ_y(X) of a labelled CSV data set, with certified bounds");
        cmd.Add(file); cmd.Add(label); cmd.Add(positive); cmd.Add(method); cmd.Add(json);
        cmd.SetAction(pr =>
        {
            try
            {
                var m = pr.GetValue(method)!.ToLowerInvariant();
                if (m is not ("lad" or "lp" or "irls" or "bounds")) throw new ArgumentException($"--method '{m}' is not known; use lad, lp, irls or bounds.");
                var data = LogisticCsv.Load(pr.GetValue(file)!.FullName, pr.GetValue(label)!, pr.GetValue(positive));
                var z = data.Z();
                var results = m switch
                {
                    "lad" => new[] { Mu.Lad(z) },
                    "lp" => new[] { Mu.LadLp(z) },
                    "irls" => new[] { Mu.Irls(z) },
                    _ => new[] { Mu.Irls(z), Mu.Lad(z) },
                };
                var ci = CultureInfo.InvariantCulture;
                if (pr.GetValue(json))
                {
                    var obj = new Dictionary<string, object?>
                    {
                        ["rows"] = data.Rows, ["columns"] = data.Cols, ["positives"] = data.Y.Count(v => v > 0),
                        ["results"] = results.Select(r => new Dictionary<string, object?>
                        {
                            ["method"] = r.Method.ToString(), ["mu"] = Num(r.Value), ["lower"] = Num(r.Lower), ["upper"] = Num(r.Upper),
                            ["separable"] = r.Separable, ["balancedSums"] = r.BalancedSums, ["iterations"] = r.Iterations, ["seconds"] = r.Seconds, ["message"] = r.Message,
                        }).ToArray(),
                    };
                    Console.WriteLine(JsonSerializer.Serialize(obj, new JsonSerializerOptions { WriteIndented = true }));
                }
                else
                {
                    Console.WriteLine($"data         {data.Rows} rows, {data.Cols} features, {data.Y.Count(v => v > 0)} positive labels");
                    foreach (var r in results)
                    {
                        Console.WriteLine(string.Format(ci, "{0,-12} μ = {1}   certified bracket [{2}, {3}]   {4} iterations, {5:F3} s", r.Method, Show(r.Value), Show(r.Lower), Show(r.Upper), r.Iterations, r.Seconds));
                        if (r.Separable) Console.WriteLine("             the data are separable through the origin (some β ≠ 0 has yᵢxᵢᵀβ ≥ 0 for all i): μ = ∞");
                        if (r.BalancedSums) Console.WriteLine("             Σᵢ yᵢxᵢ = 0: μ = 1");
                    }
                }
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or IOException or InvalidOperationException)
            {
                Console.Error.WriteLine("reproduce mu: " + ex.Message);
                return 2;
            }
        });
        return cmd;
    }

    private static string Show(double v) => double.IsPositiveInfinity(v) ? "∞" : v.ToString("G10", CultureInfo.InvariantCulture);
    private static double? Num(double v) => double.IsFinite(v) ? v : null;
}
