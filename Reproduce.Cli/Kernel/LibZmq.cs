using System.Runtime.InteropServices;

namespace Reproduce.Cli.Kernel;

/// <summary>The slice of the libzmq C API the kernel needs, bound at run time with
/// <see cref="NativeLibrary"/> and unmanaged function pointers (no DllImport resolver, so nothing
/// else in the process competes for the assembly's resolver). Loading fails with a
/// <see cref="LibZmqMissingException"/> that names the Debian package to install.</summary>
internal static unsafe class LibZmq
{
    public const int PUB = 1, REP = 4, ROUTER = 6;
    public const int LINGER = 17, RCVMORE = 13, LAST_ENDPOINT = 32, ROUTER_HANDOVER = 56, SNDHWM = 23, SNDTIMEO = 28, XPUB_NODROP = 69;
    public const int DONTWAIT = 1, SNDMORE = 2;
    public const short POLLIN = 1;
    public const int EAGAIN = 11, EINTR = 4;
    /// <summary>ZMQ_HAUSNUMERO + 53: the context was terminated.</summary>
    public const int ETERM = 156384712 + 53;

    /// <summary>Library names tried in order; when REPRODUCE_LIBZMQ (a path) is set, only it is tried.</summary>
    internal static readonly string[] Candidates =
    [
        "/usr/lib/x86_64-linux-gnu/libzmq.so.5",
        "/usr/lib/aarch64-linux-gnu/libzmq.so.5",
        "libzmq.so.5",
        "libzmq.so",
        "libzmq.5.dylib",
        "libzmq",
    ];

    private static readonly object Gate = new();
    private static bool loaded;

    private static delegate* unmanaged<nint> ctxNew;
    private static delegate* unmanaged<nint, int> ctxTerm;
    private static delegate* unmanaged<nint, int> ctxShutdown;
    private static delegate* unmanaged<nint, int, nint> socket;
    private static delegate* unmanaged<nint, int> close;
    private static delegate* unmanaged<nint, byte*, int> bind;
    private static delegate* unmanaged<nint, int, void*, nuint, int> setsockopt;
    private static delegate* unmanaged<nint, int, void*, nuint*, int> getsockopt;
    private static delegate* unmanaged<nint, void*, nuint, int, int> send;
    private static delegate* unmanaged<ZmqMsg*, int> msgInit;
    private static delegate* unmanaged<ZmqMsg*, nint, int, int> msgRecv;
    private static delegate* unmanaged<ZmqMsg*, void*> msgData;
    private static delegate* unmanaged<ZmqMsg*, nuint> msgSize;
    private static delegate* unmanaged<ZmqMsg*, int> msgClose;
    private static delegate* unmanaged<ZmqMsg*, int> msgMore;
    private static delegate* unmanaged<ZmqPollItem*, int, long, int> poll;
    private static delegate* unmanaged<int> errno;
    private static delegate* unmanaged<int, byte*> strerror;
    private static delegate* unmanaged<int*, int*, int*, void> version;

    /// <summary>The loaded library's path (after <see cref="Load"/>).</summary>
    public static string? LoadedFrom { get; private set; }

    /// <summary>Loads libzmq once; throws <see cref="LibZmqMissingException"/> with the install hint.</summary>
    public static void Load()
    {
        lock (Gate)
        {
            if (loaded) return;
            var tried = new List<string>();
            nint handle = 0;
            var env = Environment.GetEnvironmentVariable("REPRODUCE_LIBZMQ");
            foreach (var name in string.IsNullOrEmpty(env) ? Candidates : [env])
            {
                tried.Add(name);
                if (NativeLibrary.TryLoad(name, out handle)) { LoadedFrom = name; break; }
            }
            if (handle == 0) throw new LibZmqMissingException(tried);
            ctxNew = (delegate* unmanaged<nint>)Export(handle, "zmq_ctx_new");
            ctxTerm = (delegate* unmanaged<nint, int>)Export(handle, "zmq_ctx_term");
            ctxShutdown = (delegate* unmanaged<nint, int>)Export(handle, "zmq_ctx_shutdown");
            socket = (delegate* unmanaged<nint, int, nint>)Export(handle, "zmq_socket");
            close = (delegate* unmanaged<nint, int>)Export(handle, "zmq_close");
            bind = (delegate* unmanaged<nint, byte*, int>)Export(handle, "zmq_bind");
            setsockopt = (delegate* unmanaged<nint, int, void*, nuint, int>)Export(handle, "zmq_setsockopt");
            getsockopt = (delegate* unmanaged<nint, int, void*, nuint*, int>)Export(handle, "zmq_getsockopt");
            send = (delegate* unmanaged<nint, void*, nuint, int, int>)Export(handle, "zmq_send");
            msgInit = (delegate* unmanaged<ZmqMsg*, int>)Export(handle, "zmq_msg_init");
            msgRecv = (delegate* unmanaged<ZmqMsg*, nint, int, int>)Export(handle, "zmq_msg_recv");
            msgData = (delegate* unmanaged<ZmqMsg*, void*>)Export(handle, "zmq_msg_data");
            msgSize = (delegate* unmanaged<ZmqMsg*, nuint>)Export(handle, "zmq_msg_size");
            msgClose = (delegate* unmanaged<ZmqMsg*, int>)Export(handle, "zmq_msg_close");
            msgMore = (delegate* unmanaged<ZmqMsg*, int>)Export(handle, "zmq_msg_more");
            poll = (delegate* unmanaged<ZmqPollItem*, int, long, int>)Export(handle, "zmq_poll");
            errno = (delegate* unmanaged<int>)Export(handle, "zmq_errno");
            strerror = (delegate* unmanaged<int, byte*>)Export(handle, "zmq_strerror");
            version = (delegate* unmanaged<int*, int*, int*, void>)Export(handle, "zmq_version");
            loaded = true;
        }
    }

