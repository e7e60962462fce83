using System.CommandLine;
using System.Text.Json;
using Reproduce.Cli.Bench;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Cli.Verbs;

/// <summary>`reproduce cuda info|check|bench`: what the GPU backend sees, the CPU-vs-GPU parity
/// suite (the same checks the xunit CUDA tests run, for machines without the .NET SDK), and the
/// GPU benchmarks of issue 4.</summary>
public sealed class CudaVerb : ICliVerb
{
    /// <inheritdoc />
    public Command Build()
    {
        var cmd = new Command("cuda", "GPU backend: device info, CPU-vs-GPU parity checks, benchmarks.");

        var info = new Command("info", "Print the CUDA device, driver and library versions, or why CUDA is not usable.");
        info.SetAction(_ => Guard(gpu => { Console.WriteLine(gpu.Backend.Describe()); return 0; }));
        cmd.Add(info);

        var check = new Command("check", "Run every backend operation on CPU and GPU (float64 and float32) and compare; exit 1 on any mismatch.");
        var seed = new Option<ulong>("--seed") { Description = "Random seed for the test inputs.", DefaultValueFactory = _ => 7UL };
        check.Add(seed);
        check.SetAction(pr => Guard(gpu =>
        {
            var results = CudaParity.Run(gpu, Device.Cpu, pr.GetValue(seed));
            foreach (var r in results)
                Console.WriteLine($"{(r.Pass ? "pass" : "FAIL"),-4}  {r.DType,-3}  {r.Operation,-45} error {r.Error:E2}  (tolerance {r.Tolerance:E0})");
            int failed = results.Count(r => !r.Pass);
            Console.WriteLine($"{results.Count - failed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        }));
        cmd.Add(check);

        var bench = new Command("bench", "GEMM against direct cuBLAS calls; syevd, gesvd, potrf GPU against CPU; a 41,063×2,000 normal matrix by the Philox kernel against host Rng + upload.");
        var size = new Option<int>("--gemm") { Description = "GEMM size n (n×n).", DefaultValueFactory = _ => 8192 };
        var eig = new Option<int>("--eig") { Description = "syevd size.", DefaultValueFactory = _ => 4096 };
        var chol = new Option<int>("--chol") { Description = "potrf size.", DefaultValueFactory = _ => 8192 };
        var svdM = new Option<int>("--svd-rows") { Description = "gesvd rows.", DefaultValueFactory = _ => 8192 };
        var svdN = new Option<int>("--svd-cols") { Description = "gesvd columns.", DefaultValueFactory = _ => 512 };
        var noCpu = new Option<bool>("--no-cpu") { Description = "Skip the CPU baselines." };
        var json = new Option<string?>("--json") { Description = "Also write the rows as JSON to this file." };
        foreach (var o in new Option[] { size, eig, chol, svdM, svdN, noCpu, json }) bench.Add(o);
        bench.SetAction(pr => Guard(gpu =>
        {
            Console.WriteLine(gpu.Backend.Describe());
            Console.WriteLine("CPU: " + Device.Cpu.Backend.Describe());
            var rows = CudaBench.Run(gpu, !pr.GetValue(noCpu), pr.GetValue(size), pr.GetValue(eig), (pr.GetValue(svdM), pr.GetValue(svdN)), pr.GetValue(chol), Console.WriteLine);
            if (pr.GetValue(json) is { } path)
                File.WriteAllText(path, JsonSerializer.Serialize(rows.Select(r => new { r.Operation, r.Size, r.GpuSeconds, r.Gflops, r.Baseline, r.BaselineName, r.Ratio }), new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }));
        cmd.Add(bench);
        return cmd;
    }

    private static int Guard(Func<Device, int> body)
    {
        Device gpu;
        try
        {
            gpu = Device.Cuda;
        }
        catch (ComputeException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        return body(gpu);
    }
}
