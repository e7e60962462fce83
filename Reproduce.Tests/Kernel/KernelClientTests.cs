using System.Text.Json.Nodes;

namespace Reproduce.Tests.Kernel;

/// <summary>The kernel driven by a real client (Debian's jupyter_client through kernel_client.py),
/// started from a kernelspec that `reproduce kernel install --prefix` wrote.</summary>
public sealed class KernelClientTests : IDisposable
{
    private readonly string prefix = KernelTestEnvironment.TempDirectory("kernel");
    private Dictionary<string, string>? env;

    private Dictionary<string, string> Env => env ??= KernelTestEnvironment.InstallKernelSpec(prefix);

    private string KernelLog => File.Exists(Env["KERNEL_STDERR"]) ? File.ReadAllText(Env["KERNEL_STDERR"]) : "";

    public void Dispose()
    {
        try { Directory.Delete(prefix, recursive: true); } catch (IOException) { }
    }

    private static string Status(JsonNode run) => run["reply"]!["status"]!.GetValue<string>();

    private static List<JsonObject> Outputs(JsonNode run) =>
        run["iopub"]!.AsArray().Select(m => m!.AsObject()).Where(m => m["msg_type"]!.GetValue<string>() != "status").ToList();

    private static string ResultText(JsonNode run) =>
        Outputs(run).Single(m => m["msg_type"]!.GetValue<string>() == "execute_result")["content"]!["data"]!["text/plain"]!.GetValue<string>();