    private static nint Export(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out var p)
            ? p
            : throw new LibZmqMissingException([$"{LoadedFrom} (found, but it lacks {name}: libzmq 4.x is required)"]);

    public static Version Version()
    {
        int a, b, c;
        version(&a, &b, &c);
        return new Version(a, b, c);
    }

    public static nint CtxNew() => Check(ctxNew(), "zmq_ctx_new");
    public static void CtxShutdown(nint ctx) => ctxShutdown(ctx);
    public static void CtxTerm(nint ctx) { while (ctxTerm(ctx) != 0 && errno() == EINTR) { } }
    public static nint Socket(nint ctx, int type) => Check(socket(ctx, type), "zmq_socket");
    public static void Close(nint s) => close(s);

    public static void Bind(nint s, string endpoint)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(endpoint + "\0");
        fixed (byte* p = bytes)
            if (bind(s, p) != 0) throw Error($"zmq_bind({endpoint})");
    }

    public static void SetInt(nint s, int option, int value)
    {
        if (setsockopt(s, option, &value, sizeof(int)) != 0) throw Error($"zmq_setsockopt({option})");
    }

    public static int GetInt(nint s, int option)
    {
        int value = 0;
        nuint len = sizeof(int);
        if (getsockopt(s, option, &value, &len) != 0) throw Error($"zmq_getsockopt({option})");
        return value;
    }

    public static string GetString(nint s, int option)
    {
        var buf = stackalloc byte[1024];
        nuint len = 1024;
        if (getsockopt(s, option, buf, &len) != 0) throw Error($"zmq_getsockopt({option})");
        return System.Text.Encoding.UTF8.GetString(buf, (int)len).TrimEnd('\0');
    }

    /// <summary>Sends one frame; returns false when the context is terminated.</summary>
    public static bool Send(nint s, ReadOnlySpan<byte> frame, bool more)
    {
        fixed (byte* p = frame)
        {
            while (true)
            {
                if (send(s, p, (nuint)frame.Length, more ? SNDMORE : 0) >= 0) return true;
                int e = errno();
                if (e == EINTR) continue;
                if (e == ETERM) return false;
                throw Error("zmq_send", e);
            }
        }
    }

    /// <summary>Receives one frame (blocking); null when the context is terminated.</summary>
    public static byte[]? Receive(nint s, out bool more)
    {
        ZmqMsg msg;
        msgInit(&msg);
        try
        {
            while (msgRecv(&msg, s, 0) < 0)
            {
                int e = errno();
                if (e == EINTR) continue;
                more = false;
                if (e == ETERM) return null;
                throw Error("zmq_msg_recv", e);
            }
            var frame = new ReadOnlySpan<byte>(msgData(&msg), checked((int)msgSize(&msg))).ToArray();
            more = msgMore(&msg) != 0;
            return frame;
        }
        finally
        {
            msgClose(&msg);
        }
    }

    /// <summary>Polls the sockets for input; fills <paramref name="ready"/>; false when the context is terminated.</summary>
    public static bool PollIn(ReadOnlySpan<nint> sockets, Span<bool> ready, int timeoutMs)
    {
        var items = stackalloc ZmqPollItem[sockets.Length];
        for (int i = 0; i < sockets.Length; i++) items[i] = new ZmqPollItem { Socket = sockets[i], Events = POLLIN };
        while (true)
        {
            int rc = poll(items, sockets.Length, timeoutMs);
            if (rc >= 0) break;
            int e = errno();
            if (e == EINTR) continue;
            if (e == ETERM) return false;
            throw Error("zmq_poll", e);
        }
        for (int i = 0; i < sockets.Length; i++) ready[i] = (items[i].Revents & POLLIN) != 0;
        return true;
    }

    public static int Errno() => errno();

    private static nint Check(nint p, string what) => p != 0 ? p : throw Error(what);

    private static ZmqException Error(string what, int? code = null)
    {
        int e = code ?? errno();
        var text = Marshal.PtrToStringUTF8((nint)strerror(e)) ?? "unknown error";
        return new ZmqException($"{what} failed: {text} (errno {e}).", e);
    }

    /// <summary>zmq_msg_t: 64 opaque bytes, pointer-aligned.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    internal struct ZmqMsg
    {
        private nint alignment;
    }

    /// <summary>zmq_pollitem_t on POSIX: socket pointer, int fd, short events, short revents.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ZmqPollItem
    {
        public nint Socket;
        public int Fd;
        public short Events;
        public short Revents;
    }
}
