using System.Reflection;

namespace Reproduce.Experiments;

/// <summary>Finds every <see cref="ExperimentAttribute"/> method in the library.</summary>
public static class ExperimentRegistry
{
    /// <summary>One registered experiment.</summary>
    public sealed record Entry(string Id, string Title, MethodInfo Method)
    {
        /// <summary>Runs the experiment.</summary>
        public FigureResult Run(RunContext ctx)
        {
            try
            {
                return (FigureResult)Method.Invoke(null, [ctx])!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }
    }

    private static readonly Lazy<IReadOnlyList<Entry>> Entries = new(Discover);

    /// <summary>All experiments, sorted by id.</summary>
    public static IReadOnlyList<Entry> All => Entries.Value;

    /// <summary>Looks up an id; unknown ids get an error listing close matches.</summary>
    public static Entry Find(string id)
    {
        var hit = All.FirstOrDefault(e => string.Equals(e.Id, id, StringComparison.OrdinalIgnoreCase));
        if (hit is not null) return hit;
        string prefix = id.Split('/')[0];
        var near = All.Where(e => e.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Select(e => e.Id).ToArray();
        string hint = near.Length > 0 ? " Figures of that paper: " + string.Join(", ", near) + "." : " Run 'reproduce list' to see every figure id.";
        throw new KeyNotFoundException($"Unknown figure id '{id}'.{hint}");
    }

    private static IReadOnlyList<Entry> Discover()
    {
        var list = new List<Entry>();
        foreach (var type in typeof(ExperimentRegistry).Assembly.GetTypes())
        {
            foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            {
                var a = m.GetCustomAttribute<ExperimentAttribute>();
                if (a is null) continue;
                var ps = m.GetParameters();
                if (ps.Length != 1 || ps[0].ParameterType != typeof(RunContext) || m.ReturnType != typeof(FigureResult))
                    throw new InvalidOperationException($"{type.Name}.{m.Name} is marked [Experiment] but is not 'static FigureResult {m.Name}(RunContext ctx)'.");
                list.Add(new Entry(a.Id, a.Title, m));
            }
        }
        var dup = list.GroupBy(e => e.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new InvalidOperationException($"Figure id '{dup.Key}' is registered twice.");
        return list.OrderBy(e => e.Id, StringComparer.Ordinal).ToArray();
    }
}
