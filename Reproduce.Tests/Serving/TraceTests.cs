using Reproduce.Compute;
using Reproduce.Serving;

namespace Reproduce.Tests.Serving;

public class TraceTests
{
    [Fact]
    public void RoundTripKeepsTokensAndTimes()
    {
        var q = ServingWorkloads.ZipfProfiles(new Rng(1), 20, 5, 1.0, 10, 5, 7, 3);
        var sw = new StringWriter();
        JsonlTrace.Write(sw, q);
        var back = JsonlTrace.Read(sw.ToString().Split('\n'));
        Assert.Equal(q.Length, back.Length);
        for (int i = 0; i < q.Length; i++)
        {
            Assert.Equal(q[i].Arrival, back[i].Arrival);
            Assert.Equal(q[i].Tokens, back[i].Tokens);
            Assert.Equal(q[i].Group, back[i].Group);
        }
    }

    [Fact]
    public void SegmentIdsShareTokens()
    {
        var q = JsonlTrace.Read([
            "# comment",
            "{\"arrival\": 0, \"segments\": [{\"id\": \"sys\", \"length\": 5}, {\"id\": \"u1\", \"length\": 4}, {\"length\": 3}]}",
            "",
            "{\"arrival\": 0.5, \"segments\": [{\"id\": \"sys\", \"length\": 5}, {\"id\": \"u1\", \"length\": 4}, {\"length\": 3}]}",
            "{\"arrival\": 0.7, \"segments\": [{\"id\": \"sys\", \"length\": 5}, {\"id\": \"u2\", \"length\": 4}]}",
        ]);
        Assert.Equal(3, q.Length);
        Assert.Equal(12, q[0].Tokens.AsSpan().CommonPrefixLength(q[0].Tokens));
        Assert.True(q[0].Tokens.AsSpan().CommonPrefixLength(q[1].Tokens) >= 9);
        Assert.InRange(q[1].Tokens.AsSpan().CommonPrefixLength(q[2].Tokens), 5, 8);
    }

    [Theory]
    [InlineData("{\"arrival\": 1, \"tokens\": [1]}\n{\"arrival\": 0.5, \"tokens\": [2]}", 2, "sort the trace")]
    [InlineData("{\"arrival\": -1, \"tokens\": [1]}", 1, "negative")]
    [InlineData("{\"arrival\": 0, \"tokens\": [1]}\nnot json", 2, "not valid JSON")]
    [InlineData("{\"tokens\": [1]}", 1, "arrival")]
    [InlineData("{\"arrival\": 0, \"tokens\": [1.5]}", 1, "token 0")]
    [InlineData("{\"arrival\": 0}", 1, "exactly one of")]
    [InlineData("{\"arrival\": 0, \"segments\": [{\"id\": \"a\", \"length\": 2}]}\n{\"arrival\": 1, \"segments\": [{\"id\": \"a\", \"length\": 3}]}", 2, "keep its length")]
    public void MalformedLinesNameTheLine(string text, int line, string fragment)
    {
        var e = Assert.Throws<TraceFormatException>(() => JsonlTrace.Read(text.Split('\n')));
        Assert.Equal(line, e.Line);
        Assert.Contains(fragment, e.Message);
        Assert.StartsWith($"Trace line {line}:", e.Message);
    }

    [Fact]
    public void ResultsAreOneJsonObjectPerQuery()
    {
        var q = ServingWorkloads.Definition4(new Rng(2), 3, 2, 10, 5, 0.01);
        var r = new ServingSimulator(new SimulationOptions()).Run(q, new KLpmScheduler(2));
        var sw = new StringWriter();
        JsonlTrace.WriteResults(sw, r);
        var lines = sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(q.Length, lines.Length);
        foreach (var l in lines)
        {
            using var d = System.Text.Json.JsonDocument.Parse(l);
            Assert.True(d.RootElement.GetProperty("ttft").GetDouble() > 0);
        }
    }
}