    [JupyterClientFact]
    public void Kernel_info_execute_complete_inspect_and_errors()
    {
        var r = KernelTestEnvironment.Scenario("basics", Env);

        var info = r["kernel_info"]!["content"]!;
        Assert.Equal("5.3", info["protocol_version"]!.GetValue<string>());
        Assert.Equal("reproduce", info["implementation"]!.GetValue<string>());
        Assert.Equal("C#", info["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal(".cs", info["language_info"]!["file_extension"]!.GetValue<string>());
        Assert.Equal("text/x-csharp", info["language_info"]!["mimetype"]!.GetValue<string>());

        var one = r["one_plus_one"]!;
        Assert.Equal("ok", Status(one));
        Assert.Equal(["status", "execute_input", "execute_result", "status"],
            one["iopub"]!.AsArray().Select(m => m!["msg_type"]!.GetValue<string>()).ToArray());
        Assert.Equal("busy", one["iopub"]![0]!["content"]!["execution_state"]!.GetValue<string>());
        Assert.Equal("idle", one["iopub"]![3]!["content"]!["execution_state"]!.GetValue<string>());
        Assert.Equal("2", ResultText(one));

        var print = Outputs(r["print"]!).Single(m => m["msg_type"]!.GetValue<string>() == "stream");
        Assert.Equal("stdout", print["content"]!["name"]!.GetValue<string>());
        Assert.Equal("hello from C#\n", print["content"]!["text"]!.GetValue<string>());

        var thrown = r["throw"]!;
        Assert.Equal("error", Status(thrown));
        Assert.Equal("InvalidOperationException", thrown["reply"]!["ename"]!.GetValue<string>());
        Assert.Contains("boom", thrown["reply"]!["evalue"]!.GetValue<string>());
        Assert.Contains(Outputs(thrown), m => m["msg_type"]!.GetValue<string>() == "error");
        // The kernel survives, and the state of earlier cells with it.
        Assert.Equal("43", ResultText(r["after_throw"]!));
        Assert.Equal("CompilationError", r["compile_error"]!["reply"]!["ename"]!.GetValue<string>());
        Assert.Contains("CS0103", r["compile_error"]!["reply"]!["evalue"]!.GetValue<string>());

        // silent=true: no execute_input, no outputs, no execution count increment.
        var silent = r["silent"]!;
        Assert.Equal("ok", Status(silent));
        Assert.Empty(Outputs(silent));

        Assert.Equal("incomplete", r["is_complete"]!["open"]!["status"]!.GetValue<string>());
        Assert.Equal("complete", r["is_complete"]!["done"]!["status"]!.GetValue<string>());
        Assert.Contains("Abs", Names(r["complete_static"]!));
        Assert.Contains("Add", Names(r["complete_member"]!));
        Assert.Contains("answer", Names(r["complete_variable"]!));
        Assert.Equal(5, r["complete_static"]!["cursor_start"]!.GetValue<int>());
        var inspect = r["inspect"]!;
        Assert.True(inspect["found"]!.GetValue<bool>());
        Assert.Contains("Sqrt(double d)", inspect["data"]!["text/plain"]!.GetValue<string>());

        Assert.Equal("frobnicate_reply", r["unknown"]!["msg_type"]!.GetValue<string>());
        Assert.Equal("error", r["unknown"]!["content"]!["status"]!.GetValue<string>());
        Assert.Equal("84", ResultText(r["alive_after_unknown"]!));
        // Console.ReadLine goes to the front end over the stdin channel (input_request/input_reply).
        Assert.Equal("hi Ada", ResultText(r["stdin"]!));
        Assert.Equal("error", Status(r["stdin_refused"]!));
        Assert.Contains("allow_stdin", r["stdin_refused"]!["reply"]!["evalue"]!.GetValue<string>());
        // Output is streamed while the cell runs, not gathered at its end.
        var live = Outputs(r["live"]!).Where(m => m["msg_type"]!.GetValue<string>() == "stream").ToList();
        Assert.Equal(["first\n", "second\n"], live.Select(m => m["content"]!["text"]!.GetValue<string>()).ToArray());
        // Kernel-side send times (header.date), so a busy test machine cannot blur the gap.
        Assert.True(live[1]["t_kernel"]!.GetValue<double>() - live[0]["t_kernel"]!.GetValue<double>() > 0.7, "the first line was sent only when the cell ended");
        Assert.Equal("error", r["queued_after_error"]!["first"]!.GetValue<string>());
        Assert.Equal("aborted", r["queued_after_error"]!["second"]!.GetValue<string>());
        Assert.Equal("history_reply", r["history"]!["msg_type"]!.GetValue<string>());
    }

    [JupyterClientFact]
    public void Interrupt_stops_a_long_cell_and_the_kernel_lives_on()
    {
        var r = KernelTestEnvironment.Scenario("interrupt", Env);
        var loop = r["loop"]!;
        Assert.Equal("error", loop["reply"]!["status"]!.GetValue<string>());
        Assert.Equal("KeyboardInterrupt", loop["reply"]!["ename"]!.GetValue<string>());
        Assert.True(loop["seconds_to_reply"]!.GetValue<double>() < 5, $"the loop took {loop["seconds_to_reply"]} s to stop");
        // A loop stops cooperatively: the session (and `before`) survives.
        Assert.Equal("12", ResultText(r["loop_after"]!));

        var blocking = r["blocking"]!;
        Assert.Equal("KeyboardInterrupt", blocking["reply"]!["ename"]!.GetValue<string>());
        Assert.Contains("session was reset", blocking["reply"]!["evalue"]!.GetValue<string>());
        Assert.True(blocking["seconds_to_reply"]!.GetValue<double>() < 10);
        // A blocking call cannot be stopped in .NET; the kernel abandoned it and started a fresh session.
        Assert.Equal("error", Status(r["blocking_after"]!));
        Assert.Contains("CS0103", r["blocking_after"]!["reply"]!["evalue"]!.GetValue<string>());
        Assert.Contains("interrupting the running cell", KernelLog);
    }

    [JupyterClientFact]
    public void Restart_starts_a_fresh_session()
    {
        var r = KernelTestEnvironment.Scenario("restart", Env);
        Assert.Equal("5", ResultText(r["set"]!));
        Assert.True(r["new_process"]!.GetValue<bool>());
        Assert.Equal("error", Status(r["after_restart"]!));
        Assert.Contains("CS0103", r["after_restart"]!["reply"]!["evalue"]!.GetValue<string>());
        Assert.Equal("2", ResultText(r["alive"]!));
        Assert.Contains("shutdown requested (restart=True)", KernelLog);
    }

    [JupyterClientFact]
    public void A_message_with_a_bad_signature_is_rejected()
    {
        var r = KernelTestEnvironment.Scenario("bad_signature", Env);
        Assert.Null(r["bad_reply"]);
        Assert.Equal("5", ResultText(r["good_after"]!));
        Assert.Contains("rejected a message on shell: invalid HMAC signature", KernelLog);
        Assert.False(File.Exists(Path.Combine(KernelTestEnvironment.RepoRoot, "pwned")));
    }

    private static List<string> Names(JsonNode reply) => reply["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
}
