using Reproduce.Figures;

namespace Reproduce.Experiments;

/// <summary>What an experiment method returns: the tidy data, the figure built from it, and the
/// claims it checked, and the verdict written from the measured numbers. Notebooks display it; the
/// runner exports it to figures/&lt;paper&gt;/.</summary>
public sealed class FigureResult
{
    /// <summary>Creates a result; the figure's id is the result's id.</summary>
    public FigureResult(Figure figure, Table data, IEnumerable<Claim> claims, string? notes = null, Verdict? verdict = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        // Validate now, inside the experiment, so a figure that cannot be drawn fails the cell that
        // built it (naming figure, trace and axis) instead of surfacing later when it is displayed.
        figure.ToPlotlyJson();
        Figure = figure;
        Data = data;
        Claims = claims.ToArray();
        Notes = notes;
        Verdict = verdict;
    }

    /// <summary>Stable id "&lt;paper&gt;/&lt;figure&gt;".</summary>
    public string Id => Figure.Id;

    /// <summary>The figure.</summary>
    public Figure Figure { get; }

    /// <summary>The tidy data behind the figure (one row per plotted point or bar).</summary>
    public Table Data { get; }

    /// <summary>Claims the experiment checked.</summary>
    public IReadOnlyList<Claim> Claims { get; }

    /// <summary>Free text: choices made where the paper is silent, measured summary numbers.</summary>
    public string? Notes { get; }

    /// <summary>What the paper says, what was measured, and reproduced / partly / not reproduced;
    /// built by the experiment from this run's numbers.</summary>
    public Verdict? Verdict { get; }

    /// <summary>True when every claim passed.</summary>
    public bool AllPass => Claims.All(c => c.Pass);
}
