using Reproduce.Experiments;
using Xunit;

namespace Reproduce.Tests.Experiments;

public class VerdictTests
{
    [Theory]
    [InlineData(true, false, ReproductionStatus.Reproduced, "reproduced")]
    [InlineData(true, true, ReproductionStatus.Reproduced, "reproduced")]
    [InlineData(false, true, ReproductionStatus.Partly, "partly reproduced")]
    [InlineData(false, false, ReproductionStatus.NotReproduced, "not reproduced")]
    public void JudgeMapsTheMeasuredFlagsToAStatus(bool reproduced, bool partly, ReproductionStatus status, string label)
    {
        var v = Verdict.Judge("the paper says x", "we measured y", reproduced, partly);
        Assert.Equal(status, v.Status);
        Assert.Equal(label, v.Label);
        Assert.StartsWith($"**Verdict: {label}.**", v.ToMarkdown());
        Assert.Contains("we measured y", v.ToString());
    }

    [Fact]
    public void DemonstrationSaysProposedNotPaper()
    {
        var v = Verdict.Demonstrate("the brief proposes z", "we measured w");
        Assert.Equal("demonstration", v.Label);
        Assert.Contains("*Proposed:*", v.ToMarkdown());
    }

    [Fact]
    public void HtmlIsEncoded()
    {
        var v = Verdict.Judge("a < b", "c & d", reproduced: true);
        Assert.Contains("a &lt; b", v.ToHtml());
        Assert.Contains("c &amp; d", v.ToHtml());
    }

    [Theory]
    [InlineData("", "m")]
    [InlineData("p", " ")]
    public void EmptyTextIsRejected(string paper, string measured) =>
        Assert.Throws<ArgumentException>(() => Verdict.Judge(paper, measured, reproduced: true));
}
