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
    public void CnnAccuracySmokeClaimsPass()
    {
        var r = MsamExperiments.CnnAccuracyVersusM(Smoke);
        AssertAllPass(r);
        // SGD, and SAM and mSAM at every (ρ, m) of the smoke grid, for every seed.
        var setup = MsamExperiments.CnnSetupFor(Smoke);
        Assert.Equal(setup.Seeds * (1 + setup.Rhos.Length * setup.Ms.Length), r.Data.RowCount);
        Assert.Equal(3 + 2 * setup.Rhos.Length, r.Claims.Count);
    }

    [Fact]
    public void CoherenceSmokeClaimsPass()
    {
        var r = MsamExperiments.CoherenceVersusM(Smoke);
        AssertAllPass(r);
        var setup = MsamExperiments.CoherenceSetupFor(Smoke);
        Assert.Equal(setup.Seeds * (1 + setup.Rhos.Length * setup.Ms.Length), r.Data.RowCount);
    }

    [Fact]
    public void PairedDifferenceUsesTheStudentTMargin()
    {
        // d = (0.01, 0.03, 0.02): mean 0.02, sd 0.01, margin t₀.₉₇₅(2)·0.01/√3 = 4.303·0.01/1.732.
        var (mean, margin) = MsamExperiments.PairedDifference([0.51, 0.53, 0.52], [0.5, 0.5, 0.5]);
        Assert.Equal(0.02, mean, 1e-12);
        Assert.Equal(4.303 * 0.01 / Math.Sqrt(3), margin, 1e-12);
        Assert.Throws<ArgumentException>(() => MsamExperiments.PairedDifference([0.5], [0.5]));
    }

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
        Assert.Equal(new[] { "msam/accuracy-vs-m", "msam/cnn-accuracy-vs-m", "msam/coherence-vs-m", "msam/epoch-time", "msam/flatness-vs-m" }, ids.Order().ToArray());
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
