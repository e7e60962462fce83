namespace Reproduce.Cli.Kernel;

/// <summary>A libzmq context. <see cref="Shutdown"/> makes every blocking call on its sockets return
/// (ETERM) so threads can exit; <see cref="Dispose"/> closes the sockets and terminates the context.</summary>
internal sealed class ZmqContext : IDisposable
{
    private readonly List<ZmqSocket> sockets = [];
    private nint handle;

    public ZmqContext()
    {
        LibZmq.Load();
        handle = LibZmq.CtxNew();
    }

    internal nint Handle => handle;

    internal void Track(ZmqSocket s) { lock (sockets) sockets.Add(s); }

    public void Shutdown()
    {
        if (handle != 0) LibZmq.CtxShutdown(handle);
    }

    public void Dispose()
    {
        if (handle == 0) return;
        Shutdown();
        lock (sockets) foreach (var s in sockets) s.Dispose();
        LibZmq.CtxTerm(handle);
        handle = 0;
    }
}
