using System.Text.Json;
using System.Text.Json.Serialization;
using Reproduce.Cli.Runner;
using Reproduce.Figures;

namespace Reproduce.Cli.Workflow;

/// <summary>What one run of one figure produced, written by <c>reproduce figure ID --record FILE</c>:
/// its claims, pass/fail, seconds, device, commit and verdict. A workflow engine runs each figure as a
/// job anywhere (another core, another node) and the report merge reads only these files, so a figure
/// reports the same row wherever it ran.</summary>
public sealed record FigureRecord
{
    /// <summary>One claim as checked.</summary>
    public sealed record ClaimRow(string Name, string Expected, string Actual, bool Pass);

    public required string Id { get; init; }
    public required string Title { get; init; }
    public required string Scale { get; init; }
    public required string Device { get; init; }
    public ulong Seed { get; init; }
    public double Seconds { get; init; }
    public required string Commit { get; init; }
    public required IReadOnlyList<ClaimRow> Claims { get; init; }
    /// <summary>"pass" when every claim held, else "FAIL".</summary>
    public string Result => Claims.All(c => c.Pass) ? "pass" : "FAIL";
    /// <summary>The verdict label ("reproduced", "partly reproduced", "not reproduced", "demonstration") or "none".</summary>
    public required string Verdict { get; init; }
    public string? VerdictText { get; init; }
    /// <summary>Files written, relative to the folder the command ran in.</summary>
    public required IReadOnlyList<string> Files { get; init; }
    /// <summary>Export notes, e.g. "PNG skipped: Chromium is not installed".</summary>
    public required IReadOnlyList<string> Notes { get; init; }
    /// <summary>The process's peak resident memory (MiB): what a cluster job for this figure needs.</summary>
    public double PeakMemoryMb { get; init; }

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // λ, ±, < as themselves
    };

    /// <summary>Writes the record atomically.</summary>
    public void Write(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Options) + "\n");
    }

    /// <summary>Reads a record; a file that is not one gets an error naming it.</summary>
    public static FigureRecord Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Figure record {path} does not exist (it is written by 'reproduce figure ID --record {path}').", path);
        try
        {
            return JsonSerializer.Deserialize<FigureRecord>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path} is empty; expected a figure record.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a figure record ({e.Message}); rerun 'reproduce figure ID --record {path}'.", e);
        }
    }

    /// <summary>The record as a figures/REPORT.md row.</summary>
    public FigureReport.Row ToReportRow(string source) =>
        new(source, Id, Claims.Count(c => c.Pass), Claims.Count, Seconds, Device, Commit, Verdict);
}
