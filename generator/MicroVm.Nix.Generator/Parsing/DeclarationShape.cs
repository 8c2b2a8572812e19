using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroVm.Nix.Generator.Parsing;

/// <summary>
/// What of a file can change how other files bind: its tokens without method, accessor and property
/// bodies and without the initializers of fields and properties that are not constants. Usings,
/// types, member signatures, attributes, constants, enum values and parameter defaults stay. Two
/// versions of a file with the same shape bind every other file the same way; what a VM reads from
/// the bodies and initializers (presets, helpers) is tracked member by member instead.
/// </summary>
internal static class DeclarationShape
{
    private static readonly ConditionalWeakTable<SyntaxTree, string> Shapes = new();

    public static string Of(SyntaxTree tree) => Shapes.GetValue(tree, static t =>
    {
        var text = new StringBuilder();
        Append(t.GetRoot(), text);
        return text.ToString();
    });

    private static void Append(SyntaxNode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodesAndTokens())
        {
            if (child.AsNode() is { } inner)
            {
                if (!IsBody(inner))
                {
                    Append(inner, text);
                }
            }
            else
            {
                text.Append(child.AsToken().Text).Append(' ');
            }
        }
    }

    private static bool IsBody(SyntaxNode node) => node switch
    {
        BlockSyntax or ArrowExpressionClauseSyntax => true,
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field } } => !field.Modifiers.Any(SyntaxKind.ConstKeyword),
        EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax } => true,
        _ => false,
    };
}
