using System.Collections.Concurrent;
using Reproduce.Cli.Kernel;

namespace Reproduce.Tests.Kernel;

/// <summary>The kernel's stream batching (issue 19: "stream output batched with a short flush
/// interval and back-pressure, never dropped"), checked on the batcher alone with a recording send:
/// what arrives is exactly what was written, in order, in few messages; text waits at most about a
/// flush interval; a full buffer is sent by the writing thread itself, so a send that blocks (iopub
/// waiting for a slow client) stops the writer instead of letting the buffer grow.</summary>
public sealed class StreamBatcherTests
{
    private sealed class Recorder
    {
        public readonly ConcurrentQueue<(string Name, string Text, DateTime At)> Sent = new();

        public void Send(string name, string text) => Sent.Enqueue((name, text, DateTime.UtcNow));
    }

    /// <summary>A batcher whose timer does not fire during the test (so batch boundaries depend only
    /// on the writes, not on how the machine schedules the timer).</summary>
    private static StreamBatcher WithoutTimer(Action<string, string> send) => new(send, TimeSpan.FromHours(1));

    [Fact]
    public void Every_write_arrives_once_in_order_in_batches_bounded_by_the_batch_size()
    {
        var rec = new Recorder();
        var expected = new System.Text.StringBuilder();
        using (var b = WithoutTimer(rec.Send))
        {
            for (int i = 0; i < 20_000; i++)
            {
                string line = $"line {i}\n";
                b.Write("stdout", line);
                expected.Append(line);
            }
        }
        var sent = rec.Sent.ToArray();
        Assert.Equal(expected.ToString(), string.Concat(sent.Select(s => s.Text)));
        Assert.All(sent, s => Assert.Equal("stdout", s.Name));
        // One message per write would be 20,000; a batch is sent once it reaches MaxBatchChars, so
        // no message is much larger than that (the last write may overshoot by one line).
        Assert.InRange(sent.Length, 1, expected.Length / StreamBatcher.MaxBatchChars + 2);
        Assert.All(sent, s => Assert.True(s.Text.Length < StreamBatcher.MaxBatchChars + 16, $"a batch of {s.Text.Length} chars"));
    }

    [Fact]
    public void A_change_of_stream_and_an_explicit_flush_send_what_came_before()
    {
        var rec = new Recorder();
        using (var b = WithoutTimer(rec.Send))
        {
            b.Write("stdout", "a");
            b.Write("stdout", "b");
            b.Write("stderr", "c");
            b.Flush(); // what the kernel does before a display_data or clear_output
            b.Write("stdout", "d");
        }
        Assert.Equal([("stdout", "ab"), ("stderr", "c"), ("stdout", "d")], rec.Sent.Select(s => (s.Name, s.Text)).ToArray());
    }

    [Fact]
    public void Text_left_in_the_buffer_goes_out_after_about_one_flush_interval_without_further_writes()
    {
        var rec = new Recorder();
        using var b = new StreamBatcher(rec.Send);
        var written = DateTime.UtcNow;
        b.Write("stdout", "progress 10%\n");
        // The cell keeps running (nothing else is written, nothing flushes it): only the timer can send it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (rec.Sent.IsEmpty && DateTime.UtcNow < deadline) Thread.Sleep(5);
        var sent = Assert.Single(rec.Sent);
        Assert.Equal("progress 10%\n", sent.Text);
        // Generous for a loaded machine, yet far below "only when the cell ends".
        Assert.True(sent.At - written < TimeSpan.FromSeconds(5), $"sent {(sent.At - written).TotalMilliseconds:0} ms after the write");
    }

    [Fact]
    public void A_blocked_send_holds_back_the_writer_instead_of_buffering_without_bound()
    {
        using var release = new ManualResetEventSlim(false);
        var sent = new ConcurrentQueue<string>();
        int inSend = 0;
        void Send(string name, string text)
        {
            Interlocked.Increment(ref inSend);
            release.Wait(); // iopub waits for a client that does not read
            sent.Enqueue(text);
        }
        var b = new StreamBatcher(Send);
        string chunk = new('x', 1024);
        int writes = 0;
        var writer = new Thread(() =>
        {
            for (int i = 0; i < 4 * StreamBatcher.MaxBatchChars / chunk.Length; i++)
            {
                b.Write("stdout", chunk);
                Interlocked.Increment(ref writes);
            }
        }) { IsBackground = true };
        writer.Start();
        // The writer stops inside the write that filled the buffer (it sends that batch itself), or
        // behind the timer's send: either way it cannot run ahead of the blocked send.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Volatile.Read(ref inSend) == 0 && DateTime.UtcNow < deadline) Thread.Sleep(5);
        Assert.True(Volatile.Read(ref inSend) > 0, "nothing was sent");
        Thread.Sleep(300);
        Assert.True(writer.IsAlive, "the writer finished all its writes while the send was blocked");
        Assert.InRange(Volatile.Read(ref writes), 0, StreamBatcher.MaxBatchChars / chunk.Length);

        release.Set();
        Assert.True(writer.Join(TimeSpan.FromSeconds(20)), "the writer did not resume after the send returned");
        b.Dispose();
        Assert.Equal(4 * StreamBatcher.MaxBatchChars, sent.Sum(t => t.Length)); // nothing dropped
    }
}
