using System.CommandLine;

namespace Reproduce.Cli.Verbs;

/// <summary>A top-level `reproduce` verb. Each paper area adds its own verb class in this folder
/// (e.g. KlpmVerb for `reproduce klpm simulate`); Program discovers every implementation by
/// reflection, so adding a verb never touches Program.cs.
/// Exit codes: 0 success, 1 a failed run or claim, 2 bad usage or input.</summary>
public interface ICliVerb
{
    /// <summary>Builds the System.CommandLine command (with its options, subcommands and action).</summary>
    Command Build();
}
