using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Parsing;
using MicroVm.Nix.Generator.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MicroVm.Nix.Generator.Library;

/// <summary>
/// Which members of a project its library description carries (<see cref="LibraryFormat"/>): every
/// public static preset (a <c>static readonly</c> field or get-only property with a value) and helper
/// (a method of one expression) whose type the generator can evaluate — MicroVm.Nix's records and
/// enums, strings, numbers, bools, enums, lists and <c>string</c>-keyed dictionaries of them —
/// outside <c>[MicroVmModule]</c> members, together with every member of the project they use.
/// </summary>
internal static class LibraryMembers
{
    /// <summary>A cheap syntactic filter: a <c>public static</c> field, property or method.</summary>
    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) => node switch
    {
        FieldDeclarationSyntax field => IsPublicStatic(field.Modifiers) && !field.Modifiers.Any(SyntaxKind.ConstKeyword),
        PropertyDeclarationSyntax property => IsPublicStatic(property.Modifiers),
        MethodDeclarationSyntax method => IsPublicStatic(method.Modifiers) && method.TypeParameterList is null,
        _ => false,
    };

    private static bool IsPublicStatic(SyntaxTokenList modifiers) =>
        modifiers.Any(SyntaxKind.PublicKeyword) && modifiers.Any(SyntaxKind.StaticKeyword);

    /// <summary>The described members a declaration contributes: itself (if it qualifies) and what it uses.</summary>
    public static EquatableArray<IrMember> Describe(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var symbols = context.Node is FieldDeclarationSyntax field
            ? field.Declaration.Variables.Select(v => context.SemanticModel.GetDeclaredSymbol(v, cancellationToken)).ToList()
            : [context.SemanticModel.GetDeclaredSymbol(context.Node, cancellationToken)];
        var compilation = context.SemanticModel.Compilation;
        var table = SymbolTable.For(compilation);
        var described = new List<IrMember>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            if (symbol is null || !Qualifies(symbol))
            {
                continue;
            }

            var root = Member(symbol, table.Read(symbol, cancellationToken, out var problem), problem);
            if (!seen.Add(root.Key))
            {
                continue;
            }

            // The member and, transitively, every member of this assembly it refers to.
            var pending = new Stack<IrMember>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var member = pending.Pop();
                described.Add(member);
                foreach (var key in References(member.Body).Where(k => IrKeys.Assembly(k) == compilation.AssemblyName && seen.Add(k)))
                {
                    var used = table.Find(key, cancellationToken, out var usedProblem);
                    if (table.SymbolOf(key) is { } usedSymbol)
                    {
                        pending.Push(Member(usedSymbol, used, usedProblem));
                    }
                }
            }
        }

        return described.ToEquatableArray();
    }

    /// <summary>
    /// The member as read, or, when it cannot be read (a helper with statements), a stand-in whose body
    /// says why: the project that uses it gets the same MVN001 as if the member were its own.
    /// </summary>
    private static IrMember Member(ISymbol symbol, IrMember? read, LookupProblem? problem) =>
        read ?? new IrMember(
            IrKeys.Of(symbol),
            (symbol.ContainingType is { } type ? type.Name + "." : string.Empty) + symbol.Name,
            symbol is IMethodSymbol ? IrMemberKind.Helper : IrMemberKind.Value,
            (symbol as IMethodSymbol)?.Parameters.Select(p => p.Name).ToEquatableArray() ?? EquatableArray<string>.Empty,
            new ErrorExpr(problem?.Reason ?? "'" + symbol.Name + "' cannot be read", -1));

    /// <summary>Whether the symbol is a public static preset or helper of a type the generator evaluates.</summary>
    private static bool Qualifies(ISymbol symbol)
    {
        if (!symbol.IsStatic || !IsPublic(symbol)
            || symbol.GetAttributes().Any(a => a.AttributeClass is { } attribute && IrBuilder.MetadataName(attribute) == MicroVmSchema.ModuleAttribute))
        {
            return false;
        }

        return symbol switch
        {
            IFieldSymbol { IsConst: false, IsReadOnly: true } f => Evaluable(f.Type),
            IPropertySymbol { SetMethod: null, IsIndexer: false } p => Evaluable(p.Type),
            IMethodSymbol { MethodKind: MethodKind.Ordinary, IsGenericMethod: false, ReturnsVoid: false } m =>
                Evaluable(m.ReturnType) && m.Parameters.All(p => p.RefKind == RefKind.None && !p.IsParams && Evaluable(p.Type)),
            _ => false,
        };
    }

    private static bool IsPublic(ISymbol symbol)
    {
        for (var current = symbol; current is not null && current is not INamespaceSymbol; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A type whose values the generator evaluates.</summary>
    private static bool Evaluable(ITypeSymbol type) => type switch
    {
        { SpecialType: SpecialType.System_Boolean or SpecialType.System_String or SpecialType.System_Int16 or SpecialType.System_Int32
            or SpecialType.System_Int64 or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_Byte
            or SpecialType.System_SByte or SpecialType.System_Double or SpecialType.System_Single } => true,
        { TypeKind: TypeKind.Enum } => true,
        IArrayTypeSymbol { Rank: 1 } array => Evaluable(array.ElementType),
        INamedTypeSymbol { IsGenericType: true } generic => generic.ConstructedFrom.ToDisplayString() switch
        {
            "System.Nullable<T>" => Evaluable(generic.TypeArguments[0]),
            "System.Collections.Generic.List<T>" or "System.Collections.Generic.IReadOnlyList<T>" or "System.Collections.Generic.IList<T>"
                or "System.Collections.Generic.IEnumerable<T>" or "System.Collections.Generic.IReadOnlyCollection<T>" => Evaluable(generic.TypeArguments[0]),
            "System.Collections.Generic.Dictionary<TKey, TValue>" or "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>"
                or "System.Collections.Generic.IDictionary<TKey, TValue>" =>
                generic.TypeArguments[0].SpecialType == SpecialType.System_String
                && (generic.TypeArguments[1].SpecialType == SpecialType.System_Object || Evaluable(generic.TypeArguments[1])),
            _ => false,
        },
        INamedTypeSymbol named => named.ContainingAssembly?.Name == MicroVmSchema.Namespace && named.ContainingNamespace?.ToDisplayString() == MicroVmSchema.Namespace,
        _ => false,
    };

    /// <summary>Every member key an expression refers to.</summary>
    internal static IEnumerable<string> References(Expr expr)
    {
        var pending = new Stack<Expr>();
        pending.Push(expr);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case GlobalExpr global:
                    yield return global.Key;
                    break;
                case CallExpr call:
                    yield return call.Key;
                    Push(call.Arguments);
                    break;
                case NewExpr creation:
                    Push(creation.Fields.Select(f => f.Value));
                    break;
                case WithExpr with:
                    pending.Push(with.Source);
                    Push(with.Fields.Select(f => f.Value));
                    break;
                case ListExpr list:
                    Push(list.Items.Select(i => i.Value));
                    break;
                case DictExpr dict:
                    Push(dict.Entries.SelectMany(e => new[] { e.Key, e.Value }));
                    break;
                case MemberExpr member:
                    pending.Push(member.Target);
                    break;
                case IndexExpr index:
                    pending.Push(index.Target);
                    pending.Push(index.Index);
                    break;
                case UnaryExpr unary:
                    pending.Push(unary.Operand);
                    break;
                case BinaryExpr binary:
                    pending.Push(binary.Left);
                    pending.Push(binary.Right);
                    break;
                case ConditionalExpr conditional:
                    Push([conditional.Condition, conditional.WhenTrue, conditional.WhenFalse]);
                    break;
                case SwitchExpr switchExpression:
                    pending.Push(switchExpression.Subject);
                    Push(switchExpression.Arms.SelectMany(a => a.Guard is null ? [a.Value] : new[] { a.Guard, a.Value }));
                    break;
                case InterpolationExpr interpolation:
                    Push(interpolation.Parts);
                    break;
                case DataSizeExpr size:
                    pending.Push(size.Amount);
                    break;
                case ImageExpr image:
                    pending.Push(image.Path);
                    break;
                case EnumCastExpr cast:
                    pending.Push(cast.Value);
                    break;
                case EnumToIntExpr toInt:
                    pending.Push(toInt.Value);
                    break;
                case ToDoubleExpr toDouble:
                    pending.Push(toDouble.Value);
                    break;
            }
        }

        void Push(IEnumerable<Expr> items)
        {
            foreach (var item in items)
            {
                pending.Push(item);
            }
        }
    }
}
