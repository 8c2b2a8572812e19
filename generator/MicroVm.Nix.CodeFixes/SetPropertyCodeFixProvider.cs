using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MicroVm.Nix.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace MicroVm.Nix.CodeFixes;

/// <summary>
/// The one code fix MicroVm.Nix's diagnostics need: set a property of the record the diagnostic is
/// about to a value the validator chose (<c>AutoCreate = false</c>, an absolute <c>MountPoint</c>, a
/// <c>Serial</c>, <c>Proto = ShareProtocol.Virtiofs</c>, …). The diagnostic carries the property and
/// the C# expression; this provider finds the assignment to replace, or the initializer to add it to.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetPropertyCodeFixProvider)), Shared]
public sealed class SetPropertyCodeFixProvider : CodeFixProvider
{
    /// <summary>
    /// Every MicroVm.Nix diagnostic: which of them carries a fix is decided where it is reported
    /// (<c>DiagnosticInfo.WithFix</c>), so a new fix needs no second list here; a diagnostic without
    /// the fix properties gets no fix.
    /// </summary>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = [.. DiagnosticDescriptors.All.Select(d => d.Id)];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.FixPropertyKey, out var property) || property is null
                || !diagnostic.Properties.TryGetValue(DiagnosticDescriptors.FixValueKey, out var value) || value is null)
            {
                continue;
            }

            // Offered only where the fix is local: the value of the property written here, or a record
            // written here that can take the property. A value that flows in through a helper or a
            // library preset with no such record around it has no local fix.
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Target(node, property, model, context.CancellationToken) is null)
            {
                continue;
            }

            // One key per diagnostic and property, not per value: "Fix all" (the IDE's, dotnet format's) applies the
            // fix of every occurrence with the key of the one it started from, each with its own value.
            var title = diagnostic.Properties.TryGetValue(DiagnosticDescriptors.FixTitleKey, out var t) && t is not null ? t : "Set " + property;
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => SetPropertyAsync(context.Document, node, property, value, ct), equivalenceKey: diagnostic.Id + ":" + property),
                diagnostic);
        }
    }

    /// <summary>
    /// What the fix edits: the value of <c>property = …</c> the diagnostic is on (to replace), or the
    /// initializer of the nearest record creation or <c>with</c> whose type has the property (to set it there).
    /// </summary>
    private static SyntaxNode? Target(SyntaxNode node, string property, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var candidate in node.AncestorsAndSelf().OfType<ExpressionSyntax>())
        {
            if (candidate.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } assignment
                && assignment.Right == candidate
                && name.Identifier.ValueText == property)
            {
                return candidate;
            }
        }

        foreach (var candidate in node.AncestorsAndSelf())
        {
            var (type, initializer) = candidate switch
            {
                BaseObjectCreationExpressionSyntax creation => (model.GetTypeInfo(creation, cancellationToken).Type, creation.Initializer),
                WithExpressionSyntax with => (model.GetTypeInfo(with, cancellationToken).Type, with.Initializer),
                _ => ((ITypeSymbol?)null, (InitializerExpressionSyntax?)null),
            };
            if (type is not null && type.GetMembers(property).OfType<IPropertySymbol>().Any())
            {
                return initializer;
            }
        }

        return null;
    }

    private static async Task<Document> SetPropertyAsync(Document document, SyntaxNode node, string property, string value, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var newValue = SyntaxFactory.ParseExpression(value).WithAdditionalAnnotations(Simplifier.Annotation);
        switch (Target(node, property, model, cancellationToken))
        {
            case InitializerExpressionSyntax initializer:
                var existing = initializer.Expressions.OfType<AssignmentExpressionSyntax>()
                    .FirstOrDefault(a => a.Left is IdentifierNameSyntax n && n.Identifier.ValueText == property);
                if (existing is not null)
                {
                    return document.WithSyntaxRoot(root.ReplaceNode(existing.Right, newValue.WithTriviaFrom(existing.Right)));
                }

                var assignment = SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(property), newValue);
                return document.WithSyntaxRoot(root.ReplaceNode(initializer, AddAssignment(initializer, assignment)));
            case ExpressionSyntax written:
                return document.WithSyntaxRoot(root.ReplaceNode(written, newValue.WithTriviaFrom(written)));
            default:
                return document;
        }
    }

    /// <summary>Adds an assignment to an initializer, on its own line when the initializer spans lines.</summary>
    private static InitializerExpressionSyntax AddAssignment(InitializerExpressionSyntax initializer, AssignmentExpressionSyntax assignment)
    {
        var expressions = initializer.Expressions;
        var multiline = initializer.OpenBraceToken.GetLocation().GetLineSpan().StartLinePosition.Line
            != initializer.CloseBraceToken.GetLocation().GetLineSpan().StartLinePosition.Line;
        if (!multiline || expressions.Count == 0)
        {
            var separators = expressions.GetSeparators().ToList();
            var items = expressions.ToList();
            if (items.Count > 0 && separators.Count < items.Count)
            {
                separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
            }

            items.Add(assignment.WithTrailingTrivia(SyntaxFactory.Space));
            var list = SyntaxFactory.SeparatedList(items, separators);
            return initializer.WithExpressions(items.Count == 1 ? SyntaxFactory.SeparatedList(items) : list);
        }

        // Multi-line: copy the indentation of the last element and keep a trailing comma.
        var last = expressions[expressions.Count - 1];
        var indentation = last.GetLeadingTrivia();
        var eol = initializer.SyntaxTree.GetText().ToString().Contains("\r\n") ? SyntaxFactory.CarriageReturnLineFeed : SyntaxFactory.LineFeed;
        var nodes = expressions.ToList();
        var commas = expressions.GetSeparators().ToList();
        if (commas.Count < nodes.Count)
        {
            // No trailing comma: add one after the last element, moving its end-of-line trivia after it.
            nodes[nodes.Count - 1] = last.WithoutTrailingTrivia();
            commas.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(last.GetTrailingTrivia()));
        }

        nodes.Add(assignment.WithLeadingTrivia(indentation));
        commas.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(eol));
        return initializer.WithExpressions(SyntaxFactory.SeparatedList(nodes, commas));
    }
}
