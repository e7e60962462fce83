// Added to the scratch copy's test project by tools/mutate/mutate.py (--runner inproc) only; never
// compiled in the repository. A minimal xunit-v2-compatible runner: one process per mutant runs the
// [Fact]/[Theory] methods whose fully qualified name matches a vstest-style filter, so a mutant costs
// one process start instead of MSBuild + vstest + discovery (the shared 2-core machine is the limit).
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Reproduce.Tests;

internal static class MutantRunnerProgram
{
    private sealed class NullOutput : ITestOutputHelper
    {
        public void WriteLine(string message) { }
        public void WriteLine(string format, params object[] args) { }
    }

    public static int Main(string[] args)
    {
        if (args.Length < 1 || args.Length > 2 || (args.Length == 2 && args[1] != "--fail-fast"))
        {
            Console.Error.WriteLine("usage: Reproduce.Tests.dll FILTER [--fail-fast]   (vstest syntax: a~b&c!~d|e=f)");
            return 2;
        }
        bool failFast = args.Length == 2; // a mutant is killed by its first failing test; the rest need not run
        var output = Console.Out; // tests may redirect Console.Out; report through the original writer
        int passed = 0, failed = 0, skipped = 0;
        var fixtures = new Dictionary<Type, object>();
        var types = typeof(MutantRunnerProgram).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && (t.IsPublic || t.IsNestedPublic))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .OrderBy(m => m.MetadataToken);
            foreach (var m in methods)
            {
                var fact = m.GetCustomAttribute<FactAttribute>(true);
                if (fact is null) continue;
                string name = (type.FullName ?? type.Name).Replace('+', '.') + "." + m.Name;
                if (!Matches(args[0], name)) continue;
                if (fact.Skip is not null) { skipped++; continue; }
                List<object?[]> rows;
                try
                {
                    rows = fact is TheoryAttribute
                        ? m.GetCustomAttributes<DataAttribute>(true).SelectMany(d => d.GetData(m)).Select(r => (object?[])r).ToList()
                        : [[]];
                }
                catch (Exception e)
                {
                    failed++;
                    output.WriteLine($"  Failed {name} [data: {Message(e)}]");
                    continue;
                }
                foreach (var row in rows)
                {
                    try
                    {
                        Invoke(type, m, row, fixtures);
                        passed++;
                    }
                    catch (Exception e)
                    {
                        failed++;
                        output.WriteLine($"  Failed {name} [{Message(e)}]");
                        if (failFast)
                        {
                            output.Flush();
                            return 1;
                        }
                    }
                }
            }
        }
        output.WriteLine($"runner: passed {passed}, failed {failed}, skipped {skipped}");
        output.Flush();
        return failed > 0 ? 1 : passed == 0 ? 3 : 0;
    }

    private static void Invoke(Type type, MethodInfo m, object?[] row, Dictionary<Type, object> fixtures)
    {
        object? instance = null;
        if (!m.IsStatic)
        {
            var ctor = type.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
            var ps = ctor.GetParameters().Select(p => p.ParameterType == typeof(ITestOutputHelper)
                ? new NullOutput()
                : fixtures.TryGetValue(p.ParameterType, out var f) ? f : fixtures[p.ParameterType] = Activator.CreateInstance(p.ParameterType)!).ToArray();
            instance = ctor.Invoke(ps);
        }
        try
        {
            var types = m.GetParameters().Select(p => p.ParameterType).ToArray();
            var converted = Reflector.ConvertArguments(row, types);
            object? result;
            try { result = m.Invoke(instance, converted); }
            catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
            if (result is Task t) t.GetAwaiter().GetResult();
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    private static string Message(Exception e)
    {
        string s = e.GetType().Name + ": " + e.Message;
        s = s.Replace('\n', ' ').Replace('\r', ' ');
        return s.Length > 300 ? s[..300] : s;
    }

    // vstest filter subset: terms joined by '|' (or) of '&' (and) groups; Property~v, !~, =, !=.
    private static bool Matches(string filter, string fqn) =>
        filter.Split('|').Any(group => group.Split('&').All(term => Term(term.Trim(), fqn)));

    private static bool Term(string term, string fqn)
    {
        foreach (var (op, f) in new (string, Func<string, string, bool>)[]
                 {
                     ("!~", (a, b) => !a.Contains(b, StringComparison.OrdinalIgnoreCase)),
                     ("!=", (a, b) => !a.Equals(b, StringComparison.OrdinalIgnoreCase)),
                     ("~", (a, b) => a.Contains(b, StringComparison.OrdinalIgnoreCase)),
                     ("=", (a, b) => a.Equals(b, StringComparison.OrdinalIgnoreCase)),
                 })
        {
            int i = term.IndexOf(op, StringComparison.Ordinal);
            if (i < 0) continue;
            string prop = term[..i].Trim(), value = term[(i + op.Length)..].Trim();
            string subject = prop switch
            {
                "FullyQualifiedName" => fqn,
                "Name" => fqn[(fqn.LastIndexOf('.') + 1)..],
                _ => throw new ArgumentException($"filter property '{prop}' is not supported by the mutant runner (use FullyQualifiedName or Name)"),
            };
            return f(subject, value);
        }
        throw new ArgumentException($"filter term '{term}' has no operator (~, !~, =, !=)");
    }
}
