using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary><see cref="LmTrainer.Distill"/>: the CE and KL halves of the mixed loss are wired the right way round.</summary>
public class DistillationTrainingTests
{
    private static readonly CharCorpus Corpus = CharCorpus.MobyDick();
    private static GptConfig Tiny(int layers = 1, int dim = 16) => new(Corpus.Vocab.Length, 16, layers, dim, 2, 2 * dim);
    private static LmTrainingOptions Opts(int steps) => new(steps, 4, 16, PeakLr: 1e-2, WarmupSteps: 2, Seed: 3);

    [Fact]
    public void AlphaZeroIsPlainSftBitForBit()
    {
        var teacher = new Gpt(Tiny(2, 24), 9);
        var sft = new Gpt(Tiny(), 5); var kd = new Gpt(Tiny(), 5);
        LmTrainer.Train(sft, Corpus, Opts(5));
        LmTrainer.Distill(kd, teacher, Corpus, Opts(5), new DistillationOptions(Temperature: 3, Alpha: 0));
        Assert.Equal(sft.Parameters.GetFlat(), kd.Parameters.GetFlat());
    }

    [Fact]
    public void AlphaOneMovesTheStudentTowardsTheTeacher()
    {
        // Pure KL training must lower KL(teacher ‖ student) on held-out text; a sign error or swapped
        // arguments in the KL backward would raise it.
        var teacher = new Gpt(Tiny(2, 24), 9);
        LmTrainer.Train(teacher, Corpus, Opts(30));
        var student = new Gpt(Tiny(), 5);
        var (x, _) = CharCorpus.SampleBatch(Corpus.Validation, 8, 16, new Reproduce.Compute.Rng(4));
        double Kl()
        {
            using var t = teacher.Forward(x, 8, 16); using var s = student.Forward(x, 8, 16);
            var (kl, q, p) = DistillationKl.Forward("kd", s.Logits, t.Logits, 1, false);
            q.Dispose(); p.Dispose();
            return kl;
        }
        double before = Kl();
        LmTrainer.Distill(student, teacher, Corpus, Opts(30), new DistillationOptions(Temperature: 1, Alpha: 1, ScaleByTemperatureSquared: false));
        Assert.True(Kl() < 0.5 * before, $"KL(teacher ‖ student) went from {before:G4} to {Kl():G4}");
    }

    [Fact]
    public void BadSettingsAreNamed()
    {
        var m = new Gpt(Tiny(), 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LmTrainer.Distill(m, m, Corpus, Opts(1), new DistillationOptions(Alpha: 1.5)));
        Assert.Contains("α", e.Message);
        var other = new Gpt(Tiny() with { VocabSize = 10 }, 1);
        Assert.Contains("vocabulary", Assert.Throws<ArgumentException>(() => LmTrainer.Distill(m, other, Corpus, Opts(1), new DistillationOptions())).Message);
    }
}
