using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary>Issue 23's memory target on the CPU: activations are reused across training steps, so
/// nothing grows with the number of steps (the GPU side is `nn bench --device cuda --memory-steps`).
/// It reads the process's heap, so it runs alone (a parallel test's allocations would count as growth).</summary>
[Collection("Heap")]
public class MemoryTests
{
    /// <summary>The training step of <see cref="LmTrainer"/> (LossAndGradients, then AdamW) for 50 steps
    /// of a model whose activations are large enough to be pooled. After a warm-up no array may be newly
    /// allocated and the pool must hold exactly the same bytes between steps, and the managed heap after a full GC must grow by
    /// less than one step's activations over 40 further steps, which any per-step leak of even 1/40 of a
    /// step's activations would exceed.</summary>
    [Fact]
    public void FiftyTrainingStepsReuseTheActivationsAndDoNotGrowTheHeap()
    {
        var cfg = new GptConfig(29, 64, 2, 64, 4, 256);   // 256 tokens × 64 features = 16,384 elements: pooled
        const int batch = 4, seq = 64;
        var rng = new Rng(3);
        var tok = new int[batch * seq]; var tgt = new int[batch * seq];
        for (int i = 0; i < tok.Length; i++) { tok[i] = rng.NextInt(cfg.VocabSize); tgt[i] = rng.NextInt(cfg.VocabSize); }
        var model = new Gpt(cfg, 1, DType.F32);
        var opt = new AdamW();
        void Steps(int n) { for (int s = 0; s < n; s++) { model.LossAndGradients(tok, tgt, batch, seq); opt.Step(model.Parameters, 1e-3); } }

        Steps(10);
        long pool = model.ActivationPoolBytes, reuses = model.ActivationReuses, allocations = model.ActivationAllocations;
        long heap = GC.GetTotalMemory(true);
        Steps(1);
        long perStep = model.ActivationReuses - reuses;
        Steps(39);
        long heapAfter = GC.GetTotalMemory(true);

        Assert.True(pool > 0 && perStep > 0, "no activation was pooled; the test model is too small to exercise the pool");
        Assert.Equal(pool, model.ActivationPoolBytes);
        // Every step takes all its pooled arrays from the pool: the same count each step, none fresh
        // (a step that did not dispose its activations would allocate them anew every time).
        Assert.Equal(0, model.ActivationAllocations - allocations);
        Assert.Equal(40 * perStep, model.ActivationReuses - reuses);
        Assert.True(heapAfter - heap < pool, $"the heap grew by {(heapAfter - heap) / 1024.0:F0} KiB over 40 steps; one step's activations are {pool / 1024.0:F0} KiB");
    }
}
