using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using Reproduce.Nn;

namespace Reproduce.Compression;

public static partial class CompressionExperiments
{
    /// <summary>KD settings of every distillation in this notebook: τ = 2, α = 0.5 (the 0.5/0.5 hard/soft mix of
    /// the team's Liger-Kernel loss, brief §2.1), KL scaled by τ² (Hinton's convention; the papers do not say).</summary>
    internal static readonly DistillationOptions Kd = new(Temperature: 2, Alpha: 0.5, ScaleByTemperatureSquared: true);

    /// <summary>The two students of tab-kd (brief §2.8): half the depth at full width, and half the width
    /// (d, heads and FFN halved) at full depth.</summary>
    internal static (string Name, GptConfig Config)[] Students(GptConfig t) =>
    [
        ($"depth {Math.Max(1, t.Layers / 2)}/{t.Layers}", t with { Layers = Math.Max(1, t.Layers / 2) }),
        ($"width {t.ModelDim / 2}/{t.ModelDim}", t with { ModelDim = t.ModelDim / 2, Heads = Math.Max(1, t.Heads / 2), FfnDim = t.FfnDim / 2 }),
    ];

    /// <summary>Student training: smoke 150 steps, paper 1500 (batch and rate as the teacher's).</summary>
    internal static LmTrainingOptions StudentTraining(RunContext ctx, int seqLen, ulong seed) =>
        TeacherTraining(ctx, seqLen) with { Steps = ctx.Pick(150, 1500), Seed = seed };

    /// <summary>The on-policy stage of the two-stage students: the second half of the steps, half of its batches
    /// sampled by the student (the brief's sampling fraction), continuations of 8 (smoke) or 64 (paper) characters at
    /// temperature 0.85 (the brief: 64–300 tokens at 0.8–0.9; 64 leaves a 65-character prompt in a 128 window).</summary>
    internal static OnPolicyOptions OnPolicy(RunContext ctx) => new(StartFraction: 0.5, Fraction: 0.5, GenerationLength: ctx.Pick(8, 64), Temperature: 0.85);

    /// <summary>Ranking-proxy item length: an eighth of the context (16 characters of 128 at paper scale, 4 of 32 at smoke).</summary>
    internal static int RankingItemLength(int seqLen) => Math.Max(1, seqLen / 8);

    /// <summary>Mean and sample standard deviation over the last index (seeds) of a students × methods × seeds array.</summary>
    private static (double[,] Mean, double[,] Sd) SeedStats(double[,,] v)
    {
        int a = v.GetLength(0), b = v.GetLength(1), n = v.GetLength(2);
        var mean = new double[a, b]; var sd = new double[a, b];
        for (int i = 0; i < a; i++)
            for (int j = 0; j < b; j++)
            {
                double m = 0; for (int k = 0; k < n; k++) m += v[i, j, k];
                m /= n;
                double ss = 0; for (int k = 0; k < n; k++) ss += (v[i, j, k] - m) * (v[i, j, k] - m);
                mean[i, j] = m; sd[i, j] = Math.Sqrt(ss / Math.Max(1, n - 1));
            }
        return (mean, sd);
    }

    /// <summary>Runs <paramref name="jobs"/> jobs: in parallel on the CPU (independent models, one core each,
    /// OpenBLAS single-threaded meanwhile), one after another on a GPU (one device stream).</summary>
    internal static void ForEachJob(RunContext ctx, int jobs, Action<int> job)
    {
        if (ctx.Device.Kind == DeviceKind.Cpu) ForEachOnCpu(jobs, job);
        else for (int j = 0; j < jobs; j++) job(j);
    }

