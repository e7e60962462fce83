namespace Reproduce.Experiments;

/// <summary>Marks a static method <c>FigureResult M(RunContext ctx)</c> as the experiment that
/// regenerates figure <see cref="Id"/> ("&lt;paper&gt;/&lt;figure&gt;"), so that
/// <c>reproduce figure ID</c> and <c>reproduce list</c> find it.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ExperimentAttribute(string id, string title) : Attribute
{
    /// <summary>Stable figure id.</summary>
    public string Id { get; } = id;

    /// <summary>One-line description.</summary>
    public string Title { get; } = title;
}
