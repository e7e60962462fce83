using System.Text;

namespace Reproduce.Cli.Kernel;

/// <summary>Batches a cell's stream text into few iopub messages, as ipykernel does: writes are
/// appended to a buffer that is sent every <see cref="DefaultFlushInterval"/> (or the interval given), when it reaches
/// <see cref="MaxBatchChars"/>, when the stream name changes and before any other output (so the
/// order of outputs is kept). One message per Console.Write overran the front end's queue
/// (libzmq dropped what exceeded its high-water mark; 100,000 WriteLines arrived as ~15,000).
/// Back-pressure: a write that fills the buffer sends it itself, under the batcher's lock, so a
/// cell that prints faster than iopub can send is slowed down instead of buffering without bound
/// (and iopub blocks instead of dropping; see <see cref="KernelServer"/>).
/// The interval flush runs on the batcher's own thread, not a thread-pool timer: a cell that
/// saturates the thread pool (Parallel.For over blocking work, or a loaded 2-core machine) starved
/// the timer for seconds, and its progress lines arrived only when the pool recovered.</summary>
internal sealed class StreamBatcher : IDisposable
{
    /// <summary>How long text may wait in the buffer (ipykernel waits 0.2 s; shorter keeps progress lines live).</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Buffer size (UTF-16 chars) that triggers a send from the writing thread. The batch's
    /// string (2 bytes a char) and its message (about 1 byte a char) stay below .NET's 85,000-byte
    /// large-object threshold: 256 K batches put every batch on the large-object heap, whose
    /// collections are full (gen 2) ones over the kernel's whole heap, Roslyn's included.</summary>
    public const int MaxBatchChars = 32 * 1024;

    private readonly Action<string, string> send;
    private readonly Lock gate = new();
    private readonly StringBuilder buffer = new();
    private readonly ManualResetEventSlim stopped = new(false);
    private string? name;
    private bool closed;

    /// <summary><paramref name="send"/>(name, text) publishes one stream message; buffered text is
    /// sent at least every <paramref name="flushInterval"/> (default <see cref="DefaultFlushInterval"/>).</summary>
    public StreamBatcher(Action<string, string> send, TimeSpan? flushInterval = null)
    {
        this.send = send;
        var interval = flushInterval ?? DefaultFlushInterval;
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(flushInterval), interval, "the flush interval must be positive");
        new Thread(() => FlushEvery(interval)) { IsBackground = true, Name = "kernel stream flush" }.Start();
    }

    private void FlushEvery(TimeSpan interval)
    {
        // Wait returns true once Dispose signals; until then, each timeout is one interval flush.
        while (!stopped.Wait(interval)) Flush();
    }

    public void Write(string streamName, string text)
    {
        if (text.Length == 0) return;
        lock (gate)
        {
            if (closed)
            {
                // A cell abandoned after an interrupt may still print: send it unbatched.
                send(streamName, text);
                return;
            }
            if (name != streamName) FlushLocked();
            name = streamName;
            buffer.Append(text);
            if (buffer.Length >= MaxBatchChars) FlushLocked();
        }
    }

    /// <summary>Sends what is buffered (call before publishing any other output of the cell).</summary>
    public void Flush()
    {
        lock (gate) FlushLocked();
    }

    /// <summary>Sends what is buffered and stops the interval flush; later writes are sent as they
    /// come. Does not wait for the flush thread: it may be inside a send that blocks on a slow client,
    /// and it ends after that send.</summary>
    public void Dispose()
    {
        stopped.Set();
        lock (gate)
        {
            FlushLocked();
            closed = true;
        }
    }

    private void FlushLocked()
    {
        if (buffer.Length == 0 || name is null) return;
        string text = buffer.ToString();
        buffer.Clear();
        if (buffer.Capacity > 4 * MaxBatchChars) buffer.Capacity = 2 * MaxBatchChars;
        send(name, text);
    }
}