    /// <summary>tab-kd: students trained by SFT (cross-entropy on the text), by token-level forward-KL distillation
    /// from the teacher, and by two-stage distillation (the same, then an on-policy stage, <see cref="OnPolicy"/>);
    /// same shape, steps, batches and initialisation; test-split perplexity.</summary>
    [Experiment("compression/kd-students", "tab-kd: SFT vs distilled vs two-stage (on-policy) students (depth and width halved), test perplexity")]
    public static FigureResult KdStudents(RunContext ctx)
    {
        var (teacher, corpus, seq) = TrainedTeacher(ctx);
        var students = Students(teacher.Config);
        string[] methods = ["SFT", "KD", "KD + on-policy"];
        int seeds = ctx.Pick(2, 3);
        double teacherPpl = Math.Exp(CharCorpus.Evaluate(teacher, corpus.Test, seq));
        double unigram = Math.Exp(corpus.UnigramCrossEntropy(corpus.Test));
        // The brief's ranking proxy (its "[proposal]" for the paper's AUC): the same pairs for every model.
        var pairs = RankingProxy.Draw(corpus.Test, seq, RankingItemLength(seq), ctx.Pick(400, 2000), ctx.Rng("ranking"));
        double teacherAuc = RankingProxy.Auc(teacher, pairs);
        var ppl = new double[students.Length, methods.Length, seeds];
        var auc = new double[students.Length, methods.Length, seeds];
        // Each job's two numbers are checkpointed when the run keeps checkpoints: at paper scale the 18 trainings may
        // outlast one device call, and the next call resumes with the jobs still missing. The key holds a digest of the
        // teacher's weights, so jobs distilled from one teacher are never mixed with a retrained one.
        var done = JobCheckpoints.For(ctx, "compression/kd-students",
            $"{JobCheckpoints.Digest(teacher.Parameters.GetFlat())}|{teacher.Config}|{StudentTraining(ctx, seq, 0)}|{Kd}|{OnPolicy(ctx)}|{seeds}|{pairs.Count}|{string.Join(",", students.Select(x => x.Config))}");
        int resumed = 0;
        ForEachJob(ctx, students.Length * methods.Length * seeds, j =>
        {
            int s = j / (methods.Length * seeds), m = j / seeds % methods.Length, k = j % seeds;
            if (done?.Load($"job-{j}") is [var keptPpl, var keptAuc])
            {
                (ppl[s, m, k], auc[s, m, k]) = (keptPpl, keptAuc);
                Interlocked.Increment(ref resumed);
                return;
            }
            ulong seed = ctx.Seed + 1000 + (ulong)k;  // same initialisation and batches for SFT and KD
            var student = new Gpt(students[s].Config, seed, DType.F32, ctx.Device);
            var o = StudentTraining(ctx, seq, seed);
            if (m == 0) LmTrainer.Train(student, corpus, o);
            else if (m == 1) LmTrainer.Distill(student, Clone(teacher, ctx), corpus, o, Kd);  // a teacher per job: no shared model across threads
            else LmTrainer.DistillOnPolicy(student, Clone(teacher, ctx), corpus, o, Kd, OnPolicy(ctx));
            ppl[s, m, k] = Math.Exp(CharCorpus.Evaluate(student, corpus.Test, seq));
            auc[s, m, k] = RankingProxy.Auc(student, pairs);
            done?.Save($"job-{j}", [ppl[s, m, k], auc[s, m, k]]);
            ctx.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"student {students[s].Name}, {methods[m]}, seed {k}: test perplexity {ppl[s, m, k]:F3}, ranking AUC {auc[s, m, k]:F3}"));
        });
        if (resumed > 0) ctx.Report($"{resumed} of {students.Length * methods.Length * seeds} students were resumed from the checkpoints in {done!.Folder}");
        var table = new Table("student", "method", "seed", "test_perplexity", "ranking_auc", "parameters");
        table.Add("teacher", "—", 0, teacherPpl, teacherAuc, teacher.Parameters.ScalarCount);
        for (int s = 0; s < students.Length; s++)
            for (int m = 0; m < methods.Length; m++)
                for (int k = 0; k < seeds; k++)
                    table.Add(students[s].Name, methods[m], k, ppl[s, m, k], auc[s, m, k], new Gpt(students[s].Config, 0).Parameters.ScalarCount);

        var (mean, sd) = SeedStats(ppl);
        var (aucMean, aucSd) = SeedStats(auc);
        var fig = new Figure("compression/kd-students", $"Students of a {teacher.Config.Layers}-layer d = {teacher.Config.ModelDim} character GPT: SFT vs KD (τ = {Kd.Temperature}, α = {Kd.Alpha}) vs two-stage KD + on-policy, mean ± sd of {seeds} seeds");
        for (int m = 0; m < methods.Length; m++)
        {
            fig.Add(new BarTrace
            {
                Name = methods[m], X = students.Select(x => x.Name).ToArray(), LegendGroup = methods[m],
                Y = Enumerable.Range(0, students.Length).Select(s => mean[s, m]).ToArray(),
                ErrorY = Enumerable.Range(0, students.Length).Select(s => sd[s, m]).ToArray(),
            });
            fig.Add(new BarTrace
            {
                Name = methods[m], X = students.Select(x => x.Name).ToArray(), LegendGroup = methods[m], ShowLegend = false,
                Y = Enumerable.Range(0, students.Length).Select(s => aucMean[s, m]).ToArray(),
                ErrorY = Enumerable.Range(0, students.Length).Select(s => aucSd[s, m]).ToArray(), XAxis = "x2", YAxis = "y2",
            });
        }
        fig.Add(new BarTrace { Name = "teacher", X = ["teacher"], Y = [teacherPpl], LegendGroup = "teacher" });
        fig.Add(new BarTrace { Name = "teacher", X = ["teacher"], Y = [teacherAuc], LegendGroup = "teacher", ShowLegend = false, XAxis = "x2", YAxis = "y2" });
        fig.Layout.Grid(1, 2);
        fig.Layout.X().Title = "student (layers or width kept / teacher's)";
        fig.Layout.Y().Title = "test perplexity (characters)";
        fig.Layout.X(2).Title = "student";
        fig.Layout.Y(2).Range = (0.5, 1.0);   // from chance: the AUC differences are a few hundredths
        fig.Layout.Y(2).Title = $"ranking-proxy AUC ({pairs.Count} pairs, {pairs.ItemLength}-character items)";
        // Chance is 0.5; 3 binomial standard errors above it is the least AUC that shows the proxy discriminates.
        double aucFloor = 0.5 + 3 * 0.5 / Math.Sqrt(pairs.Count);

        // Paper direction, judged on the seed means: every seed pair shares initialisation and batches, so the
        // SFT–KD difference is paired and the seed spread shown as error bars is the noise it must beat.
        var kdWins = Enumerable.Range(0, students.Length).Select(s => mean[s, 1] < mean[s, 0]).ToArray();
        var claims = new List<Claim>
        {
            Claim.Less("teacher beats the unigram baseline on the test split", teacherPpl, unigram),
            Claim.Less("every student beats the unigram baseline (each learned the text)", Enumerable.Range(0, students.Length).Max(s => Enumerable.Range(0, methods.Length).Max(m => mean[s, m])), unigram),
            Claim.Greater("the teacher ranks the real continuation above a random one (AUC above chance by 3 binomial standard errors)", teacherAuc, aucFloor),
        };
        // The paper's own measure: the AUC gap to the teacher is smaller with KD than with SFT. Paper scale only (at
        // smoke scale the students' AUC differences are far inside the pairs' binomial noise).
        var aucWins = Enumerable.Range(0, students.Length).Select(s => aucMean[s, 1] > aucMean[s, 0]).ToArray();
        if (ctx.IsPaper)
            for (int s = 0; s < students.Length; s++)
                claims.Add(Claim.Greater($"{students[s].Name} student: KD ranking-proxy AUC > SFT (mean of {seeds} seeds)", aucMean[s, 1], aucMean[s, 0]));
        // At smoke scale (2 seeds, a 16-wide student) the width student's KD gain is within its seed spread, so the
        // claim there is that KD wins for at least one shape (it fails if KD loses for both); at paper scale for each.
        if (ctx.IsPaper)
            for (int s = 0; s < students.Length; s++)
                claims.Add(Claim.Less($"{students[s].Name} student: KD test perplexity < SFT (mean of {seeds} seeds)", mean[s, 1], mean[s, 0]));
        else
            claims.Add(Claim.That($"KD test perplexity < SFT (mean of {seeds} seeds) for at least one student shape", kdWins.Any(w => w),
                actual: string.Join(", ", Enumerable.Range(0, students.Length).Select(s => $"{students[s].Name}: KD {F(mean[s, 1])} vs SFT {F(mean[s, 0])}"))));
        string measured = string.Join("; ", Enumerable.Range(0, students.Length).Select(s =>
            $"{students[s].Name}: SFT {F(mean[s, 0])} ± {F(sd[s, 0])}, KD {F(mean[s, 1])} ± {F(sd[s, 1])} ({Pct(100 * (mean[s, 1] / mean[s, 0] - 1))}), " +
            $"two-stage {F(mean[s, 2])} ± {F(sd[s, 2])} ({Pct(100 * (mean[s, 2] / mean[s, 1] - 1))} vs KD)")) + $"; teacher {F(teacherPpl)}. " +
            "Two-stage ≤ one-stage is the brief's expectation for reasoning tasks (held-out generation loss); here two-stage ≤ KD " +
            $"on test perplexity for {Enumerable.Range(0, students.Length).Count(s => mean[s, 2] <= mean[s, 1])} of {students.Length} students (not part of the verdict). " +
            $"Ranking-proxy AUC: teacher {F(teacherAuc)}; " + string.Join("; ", Enumerable.Range(0, students.Length).Select(s =>
                $"{students[s].Name}: SFT {F(aucMean[s, 0])} ({Pct(100 * (aucMean[s, 0] / teacherAuc - 1))} vs teacher), KD {F(aucMean[s, 1])} ({Pct(100 * (aucMean[s, 1] / teacherAuc - 1))}), two-stage {F(aucMean[s, 2])}")) + ".";
        // At paper scale both measures count (the paper reports AUC; perplexity is what the students are trained on).
        var wins = ctx.IsPaper ? kdWins.Concat(aucWins).ToArray() : kdWins;
        var verdict = Verdict.Judge(
            "white-box KD beats SFT for a student of the same size (2502.14305: 8B student AUC −0.06 % with KD vs −0.62 % with SFT relative to the foundation model).",
            measured, reproduced: wins.All(w => w), partly: wins.Any(w => w));
        return new FigureResult(fig, table, claims,
            $"test split perplexity over every {seq}-character window; unigram {F(unigram)}; ranking proxy (the brief's proposal for the paper's AUC): " +
            $"{pairs.Count} contexts of {seq + 1 - pairs.ItemLength} test characters, each with its real next {pairs.ItemLength} characters and {pairs.ItemLength} from elsewhere in the test split, " +
            $"scored by log p(item | context); AUC = share of pairs where the real item scores higher. SFT, KD and two-stage students share initialisation, text batches and {StudentTraining(ctx, seq, 0).Steps} steps; KL scaled by τ². " +
            $"Two-stage: KD on the text for the first half, then half of the batches sampled by the student ({OnPolicy(ctx).GenerationLength} characters at temperature {OnPolicy(ctx).Temperature} after a prompt from the text) and trained on the forward KL(teacher ‖ student) alone.", verdict);
    }
}
