namespace Reproduce.Cli.Commands;

/// <summary>Process exit codes of every verb.</summary>
public static class ExitCodes
{
    /// <summary>Everything ran and every claim held.</summary>
    public const int Ok = 0;

    /// <summary>A cell failed or a claim did not hold.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or input (unknown option value, malformed notebook, unwritable folder).</summary>
    public const int BadInput = 2;
}
