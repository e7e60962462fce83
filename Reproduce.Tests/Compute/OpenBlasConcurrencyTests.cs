using Reproduce.Compute;
using Reproduce.Tests.Parts;
using static Reproduce.Tests.Compute.Backends;

namespace Reproduce.Tests.Compute;

/// <summary>OpenBLAS called from many threads at once (what Parallel.For loops in the experiments do).
/// OpenBLAS keeps a fixed table of per-thread buffers sized by the NUM_THREADS it was compiled with; a
/// pthread build overflows it when more threads call in at once than it was built for ("precompiled
/// NUM_THREADS exceeded") and the paper-scale sgd-stability/critical-eta run died there with SIGSEGV.
/// The backend must bound how many threads are inside OpenBLAS at once; this test calls it from far more
/// dedicated threads than any build's table holds (a crash takes the test host down, which fails the run)
/// and checks every result against the same computation done alone.</summary>
public class OpenBlasConcurrencyTests
{
    // More callers than the largest buffer table of a distribution build (2 × NUM_THREADS with NUM_THREADS up
    // to 64, Debian/Ubuntu) so that an unbounded backend overflows it whatever the machine.
    private const int Callers = 160;

    [RequiresFact(Part.OpenBlas)]
    public void ManyThreadsCallingAtOnceGetTheSingleThreadResults()
    {
        var be = Get("openblas");
        var rng = new Rng(1601);
        // Sizes above OpenBLAS's multithreading cut-offs, so each call also starts OpenBLAS's own workers.
        var a = Random(160, 160, DType.F64, rng);
        var s = Matrix.Zeros(160, 160);
        be.Gemm(a, true, a, false, s, 1, 0); // symmetric positive semidefinite
        var product = Matrix.Zeros(160, 160);
        be.Gemm(a, false, a, false, product, 1, 0);
        var values = be.SymmetricEigen(s).Values.ToArray();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new ManualResetEventSlim(false);
        var threads = Enumerable.Range(0, Callers).Select(t => new Thread(() =>
        {
            try
            {
                start.Wait();
                for (int rep = 0; rep < 3; rep++)
                {
                    var c = Matrix.Zeros(160, 160);
                    be.Gemm(a, false, a, false, c, 1, 0);
                    double gemmErr = MaxAbsDiff(c.ToArray(), product.ToArray());
                    double eigErr = MaxAbsDiff(be.SymmetricEigen(s).Values.ToArray(), values);
                    // Same inputs, same library: only the order of floating-point sums may differ between
                    // OpenBLAS's threaded and single-threaded paths (a few ulps of the largest entry).
                    if (gemmErr > 1e-12 * 160 * MaxAbs(product.ToArray()) || eigErr > 1e-12 * 160 * values.Max())
                        failures.Add($"thread {t} rep {rep}: gemm error {gemmErr:G3}, eigenvalue error {eigErr:G3}");
                }
            }
            catch (Exception e) { failures.Add($"thread {t}: {e.GetType().Name}: {e.Message}"); }
        }, maxStackSize: 1 << 20)).ToArray();
        foreach (var th in threads) th.Start();
        start.Set();
        foreach (var th in threads) th.Join();
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(5)));
    }

    private static double MaxAbsDiff(double[] x, double[] y) => x.Zip(y).Max(p => Math.Abs(p.First - p.Second));

    private static double MaxAbs(double[] x) => x.Max(Math.Abs);
}
