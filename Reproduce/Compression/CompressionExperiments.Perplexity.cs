using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using Reproduce.Nn;

namespace Reproduce.Compression;

public static partial class CompressionExperiments
{
    /// <summary>tab-layer-sparse, full: held-out perplexity of the pruned model against sparsity per method,
    /// every linear map of every block pruned by the sequential driver.</summary>
    [Experiment("compression/perplexity-vs-sparsity", "Perplexity vs sparsity per method (tiny GPT trained from scratch, sequential driver)")]
    public static FigureResult PerplexityVsSparsity(RunContext ctx)
    {
        var (trained, corpus, seq) = TrainedTeacher(ctx);
        var teacher = CpuCopy(trained);   // compression, calibration and evaluation on the CPU, every (method, sparsity) at once
        int calibSeqs = ctx.Pick(16, 128), evalWindows = ctx.Pick(32, 400);
        var (calib, _) = CharCorpus.SampleBatch(corpus.Train, calibSeqs, seq, ctx.Rng("calibration"));
        double dense = Math.Exp(CharCorpus.Evaluate(teacher, corpus.Validation, seq, evalWindows));
        double unigram = Math.Exp(corpus.UnigramCrossEntropy(corpus.Validation));
        double[] levels = ctx.Pick(new[] { 0.4, 0.7 }, new[] { 0.3, 0.5, 0.6, 0.7, 0.8 });
        var methods = new (string Name, Func<LayerProblem, SparsityTarget, CompressionResult> Run)[]
        {
            ("magnitude", MagnitudePruner.Prune), ("wanda", WandaPruner.Prune),
            ("sparsegpt", (p, t) => new SparseGpt().Prune(p, t)), ("alps", (p, t) => new Alps().Prune(p, t)),
        };
        var table = new Table("method", "sparsity", "validation_perplexity", "mean_layer_relative_error");
        var ppl = new double[methods.Length, levels.Length];
        var err = new double[methods.Length, levels.Length];
        ForEachOnCpu(methods.Length * levels.Length, j =>
        {
            int m = j / levels.Length, l = j % levels.Length;
            var model = CpuCopy(teacher);
            var target = SparsityTarget.Unstructured(levels[l]);
            var layers = SequentialCompressor.Run(model, calib, calibSeqs, seq, (_, p) => methods[m].Run(p, target));
            ppl[m, l] = Math.Exp(CharCorpus.Evaluate(model, corpus.Validation, seq, evalWindows));
            err[m, l] = layers.Average(x => x.Result.RelativeError);
        });
        for (int m = 0; m < methods.Length; m++)
            for (int l = 0; l < levels.Length; l++)
                table.Add(methods[m].Name, levels[l], ppl[m, l], err[m, l]);
        var fig = new Figure("compression/perplexity-vs-sparsity", $"Validation perplexity vs sparsity ({teacher.Config.Layers}-layer d = {teacher.Config.ModelDim} character GPT, {calibSeqs}×{seq} calibration tokens)");
        for (int m = 0; m < methods.Length; m++)
            fig.Add(new ScatterTrace { Name = methods[m].Name, X = levels, Y = Enumerable.Range(0, levels.Length).Select(l => ppl[m, l]).ToArray() });
        fig.Add(new ScatterTrace { Name = "dense", X = [levels[0], levels[^1]], Y = [dense, dense], Mode = "lines", Dash = "dash" });
        fig.Layout.X().Title = "unstructured sparsity of every block's linear maps";
        fig.Layout.Y().Title = "validation perplexity (characters)";
        fig.Layout.Y().Type = AxisType.Log;

        int hi = levels.Length - 1;
        bool exactBeatsMag = ppl[2, hi] <= ppl[0, hi] && ppl[3, hi] <= ppl[0, hi];
        bool magRises = Enumerable.Range(1, levels.Length - 1).All(l => ppl[0, l] >= ppl[0, l - 1]);
        var claims = new[]
        {
            Claim.Less("dense model beats the unigram baseline (it learned the text)", dense, unigram),
            Claim.That($"SparseGPT and ALPS perplexity ≤ magnitude at {levels[hi]:0.#} sparsity", exactBeatsMag),
            Claim.That("magnitude-pruned perplexity rises with sparsity", magRises),
        };
        var verdict = Verdict.Judge(
            "exact-H pruning (SparseGPT, ALPS) keeps perplexity far closer to dense than magnitude pruning at high sparsity (ALPS, NeurIPS 2024: LLaMA3-8B at 70 %, −29 % perplexity vs the best prior method).",
            $"at {levels[hi]:0.#} sparsity: dense {F(dense)}, magnitude {F(ppl[0, hi])}, Wanda {F(ppl[1, hi])}, SparseGPT {F(ppl[2, hi])}, ALPS {F(ppl[3, hi])} (ALPS vs SparseGPT {Pct(100 * (ppl[3, hi] / ppl[2, hi] - 1))}).",
            reproduced: exactBeatsMag && ppl[3, hi] <= ppl[2, hi], partly: exactBeatsMag);
        return new FigureResult(fig, table, claims, $"unigram perplexity {F(unigram)}; {evalWindows} validation windows of {seq} characters.", verdict);
    }
}
