using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Reproduce.Cli.Kernel;

/// <summary>A Jupyter kernel (messaging protocol 5.3) over ZeroMQ: ROUTER shell and control, PUB
/// iopub, ROUTER stdin, REP heartbeat, bound from a connection file. Shell requests are handled in
/// order on the shell thread (cells run on their own thread so an interrupt can reach them); control
/// requests on the control thread (so interrupt and shutdown work while a cell runs); heartbeat
/// echoes on its own thread.</summary>
internal sealed class KernelServer : IDisposable
{
    /// <summary>How long an interrupted cell may take to stop before the kernel abandons it.</summary>
    internal static TimeSpan InterruptGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a publish waits for a client that stopped reading iopub before the message
    /// is dropped (with a warning): long enough for any live client, short enough that a stalled one
    /// cannot hang the kernel.</summary>
    internal const int IopubSendTimeoutMs = 30_000;

    private readonly ConnectionInfo info;
    private readonly TextWriter log;
    private readonly WireCodec codec;
    private readonly ZmqContext context;
    private readonly ZmqSocket shell, control, iopub, stdin, heartbeat;
    private readonly object iopubGate = new();
    private readonly string session = Guid.NewGuid().ToString();
    private readonly KernelAnalysis analysis;
    private readonly Func<IKernelExecutor> executorFactory;
    private IKernelExecutor? executor; // set by the warm-up task; wait for warmUp before use (Session)
    private volatile bool stopping;
    private bool disposed;
    private int executionCount;
    private RunningCell? running;
    private readonly KernelStdin stdinReader;
    private Task warmUp = Task.CompletedTask;
    private int firstReplyLogged;
    private readonly KernelHistory history;

    public KernelServer(ConnectionInfo info, Func<IKernelExecutor> executorFactory, TextWriter log)
    {
        this.info = info;
        this.executorFactory = executorFactory;
        this.log = log;
        // Roslyn's warm-up is most of the first cell's wait: start it (and the session, whose
        // formatters take a while to set up) before anything else; the sockets, the client's
        // connection and its kernel_info_request happen meanwhile.
        codec = new WireCodec(new MessageSigner(info.Key));
        warmUp = Task.Run(() =>
        {
            try { executor = executorFactory(); }
            catch (Exception e)
            {
                log.WriteLine($"[reproduce kernel] error: the session could not be created: {e}");
                return;
            }
            WarmUp(executor);
        });
        context = new ZmqContext();
        shell = new ZmqSocket(context, LibZmq.ROUTER);
        control = new ZmqSocket(context, LibZmq.ROUTER);
        iopub = new ZmqSocket(context, LibZmq.PUB);
        // A PUB socket silently drops what exceeds its high-water mark; with NODROP a send waits
        // for the subscriber instead (back-pressure on the cell), up to the send timeout.
        LibZmq.SetInt(iopub.Handle, LibZmq.XPUB_NODROP, 1);
        LibZmq.SetInt(iopub.Handle, LibZmq.SNDTIMEO, IopubSendTimeoutMs);
        stdin = new ZmqSocket(context, LibZmq.ROUTER);
        heartbeat = new ZmqSocket(context, LibZmq.REP);
        shell.Bind(info.Transport, info.Ip, info.ShellPort);
        control.Bind(info.Transport, info.Ip, info.ControlPort);
        iopub.Bind(info.Transport, info.Ip, info.IopubPort);
        stdin.Bind(info.Transport, info.Ip, info.StdinPort);
        heartbeat.Bind(info.Transport, info.Ip, info.HbPort);
        analysis = new KernelAnalysis(() => Session);
        stdinReader = new KernelStdin(AskFrontEnd);
        history = new KernelHistory(Environment.GetEnvironmentVariable("REPRODUCE_KERNEL_HISTORY") is { Length: > 0 } h ? h : null, log);
    }

    /// <summary>The session's executor, once the warm-up that creates it is done.</summary>
    private IKernelExecutor Session
    {
        get
        {
            warmUp.Wait();
            return executor ?? throw new InvalidOperationException("The kernel's session could not be created (see the kernel log).");
        }
    }

    /// <summary>Set when a shutdown_request was handled.</summary>
    public bool ShutdownRequested => stopping;

