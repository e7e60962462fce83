using System.CommandLine;
using Reproduce.Cli.Verbs;

namespace Reproduce.Tests.Serving;

public class KlpmVerbTests
{
    private static int Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Add(new KlpmVerb().Build());
        return root.Parse(args).Invoke();
    }

    [Fact]
    public void SimulateWritesOneCsvRowPerQueryAndRoundTripsATrace()
    {
        var dir = Directory.CreateTempSubdirectory("klpm-verb");
        string csv = Path.Combine(dir.FullName, "out.csv"), trace = Path.Combine(dir.FullName, "t.jsonl"), csv2 = Path.Combine(dir.FullName, "out2.csv");
        Assert.Equal(0, Run("klpm", "simulate", "--workload", "zipf", "--policy", "klpm", "--k", "2", "--rate", "12", "--queries", "200", "--out", csv, "--save-trace", trace));
        var lines = File.ReadAllLines(csv);
        Assert.Equal(201, lines.Length);
        Assert.Equal("id,arrival,start,finish,ttft,length,matched", lines[0]);
        Assert.Equal(0, Run("klpm", "simulate", "--trace", trace, "--policy", "klpm", "--k", "2", "--out", csv2));
        Assert.Equal(lines, File.ReadAllLines(csv2));
        Assert.Equal(0, Run("klpm", "simulate", "--trace", trace, "--policy", "dfs-weight", "--mode", "batched"));
    }

    [Fact]
    public void BadInputExitsWithTwo()
    {
        var dir = Directory.CreateTempSubdirectory("klpm-verb");
        string bad = Path.Combine(dir.FullName, "bad.jsonl");
        File.WriteAllLines(bad, ["{\"arrival\": 1, \"tokens\": [1]}", "{\"arrival\": 0, \"tokens\": [1]}"]);
        Assert.Equal(2, Run("klpm", "simulate", "--trace", bad));
        Assert.Equal(2, Run("klpm", "simulate", "--k", "0"));
        Assert.Equal(2, Run("klpm", "simulate", "--policy", "sjf"));
        Assert.Equal(2, Run("klpm", "simulate", "--cache-tokens", "0"));
        Assert.Equal(2, Run("klpm", "simulate", "--trace", Path.Combine(dir.FullName, "missing.jsonl")));
    }
}
