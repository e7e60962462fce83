namespace Reproduce.Cli.Kernel;

/// <summary>One executing cell and its interruption. The code runs with cooperative interrupt
/// checks (<see cref="InterruptibleCode"/>) on its own thread; <see cref="Interrupt"/> sets the
/// cell's flag and cancels its token. A cell that ignores both (one long blocking call) is
/// abandoned after a grace period: the kernel answers with an error and starts a fresh session.</summary>
internal sealed class RunningCell(IKernelExecutor executor, string code, string cellLabel, IKernelOutputSink outputs)
{
    private readonly CancellationTokenSource cts = new();
    private readonly ManualResetEventSlim done = new();
    private readonly string flag = InterruptibleCode.NewFlag();
    private KernelCellResult? result;
    private long interruptedAt;

    /// <summary>True when the cell was interrupted and did not stop within the grace period.</summary>
    public bool Abandoned { get; private set; }

    /// <summary>True once <see cref="Interrupt"/> was called.</summary>
    public bool Interrupted => Interlocked.Read(ref interruptedAt) != 0;

    public KernelCellResult RunAndWait(TimeSpan grace)
    {
        string rewritten = InterruptibleCode.Rewrite(code, flag);
        var thread = new Thread(() =>
        {
            try
            {
                result = executor.Execute(rewritten, cellLabel, outputs, cts.Token);
            }
            catch (Exception e)
            {
                result = KernelCellResult.Failed(e.GetType().Name, e.Message, [e.ToString()]);
            }
            finally
            {
                done.Set();
            }
        }, maxStackSize: 16 << 20) { IsBackground = true, Name = "jupyter-cell" };
        thread.Start();
        while (!done.Wait(50))
        {
            long at = Interlocked.Read(ref interruptedAt);
            if (at != 0 && System.Diagnostics.Stopwatch.GetElapsedTime(at) > grace)
            {
                Abandoned = true;
                return InterruptedResult("it did not stop within " + grace.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) +
                    " s (a long blocking call), so it was abandoned and the session was reset: re-run the cells above");
            }
        }
        var r = result!;
        return Interrupted && r.Error is not null ? InterruptedResult("it stopped") : r;
    }

    public void Interrupt()
    {
        Interlocked.CompareExchange(ref interruptedAt, System.Diagnostics.Stopwatch.GetTimestamp(), 0);
        InterruptibleCode.Raise(flag);
        cts.Cancel();
    }

    private static KernelCellResult InterruptedResult(string what)
    {
        string message = $"The cell was interrupted; {what}.";
        return KernelCellResult.Failed("KeyboardInterrupt", message, ["KeyboardInterrupt: " + message]);
    }
}
