using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Reproduce.Cli.Engine;

/// <summary>One C# scripting session: every cell of a notebook runs in it, in order, so variables
/// and usings carry from cell to cell (Roslyn CSharpScript + ContinueWith). It executes one cell's
/// code at a time and returns its outputs (Console text, displays, the last expression, errors);
/// it knows nothing about notebooks files or the CLI, so the Jupyter kernel reuses it.</summary>
public sealed partial class ExecutionSession : IDisposable
{
    private static readonly Lock ConsoleGate = new();

    /// <summary>One Roslyn assembly loader for every session of the process. Each loader loads a
    /// package's assemblies into load contexts of its own, and an assembly asked for in an older
    /// version than restored (FSharp.Core under Giraffe.ViewEngine under Plotly.NET) is found through
    /// <see cref="PackageAssets"/>, which returns the copy already loaded: with a loader per session,
    /// a second session in the process (a kernel's session after an abandoned cell, a second notebook
    /// of `reproduce run`) mixed its own Plotly.NET with the first session's FSharp.Core, and the
    /// chart failed with MissingMethodException. Shared, a package is loaded once per process.</summary>
    private static readonly Microsoft.CodeAnalysis.Scripting.Hosting.InteractiveAssemblyLoader SharedLoader = new();
    private readonly NotebookReferenceResolver _resolver;
    private readonly ScriptGlobals _globals;
    private ScriptState<object>? _state;
    private volatile OutputCollector? _collector;
    private int _submission;

    /// <summary>Creates a session whose <c>#r</c> paths resolve relative to <paramref name="baseDirectory"/>.</summary>
    public ExecutionSession(string baseDirectory)
    {
        BaseDirectory = Path.GetFullPath(baseDirectory);
        _resolver = new NotebookReferenceResolver(BaseDirectory);
        _globals = new ScriptGlobals(this);
        FormatterDisplays.Start();
        // Formatters are process-wide; a new session (a notebook, a restarted kernel) starts from the defaults.
        Microsoft.DotNet.Interactive.Formatting.Formatter.ResetToDefault();
    }

    /// <summary>Folder that relative #r paths start from (the notebook's folder).</summary>
    public string BaseDirectory { get; }

    /// <summary>True after a cell timed out: its code may still be running, so no further cell may run.</summary>
    public bool IsBroken { get; private set; }

    internal OutputCollector? Collector => _collector;

    internal ScriptGlobals Globals => _globals;

    /// <summary>The session whose cell is running (cells of all sessions run one at a time, since
    /// they redirect the process-wide Console); x.Display() finds its cell through it.</summary>
    internal static ExecutionSession? Running { get; private set; }

