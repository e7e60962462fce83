using System.Globalization;
using System.Net;

namespace Reproduce.Experiments;

/// <summary>A figure's verdict, written by the run from its measured numbers: what the paper
/// says, what this run measured, and whether that reproduces the paper. Notebooks show it under
/// the figure, so no measured number is ever typed by hand into a markdown cell.</summary>
public sealed record Verdict(ReproductionStatus Status, string PaperSays, string Measured)
{
    /// <summary>Judges a result: reproduced when <paramref name="reproduced"/>, partly when only
    /// <paramref name="partly"/> holds, else not reproduced. Both flags come from measured numbers.</summary>
    public static Verdict Judge(string paperSays, string measured, bool reproduced, bool partly = false)
    {
        Check(paperSays, measured);
        var status = reproduced ? ReproductionStatus.Reproduced : partly ? ReproductionStatus.Partly : ReproductionStatus.NotReproduced;
        return new Verdict(status, paperSays, measured);
    }

    /// <summary>A verdict for a figure the paper does not have (a demonstration the brief proposes);
    /// <paramref name="proposal"/> says what the figure is meant to show.</summary>
    public static Verdict Demonstrate(string proposal, string measured)
    {
        Check(proposal, measured);
        return new Verdict(ReproductionStatus.Demonstration, proposal, measured);
    }

    /// <summary>Lower-case label: "reproduced", "partly reproduced", "not reproduced", "demonstration".</summary>
    public string Label => Status switch
    {
        ReproductionStatus.Reproduced => "reproduced",
        ReproductionStatus.Partly => "partly reproduced",
        ReproductionStatus.NotReproduced => "not reproduced",
        _ => "demonstration",
    };

    private string PaperLabel => Status == ReproductionStatus.Demonstration ? "Proposed" : "Paper";

    /// <summary>One markdown paragraph.</summary>
    public string ToMarkdown() =>
        $"**Verdict: {Label}.** *{PaperLabel}:* {PaperSays} *Measured:* {Measured}";

    /// <summary>One HTML paragraph (text encoded).</summary>
    public string ToHtml()
    {
        string colour = Status switch
        {
            ReproductionStatus.Reproduced => "#1a7f37",
            ReproductionStatus.Partly => "#9a6700",
            ReproductionStatus.NotReproduced => "#b00",
            _ => "#555",
        };
        return $"<p><b style=\"color:{colour}\">Verdict: {WebUtility.HtmlEncode(Label)}.</b> " +
               $"<i>{PaperLabel}:</i> {WebUtility.HtmlEncode(PaperSays)} <i>Measured:</i> {WebUtility.HtmlEncode(Measured)}</p>";
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"verdict: {Label}. {PaperLabel}: {PaperSays} Measured: {Measured}");

    private static void Check(string paperSays, string measured)
    {
        if (string.IsNullOrWhiteSpace(paperSays)) throw new ArgumentException("A verdict needs the paper's statement (what is being reproduced).", nameof(paperSays));
        if (string.IsNullOrWhiteSpace(measured)) throw new ArgumentException("A verdict needs the measured numbers it is built from.", nameof(measured));
    }
}
