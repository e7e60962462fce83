using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Reproduce.Cli.Kernel;

/// <summary>Makes a cell's loops interruptible: every <c>while</c>, <c>do</c>, <c>for</c> and
/// <c>foreach</c> body (including those in lambdas and local functions), and every <c>goto</c>
/// (so a loop built from labels, <c>l: goto l;</c>, stops too), starts with a check of the
/// cell's interrupt flag that throws <see cref="OperationCanceledException"/>. The flag is an
/// <see cref="AppContext"/> entry, so the cell needs no extra reference. The check is inserted on
/// the same line, so line numbers in errors stay those of the cell as written.</summary>
internal static class InterruptibleCode
{
    private static readonly CSharpParseOptions Script =
        new(LanguageVersion.Preview, DocumentationMode.None, SourceCodeKind.Script);

    /// <summary>A fresh flag name for one cell.</summary>
    public static string NewFlag() => "Reproduce.Kernel.Interrupt." + Guid.NewGuid().ToString("N");

    /// <summary>Raises the flag (the cell's loops then throw at their next iteration).</summary>
    public static void Raise(string flag) => AppContext.SetData(flag, "interrupted");

    /// <summary>The cell with interrupt checks in its loops; the code unchanged when it does not parse.</summary>
    public static string Rewrite(string code, string flag)
    {
        // Magic lines (#!time, ...) are not C#: rewrite the code below them and keep them as they are.
        var magics = Reproduce.Cli.Engine.CellMagics.Parse(code);
        if (magics.Magics.Count > 0)
        {
            if (magics.Has("#!markdown")) return code;
            var original = code.Split('\n');
            var rewritten = Rewrite(magics.Code, flag).Split('\n');
            if (rewritten.Length != original.Length) return code;
            for (int i = 0; i < original.Length && original[i].TrimStart().StartsWith("#!", StringComparison.Ordinal) | original[i].Trim().Length == 0; i++)
                rewritten[i] = original[i];
            return string.Join('\n', rewritten);
        }
        var tree = CSharpSyntaxTree.ParseText(code, Script);
        if (tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)) return code;
        var check = SyntaxFactory.ParseStatement(
            $"if (global::System.AppContext.GetData(\"{flag}\") is not null) throw new global::System.OperationCanceledException(\"The cell was interrupted.\"); ");
        var root = new LoopRewriter(check).Visit(tree.GetRoot());
        return root.ToFullString();
    }

    private sealed class LoopRewriter(StatementSyntax check) : CSharpSyntaxRewriter
    {
        private StatementSyntax Guard(StatementSyntax body)
        {
            if (body is BlockSyntax block)
                return block.WithStatements(block.Statements.Insert(0, check));
            // Keep the body's trivia outside the new braces so the line layout is unchanged.
            var inner = body.WithoutLeadingTrivia().WithoutTrailingTrivia();
            return SyntaxFactory.Block(check, inner)
                .WithOpenBraceToken(SyntaxFactory.Token(SyntaxKind.OpenBraceToken))
                .WithCloseBraceToken(SyntaxFactory.Token(SyntaxKind.CloseBraceToken))
                .WithLeadingTrivia(body.GetLeadingTrivia())
                .WithTrailingTrivia(body.GetTrailingTrivia());
        }

        public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
        {
            var n = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
            return n.WithStatement(Guard(n.Statement));
        }

        public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
        {
            var n = (DoStatementSyntax)base.VisitDoStatement(node)!;
            return n.WithStatement(Guard(n.Statement));
        }

        public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
        {
            var n = (ForStatementSyntax)base.VisitForStatement(node)!;
            return n.WithStatement(Guard(n.Statement));
        }

        public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
        {
            var n = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
            return n.WithStatement(Guard(n.Statement));
        }

        public override SyntaxNode? VisitGotoStatement(GotoStatementSyntax node)
        {
            // goto, goto case and goto default: { check; goto ...; } keeps the jump's meaning.
            var n = (GotoStatementSyntax)base.VisitGotoStatement(node)!;
            return Guard(SyntaxFactory.Block(n.WithoutLeadingTrivia().WithoutTrailingTrivia())
                .WithLeadingTrivia(n.GetLeadingTrivia()).WithTrailingTrivia(n.GetTrailingTrivia()));
        }

        public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
        {
            var n = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
            return n.WithStatement(Guard(n.Statement));
        }
    }
}