    /// <summary>Serves until a shutdown_request (or <see cref="Stop"/>); returns the exit code.</summary>
    public int Run()
    {
        var hb = new Thread(HeartbeatLoop) { IsBackground = true, Name = "jupyter-heartbeat" };
        var ctl = new Thread(() => Serve(control, "control")) { IsBackground = true, Name = "jupyter-control" };
        hb.Start();
        ctl.Start();
        Console.SetIn(stdinReader);
        ParentWatch.Start(log, _ => Orphaned());
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, parent: null);
        log.WriteLine($"[reproduce kernel] listening ({info.Transport}://{info.Ip} shell {info.ShellPort}, libzmq {LibZmq.Version()} from {LibZmq.LoadedFrom}; Roslyn {(IsReadyToRun(typeof(Microsoft.CodeAnalysis.CSharp.CSharpCompilation).Assembly) ? "ReadyToRun" : "IL only (JIT-compiled; ./reproduce kernel install publishes a ReadyToRun copy)")}).");
        Serve(shell, "shell");
        ctl.Join(TimeSpan.FromSeconds(5));
        // Wake the heartbeat thread (ETERM) and let it leave its socket before the sockets close.
        context.Shutdown();
        hb.Join(TimeSpan.FromSeconds(2));
        return 0;
    }

    /// <summary>Compiles and runs a cell that declares nothing in the kernel's own session while the
    /// front end connects, so the first real cell pays neither for loading and JIT-compiling Roslyn
    /// nor for a session's first submission (which binds every default reference and costs far more
    /// than later ones even with Roslyn warm; the user's first cell continues this one instead). The cell
    /// takes the path a real one takes (loop rewriting, Console output, a result to format, a
    /// message to encode) so that all of it is compiled. The first execute waits for it (cells
    /// redirect the process-wide Console, so two must not overlap). The log line says where the
    /// time went (wall, CPU, methods the JIT compiled).</summary>
    private void WarmUp(IKernelExecutor executor)
    {
        try
        {
            var sw = Stopwatch.StartNew();
            string Spent() => $"{sw.Elapsed.TotalSeconds:0.00} s wall, {CpuSeconds():0.00} s cpu, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods jitted";
            Reproduce.Cli.Engine.ExecutionSession.PreloadReferences();
            string references = Spent();
            // The block's locals are not script variables: the user's session gains no name.
            string code = InterruptibleCode.Rewrite("{ int warm = 0; for (int i = 0; i < 2; i++) warm++; Console.Write(warm); }\n1", InterruptibleCode.NewFlag());
            var result = executor.Execute(code, "warm-up", new NullSink(), CancellationToken.None);
            if (result.Error is { } e) log.WriteLine($"[reproduce kernel] warning: the warm-up cell failed ({e.EName}: {e.EValue}); the first cell will compile cold.");
            codec.Encode(new JupyterMessage
            {
                Identities = [],
                Header = JupyterMessage.NewHeader("execute_result", session),
                ParentHeader = [],
                Content = new JsonObject { ["data"] = result.Data?.DeepClone() },
            });
            log.WriteLine($"[reproduce kernel] warm-up: references {references}; done {Spent()} (process up {ProcessUpSeconds():0.00} s).");
        }
        catch (Exception e)
        {
            log.WriteLine($"[reproduce kernel] warm-up failed (cells will compile cold): {e.Message}");
        }
    }

    /// <summary>True when the assembly's file carries ReadyToRun (precompiled) code.</summary>
    internal static bool IsReadyToRun(System.Reflection.Assembly assembly)
    {
        try
        {
            using var stream = File.OpenRead(assembly.Location);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException)
        {
            return false;
        }
    }

    private static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static double ProcessUpSeconds() => (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;

    private sealed class NullSink : IKernelOutputSink
    {
        public void Stream(string name, string text) { }
        public void Display(JsonObject data, JsonObject metadata) { }
    }

    /// <summary>Sends an input_request for the running cell and waits for the input_reply.</summary>
    private string AskFrontEnd(JupyterMessage parent, string prompt)
    {
        var m = new JupyterMessage
        {
            Identities = parent.Identities,
            Header = JupyterMessage.NewHeader("input_request", session),
            ParentHeader = parent.Header.DeepClone().AsObject(),
            Content = KernelStdin.InputRequest(prompt),
        };
        lock (stdin)
        {
            stdin.SendFrames(codec.Encode(m));
            Span<bool> ready = stackalloc bool[1];
            while (!stopping)
            {
                if (running is { Interrupted: true }) throw new OperationCanceledException("The cell was interrupted while waiting for input.");
                if (!LibZmq.PollIn([stdin.Handle], ready, 100)) break;
                if (!ready[0]) continue;
                var frames = stdin.ReceiveFrames();
                if (frames is null) break;
                JupyterMessage reply;
                try { reply = codec.Decode(frames); }
                catch (WireFormatException e) { log.WriteLine($"[reproduce kernel] warning: rejected a message on stdin: {e.Message}."); continue; }
                if (reply.MsgType == "input_reply") return reply.Content["value"]?.GetValue<string>() ?? "";
            }
        }
        throw new OperationCanceledException("The kernel is shutting down.");
    }

    /// <summary>The client died: stop as a shutdown_request would; if a cell holds the shell thread
    /// past its interrupt grace, leave anyway (nobody is left to answer).</summary>
    private void Orphaned()
    {
        Interrupt();
        Stop();
        Thread.Sleep(InterruptGrace + TimeSpan.FromSeconds(10));
        log.WriteLine("[reproduce kernel] the kernel did not stop after its client died; exiting.");
        Environment.Exit(1);
    }

    /// <summary>Asks the loops to stop (as a shutdown_request does).</summary>
    public void Stop() => stopping = true;

    /// <summary>Interrupts the running cell, if any (interrupt_request or SIGINT).</summary>
    public void Interrupt()
    {
        var cell = running;
        if (cell is null) return;
        log.WriteLine("[reproduce kernel] interrupting the running cell.");
        cell.Interrupt();
    }

    private void HeartbeatLoop()
    {
        while (!stopping)
        {
            var frames = heartbeat.ReceiveFrames();
            if (frames is null || !heartbeat.SendFrames(frames)) return;
        }
    }

    private void Serve(ZmqSocket socket, string channel)
    {
        Span<bool> ready = stackalloc bool[1];
        while (!stopping)
        {
            if (!LibZmq.PollIn([socket.Handle], ready, 100)) return;
            if (!ready[0]) continue;
            var frames = socket.ReceiveFrames();
            if (frames is null) return;
            Handle(socket, channel, frames);
        }
    }

    private void Handle(ZmqSocket socket, string channel, List<byte[]> frames)
    {
        JupyterMessage request;
        try
        {
            request = codec.Decode(frames);
        }
        catch (WireFormatException e)
        {
            log.WriteLine($"[reproduce kernel] warning: rejected a message on {channel}: {e.Message}.");
            return;
        }
        Publish("status", new JsonObject { ["execution_state"] = "busy" }, request);
        try
        {
            Dispatch(socket, channel, request);
        }
        catch (Exception e)
        {
            log.WriteLine($"[reproduce kernel] error handling {request.MsgType}: {e}");
            if (request.MsgType.EndsWith("_request", StringComparison.Ordinal))
                Reply(socket, request, ReplyType(request.MsgType), ErrorContent(e.GetType().Name, e.Message));
        }
        finally
        {
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, request);
        }
    }

    private static string ReplyType(string requestType) => requestType[..^"_request".Length] + "_reply";

    private static JsonObject ErrorContent(string ename, string evalue) => new()
    {
        ["status"] = "error",
        ["ename"] = ename,
        ["evalue"] = evalue,
        ["traceback"] = new JsonArray(),
    };

    private void Dispatch(ZmqSocket socket, string channel, JupyterMessage request)
    {
        var c = request.Content;
        switch (request.MsgType)
        {
            case "kernel_info_request":
                Reply(socket, request, "kernel_info_reply", KernelInfo());
                break;
            case "execute_request":
                Execute(socket, request);
                break;
            case "is_complete_request":
                Reply(socket, request, "is_complete_reply", KernelAnalysis.IsComplete(c["code"]?.GetValue<string>() ?? ""));
                break;
            case "complete_request":
                Reply(socket, request, "complete_reply", analysis.Complete(c["code"]?.GetValue<string>() ?? "", c["cursor_pos"]?.GetValue<int>() ?? 0));
                break;
            case "inspect_request":
                Reply(socket, request, "inspect_reply", analysis.Inspect(c["code"]?.GetValue<string>() ?? "", c["cursor_pos"]?.GetValue<int>() ?? 0));
                break;
            case "history_request":
                Reply(socket, request, "history_reply", history.Reply(c));
                break;
            case "comm_info_request":
                Reply(socket, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                break;
            case "interrupt_request":
                Interrupt();
                Reply(socket, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                bool restart = c["restart"]?.GetValue<bool>() ?? false;
                var content = new JsonObject { ["status"] = "ok", ["restart"] = restart };
                Reply(socket, request, "shutdown_reply", content);
                Publish("shutdown_reply", content.DeepClone().AsObject(), request);
                log.WriteLine($"[reproduce kernel] shutdown requested (restart={restart}).");
                Interrupt();
                stopping = true;
                break;
            case "comm_open":
                // No comm targets are registered: close it, as the protocol asks.
                Publish("comm_close", new JsonObject { ["comm_id"] = c["comm_id"]?.DeepClone(), ["data"] = new JsonObject() }, request);
                break;
            case "comm_msg" or "comm_close":
                break;
            default:
                log.WriteLine($"[reproduce kernel] warning: unknown message type '{request.MsgType}' on {channel}.");
                if (request.MsgType.EndsWith("_request", StringComparison.Ordinal))
                    Reply(socket, request, ReplyType(request.MsgType),
                        ErrorContent("UnknownMessageType", $"The Reproduce kernel does not handle '{request.MsgType}'."));
                break;
        }
    }

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "reproduce",
        ["implementation_version"] = typeof(KernelServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        ["language_info"] = new JsonObject
        {
            ["name"] = "C#",
            ["version"] = "14.0",
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
            ["nbconvert_exporter"] = "script",
        },
        ["banner"] = $"Reproduce C# kernel (.NET {Environment.Version}, Roslyn scripting). Cells run with the same engine as `reproduce run`.",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };

    private void Execute(ZmqSocket socket, JupyterMessage request)
    {
        var c = request.Content;
        string code = c["code"]?.GetValue<string>() ?? "";
        bool silent = c["silent"]?.GetValue<bool>() ?? false;
        bool storeHistory = !silent && (c["store_history"]?.GetValue<bool>() ?? true);
        bool stopOnError = c["stop_on_error"]?.GetValue<bool>() ?? true;
        if (storeHistory) executionCount++;
        int count = executionCount;
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);

        KernelCellResult result;
        if (string.IsNullOrWhiteSpace(code))
            result = KernelCellResult.Ok();
        else
        {
            var sink = new IopubSink(this, request, silent);
            var cell = new RunningCell(Session, code, $"In [{count}]", sink);
            running = cell;
            stdinReader.Begin(request, c["allow_stdin"]?.GetValue<bool>() ?? false);
            try { result = cell.RunAndWait(InterruptGrace); }
            finally
            {
                running = null;
                stdinReader.Begin(null, false);
                // The cell's last stream text goes out before its result, error and reply.
                sink.Dispose();
            }
            if (cell.Abandoned)
            {
                log.WriteLine("[reproduce kernel] warning: the interrupted cell did not stop within the grace period; it was abandoned (it may still run in the background) and the session was reset.");
                executor = executorFactory();
            }
        }

        if (storeHistory) history.Add(count, code, result.Data?["text/plain"]?.GetValue<string>());
        var reply = new JsonObject { ["execution_count"] = count };
        if (result.Error is { } err)
        {
            var tb = new JsonArray(err.Traceback.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
            if (!silent)
                Publish("error", new JsonObject { ["ename"] = err.EName, ["evalue"] = err.EValue, ["traceback"] = tb.DeepClone() }, request);
            reply["status"] = "error";
            reply["ename"] = err.EName;
            reply["evalue"] = err.EValue;
            reply["traceback"] = tb;
        }
        else
        {
            if (result.Data is { Count: > 0 } data && !silent)
                Publish("execute_result", new JsonObject
                {
                    ["execution_count"] = count,
                    ["data"] = data,
                    ["metadata"] = result.Metadata ?? new JsonObject(),
                }, request);
            reply["status"] = "ok";
            reply["payload"] = new JsonArray();
            var expressions = new JsonObject();
            if (c["user_expressions"] is JsonObject ue)
                foreach (var (name, _) in ue)
                    expressions[name] = ErrorContent("NotSupported", "user_expressions are not evaluated by the Reproduce kernel.");
            reply["user_expressions"] = expressions;
        }
        if (!silent)
            foreach (var bundle in result.AfterResult)
                Publish("display_data", new JsonObject { ["data"] = bundle, ["metadata"] = new JsonObject(), ["transient"] = new JsonObject() }, request);
        if (result.Trailer is { Length: > 0 } trailer && !silent)
            Publish("stream", new JsonObject { ["name"] = "stdout", ["text"] = trailer }, request);
        Reply(socket, request, "execute_reply", reply, new JsonObject { ["status"] = reply["status"]!.GetValue<string>() });
        if (Interlocked.Exchange(ref firstReplyLogged, 1) == 0)
            log.WriteLine($"[reproduce kernel] first execute_reply {ProcessUpSeconds():0.00} s after the process started ({CpuSeconds():0.00} s cpu, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods jitted).");
        if (result.Error is not null && stopOnError) AbortQueuedExecutes(socket);
    }

    /// <summary>After an error with stop_on_error, execute requests already queued are answered
    /// "aborted" (as a "run all" expects); other queued requests are served normally.</summary>
    private void AbortQueuedExecutes(ZmqSocket socket)
    {
        Span<bool> ready = stackalloc bool[1];
        while (LibZmq.PollIn([socket.Handle], ready, 0) && ready[0])
        {
            var frames = socket.ReceiveFrames();
            if (frames is null) return;
            JupyterMessage m;
            try { m = codec.Decode(frames); }
            catch (WireFormatException e) { log.WriteLine($"[reproduce kernel] warning: rejected a message on shell: {e.Message}."); continue; }
            if (m.MsgType != "execute_request") { Handle(socket, "shell", frames); continue; }
            Publish("status", new JsonObject { ["execution_state"] = "busy" }, m);
            Reply(socket, m, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = executionCount });
            Publish("status", new JsonObject { ["execution_state"] = "idle" }, m);
        }
    }

    private void Reply(ZmqSocket socket, JupyterMessage request, string msgType, JsonObject content, JsonObject? metadata = null)
    {
        var m = new JupyterMessage
        {
            Identities = request.Identities,
            Header = JupyterMessage.NewHeader(msgType, session),
            ParentHeader = request.Header.DeepClone().AsObject(),
            Metadata = metadata ?? [],
            Content = content,
        };
        socket.SendFrames(codec.Encode(m));
    }

    internal void Publish(string msgType, JsonObject content, JupyterMessage? parent)
    {
        var m = new JupyterMessage
        {
            Identities = [System.Text.Encoding.UTF8.GetBytes($"kernel.{session}.{msgType}")],
            Header = JupyterMessage.NewHeader(msgType, session),
            ParentHeader = parent?.Header.DeepClone().AsObject() ?? [],
            Content = content,
        };
        var frames = codec.Encode(m);
        lock (iopubGate)
        {
            // An abandoned cell may still print after shutdown; its output goes nowhere.
            if (disposed) return;
            try { iopub.SendFrames(frames); }
            catch (ZmqException e) when (e.ErrorCode == LibZmq.EAGAIN)
            {
                log.WriteLine($"[reproduce kernel] warning: a {msgType} message was dropped: the client did not read iopub for {IopubSendTimeoutMs / 1000} s.");
            }
        }
    }

    public void Dispose()
    {
        stopping = true;
        lock (iopubGate) disposed = true;
        context.Dispose();
        executor?.Dispose();
    }

    /// <summary>Forwards a cell's outputs to iopub: stream text batched (<see cref="StreamBatcher"/>),
    /// display_data and clear_output after the text written before them.</summary>
    private sealed class IopubSink : IKernelOutputSink, IDisposable
    {
        private readonly KernelServer server;
        private readonly JupyterMessage parent;
        private readonly bool silent;
        private readonly StreamBatcher batcher;

        public IopubSink(KernelServer server, JupyterMessage parent, bool silent)
        {
            this.server = server;
            this.parent = parent;
            this.silent = silent;
            batcher = new StreamBatcher((name, text) =>
                server.Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, parent));
        }

        public void Stream(string name, string text)
        {
            if (silent) return;
            batcher.Write(name, text);
        }

        public void Display(JsonObject data, JsonObject metadata)
        {
            if (silent) return;
            batcher.Flush();
            server.Publish("display_data", new JsonObject { ["data"] = data, ["metadata"] = metadata, ["transient"] = new JsonObject() }, parent);
        }

        public void Display(JsonObject data, JsonObject metadata, string displayId)
        {
            if (silent) return;
            batcher.Flush();
            server.Publish("display_data", new JsonObject { ["data"] = data, ["metadata"] = metadata, ["transient"] = new JsonObject { ["display_id"] = displayId } }, parent);
        }

        public void UpdateDisplay(JsonObject data, string displayId)
        {
            if (silent) return;
            batcher.Flush();
            server.Publish("update_display_data", new JsonObject { ["data"] = data, ["metadata"] = new JsonObject(), ["transient"] = new JsonObject { ["display_id"] = displayId } }, parent);
        }

        public void Clear(bool wait)
        {
            if (silent) return;
            batcher.Flush();
            server.Publish("clear_output", new JsonObject { ["wait"] = wait }, parent);
        }

        public void Dispose() => batcher.Dispose();
    }
}
