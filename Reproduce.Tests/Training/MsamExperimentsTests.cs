using Reproduce.Experiments;
using Reproduce.Tests.Parts;
using Reproduce.Training;

namespace Reproduce.Tests.Training;

/// <summary>The mSAM figures at smoke scale (the committed Fashion-MNIST subset): claims pass, ids are
/// registered, and the training runs are deterministic.</summary>
public class MsamExperimentsTests
{
    private static readonly RunContext Smoke = new(Scale.Smoke, device: Reproduce.Compute.Device.Cpu);

    private static void AssertAllPass(FigureResult r)
    {
        foreach (var c in r.Claims) Assert.True(c.Pass, $"{r.Id}: {c}");
        Assert.NotNull(r.Verdict);
        Assert.Equal(ReproductionStatus.Demonstration, r.Verdict!.Status);
    }

    [Fact]
    public void AccuracySmokeClaimsPass() => AssertAllPass(MsamExperiments.AccuracyVersusM(Smoke));

    [Fact]
    public void FlatnessSmokeClaimsPass() => AssertAllPass(MsamExperiments.FlatnessVersusM(Smoke));

    [Fact]
    public void EpochTimeSmokeClaimsPass()
    {
        var r = MsamExperiments.EpochTime(Smoke);
        AssertAllPass(r);
        Assert.Empty(r.Claims); // the 2× target is a paper-scale claim (too short to time at smoke; see the experiment)
        Assert.Equal(new[] { "SGD", "SAM (two passes)", "mSAM m = 1", "mSAM m = 4", "mSAM m = 16" }, r.Data.Strings("rule"));
        Assert.Equal(1.0, r.Data.Numbers("ratio_to_sgd")[0]);
    }

    [Fact]
    public void FiguresAreRegistered()
    {
        var ids = typeof(MsamExperiments).GetMethods()
            .Select(m => m.GetCustomAttributes(typeof(ExperimentAttribute), false).Cast<ExperimentAttribute>().FirstOrDefault()?.Id)
            .Where(id => id is not null).ToArray();
        Assert.Equal(new[] { "msam/accuracy-vs-m", "msam/epoch-time", "msam/flatness-vs-m" }, ids.Order().ToArray());
    }

    [Fact]
    public void SameSeedGivesTheSameTrainingRunBitForBit()
    {
        var ctx = new RunContext(Scale.Smoke, seed: 99, device: Reproduce.Compute.Device.Cpu);
        var f1 = MsamExperiments.NewObjective(ctx, 5); var f2 = MsamExperiments.NewObjective(ctx, 5);
        var data = MsamExperiments.Data(ctx);
        var settings = new TrainingSettings(1, 64, 0.05, 0.9, 5e-4);
        var a = ClassifierTraining.Train(f1, data.TestX, data.TestY, o => new Msam(o, 0.05, 4), settings, new Reproduce.Compute.Rng(5));
        var b = ClassifierTraining.Train(f2, data.TestX, data.TestY, o => new Msam(o, 0.05, 4), settings, new Reproduce.Compute.Rng(5));
        Assert.Equal(a.FinalWeights, b.FinalWeights);
        Assert.Equal(a.TestAccuracy, b.TestAccuracy);
    }
}
