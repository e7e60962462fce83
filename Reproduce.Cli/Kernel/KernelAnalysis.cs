using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Reproduce.Cli.Kernel;

/// <summary>Roslyn-backed answers to is_complete, complete and inspect requests. Completion and
/// inspection compile the fragment as the next cell of the running session (so variables from
/// earlier cells and <c>#r</c> references are known) and ask the semantic model. Cursor positions
/// on the wire count Unicode code points (protocol 5.2+); Roslyn counts UTF-16 units.</summary>
internal sealed class KernelAnalysis(Func<IKernelExecutor> executor)
{
    private static readonly CSharpParseOptions Script =
        new(LanguageVersion.Preview, DocumentationMode.None, SourceCodeKind.Script);

    private static readonly SymbolDisplayFormat Signature = SymbolDisplayFormat.MinimallyQualifiedFormat
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType |
                           SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeModifiers)
        .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName |
                              SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeParamsRefOut);

    /// <summary>is_complete_reply content: "complete", "incomplete" (with an indent) or "invalid".</summary>
    public static JsonObject IsComplete(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, Script);
        var errors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        // More text can only fix errors found at the end of the code (a missing '}' or ')' or an
        // unterminated string); an error before the end (`x = )`) stays whatever follows.
        int end = code.TrimEnd().Length;
        var root = tree.GetRoot();
        bool errorBeforeEnd = errors.Any(d => !FixableByMoreText(root, d.Location.SourceSpan.Start, end));
        if (!errorBeforeEnd && !SyntaxFactory.IsCompleteSubmission(tree))
            return new JsonObject { ["status"] = "incomplete", ["indent"] = "    " };
        return new JsonObject { ["status"] = errors.Count > 0 ? "invalid" : "complete" };
    }

    /// <summary>True when an error at <paramref name="position"/> may go away once more text is
    /// typed: it is at the end, or inside a multi-line string or comment that runs to the end.</summary>
    private static bool FixableByMoreText(SyntaxNode root, int position, int end)
    {
        if (position >= end) return true;
        var token = root.FindToken(position, findInsideTrivia: true);
        if (token.Span.End >= end && IsStringToken(token)) return true;
        // An interpolated string is a node of several tokens; its start token says whether it may span lines.
        if (token.Parent?.AncestorsAndSelf().OfType<InterpolatedStringExpressionSyntax>().FirstOrDefault() is { } s
            && s.Span.End >= end && IsStringToken(s.StringStartToken)) return true;
        var trivia = root.FindTrivia(position);
        return trivia.IsKind(SyntaxKind.MultiLineCommentTrivia) && trivia.Span.End >= end;
    }

    /// <summary>Tokens that may span lines (verbatim and raw strings): a regular string cannot be
    /// closed on a later line, so an unterminated one is invalid, as in IPython.</summary>
    private static bool IsStringToken(SyntaxToken t) =>
        t.Kind() switch
        {
            SyntaxKind.MultiLineRawStringLiteralToken or SyntaxKind.InterpolatedMultiLineRawStringStartToken
                or SyntaxKind.InterpolatedVerbatimStringStartToken => true,
            SyntaxKind.StringLiteralToken => t.Text.StartsWith('@'),
            _ => false,
        };

    /// <summary>complete_reply content: symbols in scope (or members after a dot) starting with the word at the cursor.</summary>
    public JsonObject Complete(string code, int cursorPos)
    {
        int cursor = CodePoints.ToUtf16(code, cursorPos);
        int start = cursor;
        while (start > 0 && (char.IsLetterOrDigit(code[start - 1]) || code[start - 1] == '_')) start--;
        string prefix = code[start..cursor];
        var matches = new List<(string Name, string Kind)>();
        var compilation = executor().CompileForAnalysis(code);
        if (compilation is not null)
        {
            var tree = compilation.SyntaxTrees.Last();
            var model = compilation.GetSemanticModel(tree);
            foreach (var s in Candidates(model, tree, start))
            {
                if (!s.CanBeReferencedByName || !s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
                matches.Add((s.Name, KindOf(s)));
            }
        }
        var ordered = matches.DistinctBy(m => m.Name)
            .OrderBy(m => m.Name.StartsWith(prefix, StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(m => m.Name, StringComparer.OrdinalIgnoreCase)
            .Take(1000).ToList();
        int startCp = CodePoints.FromUtf16(code, start), endCp = CodePoints.FromUtf16(code, cursor);
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray(ordered.Select(m => (JsonNode?)JsonValue.Create(m.Name)).ToArray()),
            ["cursor_start"] = startCp,
            ["cursor_end"] = endCp,
            ["metadata"] = new JsonObject
            {
                ["_jupyter_types_experimental"] = new JsonArray(ordered.Select(m => (JsonNode?)new JsonObject
                {
                    ["start"] = startCp, ["end"] = endCp, ["text"] = m.Name, ["type"] = m.Kind,
                }).ToArray()),
            },
        };
    }

    /// <summary>inspect_reply content: signature and XML-doc summary of the symbol at the cursor.</summary>
    public JsonObject Inspect(string code, int cursorPos)
    {
        var reply = new JsonObject { ["status"] = "ok", ["found"] = false, ["data"] = new JsonObject(), ["metadata"] = new JsonObject() };
        int cursor = CodePoints.ToUtf16(code, cursorPos);
        var compilation = executor().CompileForAnalysis(code);
        if (compilation is null) return reply;
        var tree = compilation.SyntaxTrees.Last();
        var model = compilation.GetSemanticModel(tree);
        var symbol = SymbolAt(model, tree, cursor) ?? (cursor > 0 ? SymbolAt(model, tree, cursor - 1) : null);
        if (symbol is null) return reply;
        string signature = symbol.ToDisplayString(Signature);
        string? summary = XmlDocs.Summary(symbol, compilation);
        string text = summary is null ? signature : signature + "\n\n" + summary;
        reply["found"] = true;
        reply["data"] = new JsonObject
        {
            ["text/plain"] = text,
            ["text/markdown"] = "```csharp\n" + signature + "\n```" + (summary is null ? "" : "\n\n" + summary),
        };
        return reply;
    }

    private static ISymbol? SymbolAt(SemanticModel model, SyntaxTree tree, int position)
    {
        var token = tree.GetRoot().FindToken(Math.Min(position, Math.Max(0, tree.Length - 1)));
        if (!token.IsKind(SyntaxKind.IdentifierToken) || token.Parent is null) return null;
        var node = token.Parent;
        var info = model.GetSymbolInfo(node);
        var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault() ?? model.GetDeclaredSymbol(node)
            ?? model.GetTypeInfo(node).Type;
        // An unknown name binds to an error type named after itself: that is "not found".
        return symbol is ITypeSymbol { TypeKind: TypeKind.Error } ? null : symbol;
    }

    private static IEnumerable<ISymbol> Candidates(SemanticModel model, SyntaxTree tree, int start)
    {
        int p = start - 1;
        var text = tree.GetText().ToString();
        while (p >= 0 && char.IsWhiteSpace(text[p])) p--;
        if (p >= 0 && text[p] == '.')
        {
            var dot = tree.GetRoot().FindToken(p);
            switch (dot.Parent)
            {
                case MemberAccessExpressionSyntax ma:
                    return Members(model, ma.Expression, start);
                case QualifiedNameSyntax qn:
                    return Members(model, qn.Left, start);
                case MemberBindingExpressionSyntax mb when mb.Parent?.Parent is ConditionalAccessExpressionSyntax ca:
                    return Members(model, ca.Expression, start);
                default:
                    return [];
            }
        }
        return model.LookupSymbols(start);
    }

    private static IEnumerable<ISymbol> Members(SemanticModel model, ExpressionSyntax left, int position)
    {
        var symbol = model.GetSymbolInfo(left).Symbol;
        if (symbol is INamespaceSymbol ns) return model.LookupSymbols(position, ns);
        if (symbol is ITypeSymbol staticType) return model.LookupStaticMembers(position, staticType);
        var type = model.GetTypeInfo(left).Type;
        if (type is null || type.TypeKind == TypeKind.Error) return [];
        return model.LookupSymbols(position, type, includeReducedExtensionMethods: true).Where(s => !s.IsStatic || s is IMethodSymbol { MethodKind: MethodKind.ReducedExtension });
    }

    private static string KindOf(ISymbol s) => s switch
    {
        IMethodSymbol => "method",
        IPropertySymbol => "property",
        IFieldSymbol f => f.IsConst ? "constant" : "field",
        IEventSymbol => "event",
        ILocalSymbol => "variable",
        IParameterSymbol => "parameter",
        INamespaceSymbol => "module",
        INamedTypeSymbol t => t.TypeKind switch
        {
            TypeKind.Interface => "interface",
            TypeKind.Enum => "enum",
            TypeKind.Struct => "struct",
            _ => "class",
        },
        _ => "keyword",
    };
}
