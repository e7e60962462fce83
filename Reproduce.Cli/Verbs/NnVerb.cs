using System.CommandLine;
using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Cli.Verbs;

/// <summary>`reproduce nn check [--device cpu|cuda]`: the neural-network engine's gradient checks, a
/// short training run whose loss must fall, and with a GPU the CPU/GPU parity; one line per check,
/// a summary, exit 1 on any failure (2 when the device is unavailable); `nn bench` (timed steps) and
/// `nn train` (<see cref="NnTrainCommand"/>).</summary>
public sealed class NnVerb : ICliVerb
{
    /// <inheritdoc />
    public Command Build()
    {
        var cmd = new Command("nn", "Neural-network engine: gradient checks, training and device parity.");
        var check = new Command("check", "Gradient checks of every layer (float64 central differences), a short training run whose loss must fall, and with --device cuda the CPU/GPU parity; exit 1 on any failure.");
        var device = new Option<string>("--device") { Description = "cpu (default) or cuda (adds CPU/GPU parity and a GPU training run)", DefaultValueFactory = _ => "cpu" };
        var steps = new Option<int>("--steps") { Description = "Steps of the training check.", DefaultValueFactory = _ => 60 };
        var torch = new Option<string?>("--torch") { Description = "A folder with PyTorch's outputs for the fixture models (gpt-tiny-torch.safetensors, gpt-tiny-rotary-torch.safetensors, written by tools/nn/torch_reference.py and torch_reference_rotary.py): compare loss, logits and every gradient, float64 within 1e-8 and float32 within 1e-4, on the CPU and with --device cuda on the GPU too." };
        check.Add(device); check.Add(steps); check.Add(torch);
        check.SetAction(pr =>
        {
            Device? dev = null;
            var name = pr.GetValue(device)!.ToLowerInvariant();
            if (name == "cuda")
            {
                try { dev = Device.Cuda; }
                catch (ComputeException e) { Console.Error.WriteLine("reproduce nn check: " + e.Message); return 2; }
            }
            else if (name != "cpu") { Console.Error.WriteLine($"reproduce nn check: --device '{name}' is not known; use cpu or cuda."); return 2; }
            var results = NnCheck.Run(dev, r => Console.WriteLine($"{(r.Pass ? "pass" : "FAIL"),-4}  {r.Name,-48} {r.Detail}"), pr.GetValue(steps), pr.GetValue(torch));
            int failed = results.Count(r => !r.Pass);
            Console.WriteLine($"{results.Count - failed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        });
        cmd.Add(check);

        var bench = new Command("bench", "Timed float32 training steps of a GPT: step time, tokens/s; on the CPU time per operation, GEMM share, the step's GEMM rate against direct OpenBLAS/managed calls at the same shapes; on CUDA float32/TF32/bf16 GEMMs; heap growth.");
        var layers = new Option<int>("--layers") { DefaultValueFactory = _ => 6 };
        var dim = new Option<int>("--dim") { DefaultValueFactory = _ => 256 };
        var heads = new Option<int>("--heads") { DefaultValueFactory = _ => 8 };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 64 };
        var seq = new Option<int>("--seq") { DefaultValueFactory = _ => 128 };
        var bsteps = new Option<int>("--steps") { DefaultValueFactory = _ => 10 };
        var warm = new Option<int>("--warmup") { Description = "Untimed steps first.", DefaultValueFactory = _ => 2 };
        var bdev = new Option<string>("--device") { Description = "cpu (default) or cuda", DefaultValueFactory = _ => "cpu" };
        var tf32 = new Option<bool>("--tf32") { Description = "On CUDA, also time the steps with TF32 tensor-core GEMMs (float32 otherwise)." };
        var bf16 = new Option<bool>("--bf16") { Description = "On CUDA, also time the steps with bf16-operand GEMMs (float32 accumulation and output; REPRODUCE_BF16=1 turns them on for every run)." };
        var json = new Option<string?>("--json") { Description = "Also write every number to this JSON file." };
        var memSteps = new Option<int>("--memory-steps") { Description = "Then train this many more steps and report memory in use after 10 and after all (growth check).", DefaultValueFactory = _ => 0 };
        foreach (var o in new Option[] { layers, dim, heads, batch, seq, bsteps, warm, bdev, tf32, bf16, json, memSteps }) bench.Add(o);
        bench.SetAction(pr =>
        {
            try
            {
                var dev = pr.GetValue(bdev)!.ToLowerInvariant() switch { "cpu" => Device.Cpu, "cuda" => Device.Cuda, var o => throw new ArgumentException($"--device '{o}' is not known; use cpu or cuda.") };
                int d = pr.GetValue(dim);
                var cfg = new GptConfig(76, pr.GetValue(seq), pr.GetValue(layers), d, pr.GetValue(heads), 4 * d);
                NnBench.Run(dev, cfg, pr.GetValue(batch), pr.GetValue(seq), pr.GetValue(bsteps), Console.WriteLine, pr.GetValue(warm), pr.GetValue(tf32), pr.GetValue(memSteps), pr.GetValue(bf16), pr.GetValue(json));
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or ComputeException)
            {
                Console.Error.WriteLine("reproduce nn bench: " + e.Message);
                return 2;
            }
        });
        cmd.Add(bench);
        cmd.Add(NnTrainCommand.Build());
        return cmd;
    }
}
