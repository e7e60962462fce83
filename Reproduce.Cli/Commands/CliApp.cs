using System.CommandLine;
using System.Reflection;
using Reproduce.Cli.Verbs;

namespace Reproduce.Cli.Commands;

/// <summary>Builds the <c>reproduce</c> command line (built-in commands plus every
/// <see cref="ICliVerb"/> found by reflection) and runs it. Tests call <see cref="Run"/> in-process.
/// Exit codes: 0 ok, 1 a failed cell or claim, 2 bad usage or input.</summary>
public static class CliApp
{
    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0 && !IsHelpRequest(args))
        {
            foreach (var e in parse.Errors) error.WriteLine("error: " + e.Message);
            error.WriteLine("Run 'reproduce --help' (or 'reproduce <command> --help') for usage.");
            return ExitCodes.BadInput;
        }
        try
        {
            return parse.Invoke(config);
        }
        catch (UsageException e)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.BadInput;
        }
    }

    private static bool IsHelpRequest(string[] args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "reproduce: regenerate the figures of the Reproduce papers from their notebooks and check each figure's claims.\n" +
            "Typical use: 'reproduce run' (all notebooks, smoke scale), 'reproduce run --scale paper', 'reproduce list'.");
        foreach (var o in root.Options.Where(o => o.Name == "--version").ToList()) root.Options.Remove(o);
        var version = new Option<bool>("--version") { Description = "Show library, runtime, device and backend versions, and the git commit." };
        root.Add(version);
        root.SetAction(parse =>
        {
            if (parse.GetValue(version))
            {
                output.Write(VersionInfo.Text());
                return ExitCodes.Ok;
            }
            error.WriteLine("error: no command given. Commands: run, list, figure, export (and paper verbs). Run 'reproduce --help'.");
            return ExitCodes.BadInput;
        });

        root.Add(RunCommand.Build(output, error));
        root.Add(ListCommand.Build(output));
        root.Add(FigureCommand.Build(output, error));
        root.Add(ExportCommand.Build(output, error));
        foreach (var verb in DiscoverVerbs())
        {
            var cmd = verb.Build();
            if (root.Subcommands.Any(c => c.Name == cmd.Name))
                throw new InvalidOperationException($"Verb {verb.GetType().Name} builds command '{cmd.Name}', which already exists.");
            root.Add(cmd);
        }
        return root;
    }

    /// <summary>Every non-abstract <see cref="ICliVerb"/> with a public parameterless constructor in this assembly.</summary>
    public static IReadOnlyList<ICliVerb> DiscoverVerbs() =>
        typeof(ICliVerb).Assembly.GetTypes()
            .Where(t => typeof(ICliVerb).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (ICliVerb)Activator.CreateInstance(t)!)
            .ToArray();

    internal static string LibraryVersion =>
        typeof(Reproduce.Figures.Figure).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Reproduce.Figures.Figure).Assembly.GetName().Version?.ToString() ?? "unknown";
}
