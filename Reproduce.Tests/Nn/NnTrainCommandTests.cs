using System.CommandLine;
using System.Text.Json;
using Reproduce.Cli.Verbs;

namespace Reproduce.Tests.Nn;

/// <summary>`reproduce nn train`: a tiny model on the committed text learns (validation below the unigram
/// baseline, as the command itself reports), the JSON history agrees with the printed lines and names the
/// kept step, and bad input exits 2 with a message.</summary>
[Collection("Console")]
public class NnTrainCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Reproduce.Tests.Runner.VerbRunner.Run(new NnVerb(), args);

    [Fact]
    public void TinyModelLearnsAndTheJsonMatchesTheOutput()
    {
        var json = Path.Combine(Directory.CreateTempSubdirectory("nn-train").FullName, "h.json");
        var (code, output, err) = Run("nn", "train", "--layers", "1", "--dim", "32", "--heads", "2", "--context", "32", "--batch", "16",
            "--steps", "120", "--eval-every", "40", "--eval-windows", "16", "--json", json, "--sample", "20");
        Assert.True(code == 0, err);
        Assert.Contains("validation loss first below the unigram baseline", output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var history = doc.RootElement.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([40.0, 80.0, 120.0], history.Select(h => h.GetProperty("step").GetDouble()));
        double best = history.Min(h => h.GetProperty("validation_nats").GetDouble());
        double kept = history.Single(h => h.GetProperty("step").GetDouble() == doc.RootElement.GetProperty("kept_step").GetDouble()).GetProperty("validation_nats").GetDouble();
        Assert.Equal(best, kept);   // early stopping by checkpoint keeps the lowest validation loss
        Assert.True(best < doc.RootElement.GetProperty("unigram_validation_nats").GetDouble());
        Assert.Contains($"test (the weights of step {doc.RootElement.GetProperty("kept_step").GetInt32()}", output);
    }

    [Theory]
    [InlineData("--text", "/no/such/file.txt", "does not exist")]
    [InlineData("--device", "tpu", "not known")]
    [InlineData("--heads", "3", "not divisible")]
    // A learning rate of 1e30 blows the weights up in the first step: the second step's loss is NaN, and the
    // message names the step and the first layer whose output is not finite.
    [InlineData("--lr", "1e30", "Training stopped at step 1: the loss is NaN; every weight is finite, and the output of layer 'h.0.")]
    public void BadInputExitsTwoWithTheReason(string option, string value, string expected)
    {
        var args = new Dictionary<string, string> { ["--layers"] = "1", ["--dim"] = "16", ["--heads"] = "2", ["--steps"] = "2" };
        args[option] = value;
        var (code, _, err) = Run(["nn", "train", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
    }
}