    /// <summary>Executes one cell's code. <paramref name="cellLabel"/> (e.g. "cell 3") names the
    /// cell in error messages; <paramref name="timeout"/> bounds its wall time.</summary>
    public Task<CellResult> ExecuteAsync(string code, string cellLabel, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(code, cellLabel, timeout, onOutput: null, cancellationToken);

    /// <summary>As above; <paramref name="onOutput"/> also sees every output the moment it happens
    /// (each Console write, display and error), for a kernel that streams them to its client. With
    /// <paramref name="retainStreams"/> false, Console text goes to the listener only and the
    /// result's outputs hold displays, the cell's value and errors (a kernel has sent the text
    /// already; keeping a second copy of everything a cell prints only fed the garbage collector).</summary>
    public async Task<CellResult> ExecuteAsync(string code, string cellLabel, TimeSpan? timeout, Action<CellOutput>? onOutput, CancellationToken cancellationToken = default, bool retainStreams = true)
    {
        if (IsBroken) throw new InvalidOperationException("The session is unusable after a timed-out cell; start a new session.");
        var collector = new OutputCollector(onOutput, retainStreams);
        var sw = Stopwatch.StartNew();
        int submission = ++_submission;
        string filePath = Path.Combine(BaseDirectory, $"__cell{submission}.csx");

        var magics = CellMagics.Parse(code);
        if (magics.Magics.Count > 0)
        {
            if (magics.Unknown is { } unknown)
            {
                collector.Add(CellMagics.UnknownMagic(unknown, cellLabel));
                return new CellResult(collector.Finish(), false, sw.Elapsed);
            }
            if (magics.Has("#!markdown"))
            {
                collector.Add(new DisplayOutput(new MarkdownText(magics.Code.Trim('\r', '\n')), IsResult: false));
                return new CellResult(collector.Finish(), true, sw.Elapsed);
            }
            if (magics.Has("#!about"))
            {
                collector.Write("stdout", CellMagics.About());
                if (string.IsNullOrWhiteSpace(magics.Code)) return new CellResult(collector.Finish(), true, sw.Elapsed);
            }
            code = magics.Code;
        }
        if (magics.Has("#!time"))
        {
            // Runs the cell, then shows its wall time after its outputs as .NET Interactive does (a
            // text/plain display "Wall time: 306.9689ms").
            var timed = await ExecuteAsync(code, cellLabel, timeout, onOutput, cancellationToken, retainStreams).ConfigureAwait(false);
            var wall = new DisplayOutput(FormattableString.Invariant($"Wall time: {sw.Elapsed.TotalMilliseconds:0.####}ms"), IsResult: false);
            return timed with { Outputs = [.. timed.Outputs, wall], AfterResult = [.. timed.AfterResult, wall] };
        }

        var (withoutDirectives, packageError) = ApplyPackageDirectives(code, cellLabel, collector);
        if (packageError is not null)
        {
            collector.Add(packageError);
            return new CellResult(collector.Finish(), false, sw.Elapsed);
        }
        code = withoutDirectives;

        var missing = MissingReference(code, cellLabel);
        if (missing is not null)
        {
            collector.Add(missing);
            return new CellResult(collector.Finish(), false, sw.Elapsed);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = Options(filePath);
        _collector = collector;
        TextWriter oldOut, oldErr;
        lock (ConsoleGate)
        {
            oldOut = Console.Out;
            oldErr = Console.Error;
            Console.SetOut(new CapturingWriter(() => _collector, "stdout"));
            Console.SetError(new CapturingWriter(() => _collector, "stderr"));
            Running = this;
        }
        bool timedOut = false, ok;
        try
        {
            var previous = _state;
            // catchException: a cell that throws at run time still returns its state, so the
            // variables, functions and types it declared before throwing stay defined (as in .NET
            // Interactive); the exception is reported from state.Exception below.
            var run = Task.Run(() => previous is null
                ? CSharpScript.Create<object>(code, options, typeof(ScriptGlobals), SharedLoader).RunAsync(_globals, CatchAll, cts.Token)
                : previous.ContinueWithAsync<object>(code, options, CatchAll, cts.Token), cts.Token);
            Task finished = await Task.WhenAny(run, Task.Delay(timeout ?? Timeout.InfiniteTimeSpan, cancellationToken)).ConfigureAwait(false);
            if (finished != run)
            {
                cts.Cancel();
                timedOut = !cancellationToken.IsCancellationRequested;
                IsBroken = true;
                collector.Add(timedOut
                    ? new ErrorOutput("TimeoutError", $"{cellLabel} did not finish within {timeout!.Value.TotalSeconds:0.###} s.",
                        [$"TimeoutError: {cellLabel} did not finish within {timeout!.Value.TotalSeconds:0.###} s. Raise --timeout or make the cell faster (smaller sizes at --scale smoke)."])
                    : new ErrorOutput("OperationCanceledException", $"{cellLabel} was cancelled.", [$"OperationCanceledException: {cellLabel} was cancelled."]));
                ok = false;
            }
            else
            {
                try
                {
                    var state = await run.ConfigureAwait(false);
                    _state = state;
                    _pendingReferences.Clear(); // the chain has them now
                    if (state.Exception is { } thrown)
                    {
                        collector.Add(thrown is OperationCanceledException && cancellationToken.IsCancellationRequested
                            ? new ErrorOutput("OperationCanceledException", $"{cellLabel} was cancelled.", [$"OperationCanceledException: {cellLabel} was cancelled."])
                            : RuntimeError(thrown, cellLabel, filePath));
                        ok = false;
                    }
                    else
                    {
                        if (state.ReturnValue is { } value and not DisplayedValue) collector.Add(new DisplayOutput(value, IsResult: true));
                        ok = true;
                    }
                }
                catch (CompilationErrorException e)
                {
                    collector.Add(CompileError(e, cellLabel));
                    ok = false;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    collector.Add(new ErrorOutput("OperationCanceledException", $"{cellLabel} was cancelled.", [$"OperationCanceledException: {cellLabel} was cancelled."]));
                    ok = false;
                }
                catch (Exception e)
                {
                    collector.Add(RuntimeError(e, cellLabel, filePath));
                    ok = false;
                }
            }
        }
        finally
        {
            _collector = null;
            lock (ConsoleGate)
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
                if (Running == this) Running = null;
            }
        }
        return new CellResult(collector.Finish(), ok, sw.Elapsed, timedOut);
    }

    /// <summary>The Roslyn compilation of <paramref name="code"/> as the next cell, chained to the
    /// cells run so far (nothing runs); the Jupyter kernel's completion and inspection use it.</summary>
    internal Compilation AnalysisCompilation(string code)
    {
        code = NuGetDirectives.Parse(code).Code;
        var options = Options(Path.Combine(BaseDirectory, $"__cell{_submission + 1}.csx"));
        var script = _state is { } state
            ? state.Script.ContinueWith<object>(code, options)
            : CSharpScript.Create<object>(code, options, typeof(ScriptGlobals), SharedLoader);
        return script.GetCompilation();
    }

    private static readonly Func<Exception, bool> CatchAll = _ => true;

    /// <summary>Options of the next submission. Only the first submission lists the default
    /// references: Roslyn adds a submission's references to those of the whole chain, so listing
    /// them on every cell made each compilation carry one copy per earlier cell (memory grew
    /// quadratically with the cells run). Later submissions inherit them from the chain; packages
    /// restored since the last submission add theirs.</summary>
    private ScriptOptions Options(string filePath) => BaseOptions(filePath)
        .WithReferences(_state is null ? DefaultReferences.Value : [])
        .AddReferences(_pendingReferences);

    private ScriptOptions BaseOptions(string filePath) => ScriptOptions.Default
        // Microsoft.DotNet.Interactive.Formatting is referenced but, as in .NET Interactive's C# kernel,
        // not imported: cells write `using Microsoft.DotNet.Interactive.Formatting;` for Formatter.
        // MathString's namespace is imported, so `new MathString(…)` also works without its using.
        .WithImports("System", "System.Collections.Generic", "System.Linq", "System.Threading.Tasks", "Reproduce.Cli.Display", "Microsoft.DotNet.Interactive.Jupyter.Formatting")
        .WithMetadataResolver(_resolver)
        .WithSourceResolver(new SourceFileResolver([], BaseDirectory))
        .WithFilePath(filePath)
        .WithFileEncoding(Encoding.UTF8)
        .WithEmitDebugInformation(true)
        .WithOptimizationLevel(OptimizationLevel.Debug)
        .WithAllowUnsafe(true)
        .WithLanguageVersion(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview);

    /// <summary>Reads the default references' metadata now (the kernel's warm-up does it early).</summary>
    internal static void PreloadReferences() => _ = DefaultReferences.Value;

    private static readonly Lazy<MetadataReference[]> DefaultReferences = new(() =>
    {
        // The framework assemblies the runtime itself loaded from (TPA list), so cells can use any
        // BCL namespace without #r. Each is memory-mapped and read on demand (Reference): reading
        // them whole, as MetadataReference.CreateFromFile does, was most of the kernel's start-up
        // CPU outside Roslyn's JIT, for some 170 files of which a cell touches a few.
        string tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var refs = tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.Ordinal))
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.CSharp.dll")
            .Where(IsManaged)
            .Select(Reference)
            .ToList();
        refs.Add(Reference(typeof(ScriptGlobals).Assembly.Location));
        refs.Add(NotebookReferenceResolver.LibraryReference());
        refs.Add(Reference(typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly.Location));
        refs.Add(Reference(typeof(Microsoft.AspNetCore.Html.IHtmlContent).Assembly.Location));
        return refs.ToArray();
    });

    /// <summary>A reference to an assembly file that is mapped, not read: its metadata pages are
    /// loaded when the compiler first needs them (the file stays open for the process).</summary>
    internal static MetadataReference Reference(string path) => AssemblyMetadata.CreateFromFile(path).GetReference(filePath: path);

    /// <summary>True when the file has .NET metadata (reads only its PE headers).</summary>
    private static bool IsManaged(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            return pe.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private ErrorOutput? MissingReference(string code, string cellLabel)
    {
        foreach (Match m in RefDirective().Matches(code))
        {
            string target = m.Groups[1].Value;
            if (NotebookReferenceResolver.IsLibrary(target) || !NotebookReferenceResolver.LooksLikePath(target)) continue;
            string full = _resolver.FullPath(target);
            if (File.Exists(full)) continue;
            int line = code[..m.Index].Count(c => c == '\n') + 1;
            // Relative paths are resolved from the notebook's folder; say so, since a path written
            // relative to the working directory is the usual mistake.
            string msg = $"#r target '{target}' does not exist (looked for {full}; a relative path is resolved from {_resolver.BaseDirectory}). " +
                "Check the path, or build the assembly first: for this repository's projects, 'dotnet build -c Release' in the repository root (./reproduce does this for you).";
            return new ErrorOutput("MissingReference", msg, [$"{cellLabel}, line {line}, column 1: {msg}"]);
        }
        return null;
    }

    private static ErrorOutput CompileError(CompilationErrorException e, string cellLabel)
    {
        var lines = new List<string>();
        foreach (var d in e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            var pos = d.Location.GetLineSpan().StartLinePosition;
            lines.Add($"{cellLabel}, line {pos.Line + 1}, column {pos.Character + 1}: error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        if (lines.Count == 0) lines.Add($"{cellLabel}: {e.Message}");
        return new ErrorOutput("CompilationError", lines[0], lines);
    }

    private static ErrorOutput RuntimeError(Exception e, string cellLabel, string filePath)
    {
        var frame = new StackTrace(e, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => string.Equals(f.GetFileName(), filePath, StringComparison.Ordinal) && f.GetFileLineNumber() > 0);
        string where = frame is null ? cellLabel : $"{cellLabel}, line {frame.GetFileLineNumber()}, column {frame.GetFileColumnNumber()}";
        string ename = e.GetType().Name;
        var tb = new List<string> { $"{ename} in {where}: {e.Message}" };
        string? stack = e.StackTrace;
        if (stack is not null)
        {
            foreach (var l in stack.Split('\n'))
            {
                string t = l.TrimEnd();
                if (t.Length == 0 || HiddenFrames.Any(h => t.Contains(h, StringComparison.Ordinal))) continue;
                tb.Add(t.Replace(filePath, cellLabel, StringComparison.Ordinal));
            }
        }
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            tb.Add($" ---> {inner.GetType().Name}: {inner.Message}");
        return new ErrorOutput(ename, $"{where}: {e.Message}", tb);
    }

    private static readonly string[] HiddenFrames =
    [
        "Microsoft.CodeAnalysis.Scripting", "Reproduce.Cli.Engine", "--- End of stack trace", "System.Runtime.CompilerServices",
        "System.Threading.Tasks", "System.Threading.ExecutionContext",
    ];

    [GeneratedRegex("^\\s*#r\\s+\"([^\"]+)\"", RegexOptions.Multiline)]
    private static partial Regex RefDirective();

    /// <summary>Drops the script state.</summary>
    public void Dispose()
    {
        _state = null;
        _collector = null;
    }
}
