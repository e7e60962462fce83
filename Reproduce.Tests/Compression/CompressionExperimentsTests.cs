using Reproduce.Compression;
using Reproduce.Experiments;

namespace Reproduce.Tests.Compression;

/// <summary>Every compression figure at smoke scale: its claims hold and its verdict is written by the run.</summary>
public class CompressionExperimentsTests
{
    public static TheoryData<string> Ids => new()
    {
        "compression/layer-sparse", "compression/sparse-plus-low-rank", "compression/quantization-bits", "compression/perplexity-vs-sparsity", "compression/kd-students", "compression/prune-gradual", "compression/pipeline",
        "compression/prune-speedup",
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public void SmokeScaleClaimsHold(string id)
    {
        var ctx = new RunContext(Scale.Smoke, 20);
        FigureResult r = id switch
        {
            "compression/layer-sparse" => CompressionExperiments.LayerSparse(ctx),
            "compression/sparse-plus-low-rank" => CompressionExperiments.SparsePlusLowRank(ctx),
            "compression/quantization-bits" => CompressionExperiments.QuantizationBits(ctx),
            "compression/kd-students" => CompressionExperiments.KdStudents(ctx),
            "compression/prune-gradual" => CompressionExperiments.PruneGradual(ctx),
            "compression/pipeline" => CompressionExperiments.Pipeline(ctx),
            "compression/prune-speedup" => CompressionExperiments.PruneSpeedup(ctx),
            _ => CompressionExperiments.PerplexityVsSparsity(ctx),
        };
        Assert.Equal(id, r.Id);
        Assert.True(r.AllPass, string.Join("\n", r.Claims.Where(c => !c.Pass)));
        Assert.NotNull(r.Verdict);
        Assert.True(r.Data.RowCount > 0);
    }
}
