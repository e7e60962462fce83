namespace Reproduce.Cli.Kernel;

/// <summary>One libzmq socket: multipart send/receive of whole messages. Not thread-safe; the
/// kernel gives each socket one owning thread, except iopub, which <see cref="KernelServer"/> guards with a lock.</summary>
internal sealed class ZmqSocket : IDisposable
{
    private nint handle;

    public ZmqSocket(ZmqContext context, int type)
    {
        handle = LibZmq.Socket(context.Handle, type);
        LibZmq.SetInt(handle, LibZmq.LINGER, 1000);
        if (type == LibZmq.ROUTER) LibZmq.SetInt(handle, LibZmq.ROUTER_HANDOVER, 1);
        context.Track(this);
    }

    internal nint Handle => handle;

    /// <summary>Binds to the endpoint; a port of 0 binds a random port. Returns the bound port.</summary>
    public int Bind(string transport, string ip, int port)
    {
        if (transport == "ipc")
        {
            LibZmq.Bind(handle, $"ipc://{ip}-{port}");
            return port;
        }
        LibZmq.Bind(handle, port == 0 ? $"{transport}://{ip}:*" : $"{transport}://{ip}:{port}");
        if (port != 0) return port;
        var last = LibZmq.GetString(handle, LibZmq.LAST_ENDPOINT);
        return int.Parse(last[(last.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sends all frames as one multipart message; false when the context is shutting down.</summary>
    public bool SendFrames(IReadOnlyList<byte[]> frames)
    {
        for (int i = 0; i < frames.Count; i++)
            if (!LibZmq.Send(handle, frames[i], more: i < frames.Count - 1)) return false;
        return true;
    }

    /// <summary>Receives one whole multipart message; null when the context is shutting down.</summary>
    public List<byte[]>? ReceiveFrames()
    {
        var frames = new List<byte[]>();
        bool more;
        do
        {
            var f = LibZmq.Receive(handle, out more);
            if (f is null) return null;
            frames.Add(f);
        } while (more);
        return frames;
    }

    public void Dispose()
    {
        if (handle != 0) { LibZmq.Close(handle); handle = 0; }
    }
}
