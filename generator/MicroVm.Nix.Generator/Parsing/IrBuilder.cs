using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MicroVm.Nix.Generator.Parsing;

/// <summary>
/// Reads one member's C# (Roslyn operations, never running anything) into the expression model
/// (<see cref="IrMember"/>): literals and constants, enum members, <c>new</c> of the runtime's records,
/// collections and dictionaries, <c>with</c>, interpolation, operators, <c>?:</c>, <c>switch</c>
/// expressions, parameters, and references to other static members and helpers by key. What it
/// cannot read becomes an <see cref="ErrorExpr"/> saying why, reported (MVN001) where it is evaluated.
/// </summary>
internal sealed class IrBuilder
{
    private readonly List<LocationInfo?> _locations = [];
    private readonly Dictionary<IParameterSymbol, int> _parameters;
    private readonly CancellationToken _cancellationToken;
    private readonly System.Action<string, ISymbol> _reference;

    private IrBuilder(Dictionary<IParameterSymbol, int> parameters, System.Action<string, ISymbol> reference, CancellationToken cancellationToken)
    {
        _parameters = parameters;
        _reference = reference;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The factories of <c>DataSize</c>, with their unit in bytes.</summary>
    private static readonly Dictionary<string, long> DataSizeUnits = new()
    {
        ["FromBytes"] = 1,
        ["KiB"] = 1L << 10,
        ["MiB"] = 1L << 20,
        ["GiB"] = 1L << 30,
        ["TiB"] = 1L << 40,
    };

    /// <summary>
    /// Reads a static field or property with a value, or a static method whose body is one expression.
    /// <paramref name="reference"/> learns every other member the body refers to, by key.
    /// </summary>
    /// <returns>The member, or <c>null</c> with <paramref name="problem"/> when the symbol has no readable body in this compilation.</returns>
    public static IrMember? Build(ISymbol symbol, Compilation compilation, System.Action<string, ISymbol> reference, CancellationToken cancellationToken, out string? problem)
    {
        var parameters = symbol is IMethodSymbol method
            ? method.Parameters.Select((p, i) => (p, i)).ToDictionary(x => x.p.OriginalDefinition, x => x.i, (IEqualityComparer<IParameterSymbol>)SymbolEqualityComparer.Default)
            : new Dictionary<IParameterSymbol, int>((IEqualityComparer<IParameterSymbol>)SymbolEqualityComparer.Default);
        var builder = new IrBuilder(parameters, reference, cancellationToken);
        var syntax = symbol.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).ToList();
        if (syntax.Count == 0)
        {
            problem = "'" + symbol.Name + "' has no initializer in this project's source";
            return null;
        }

        var body = syntax.Select(s => symbol is IMethodSymbol ? HelperBody(s) : ValueOf(s)).FirstOrDefault(e => e is not null);
        if (body is null)
        {
            problem = symbol is IMethodSymbol
                ? "the helper '" + symbol.Name + "' is not one expression: give it an expression body (=> …) or a single return"
                : "'" + symbol.Name + "' has no initializer in this project's source";
            return null;
        }

        problem = null;
        var model = compilation.GetSemanticModel(body.SyntaxTree);
        var expression = builder.Read(model.GetOperation(body, cancellationToken));
        return new IrMember(
            IrKeys.Of(symbol),
            (symbol.ContainingType is { } type ? type.Name + "." : string.Empty) + symbol.Name,
            symbol is IMethodSymbol ? IrMemberKind.Helper : IrMemberKind.Value,
            (symbol as IMethodSymbol)?.Parameters.Select(p => p.Name).ToEquatableArray() ?? EquatableArray<string>.Empty,
            expression)
        {
            Locations = builder._locations.ToImmutableArray(),
            Declaration = LocationInfo.From(syntax[0]),
            SyntaxErrors = body.ContainsDiagnostics,
        };
    }

    /// <summary>The expression a field or property declaration gives its value with, if any.</summary>
    internal static ExpressionSyntax? ValueOf(SyntaxNode declaration) => declaration switch
    {
        VariableDeclaratorSyntax { Initializer.Value: var value } => value,
        PropertyDeclarationSyntax { ExpressionBody.Expression: var body } => body,
        PropertyDeclarationSyntax { Initializer.Value: var value } => value,
        PropertyDeclarationSyntax { AccessorList.Accessors: var accessors } =>
            accessors.FirstOrDefault(a => a.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.GetAccessorDeclaration)) switch
            {
                { ExpressionBody.Expression: var body } => body,
                { Body.Statements: { Count: 1 } statements } when statements[0] is ReturnStatementSyntax { Expression: { } returned } => returned,
                _ => null,
            },
        _ => null,
    };

    /// <summary>A method's single expression: <c>=> expr</c>, or a block holding only <c>return expr;</c>.</summary>
    private static ExpressionSyntax? HelperBody(SyntaxNode declaration) => declaration switch
    {
        MethodDeclarationSyntax { ExpressionBody.Expression: var body } => body,
        MethodDeclarationSyntax { Body.Statements: { Count: 1 } statements } when statements[0] is ReturnStatementSyntax { Expression: { } returned } => returned,
        _ => null,
    };

    private int Node(IOperation operation) => Node(LocationInfo.From(operation.Syntax));

    private int Node(LocationInfo? location)
    {
        _locations.Add(location);
        return _locations.Count - 1;
    }

    private ErrorExpr Error(IOperation operation, string reason) => new(reason, Node(operation));

    /// <summary>An initializer that is not only 'Property = value': MVN001, unless it does not compile (the compiler says why).</summary>
    private ErrorExpr InitializerError(IOperation initializer) =>
        Error(initializer, "only 'Property = value' assignments are supported in an initializer")
            with { CompilerError = initializer.Descendants().Any(o => o is IInvalidOperation) || initializer.Syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) };

    private Expr Read(IOperation? operation)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (operation is null)
        {
            return new ErrorExpr("the expression cannot be read", -1);
        }

        if (operation.Kind != OperationKind.Invalid && operation.ConstantValue.HasValue)
        {
            return operation.Type?.TypeKind == TypeKind.Enum
                ? EnumConstant((INamedTypeSymbol)operation.Type, operation.ConstantValue.Value, operation)
                : Constant(operation, operation.ConstantValue.Value);
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return ReadConversion(conversion);
            case IFieldReferenceOperation { Field: { ContainingType.TypeKind: TypeKind.Enum } field }:
                return new ConstExpr(new EnumValue(MetadataName(field.ContainingType), field.Name, null), Node(operation));
            case IFieldReferenceOperation { Field: var field } when field.IsStatic && (field.IsConst || field.IsReadOnly):
                return Global(field, operation);
            case IPropertyReferenceOperation { Property: var property } when property.IsStatic && property.SetMethod is null && !property.IsIndexer:
                return Global(property, operation);
            case IPropertyReferenceOperation { Instance: { } instance, Property: { IsIndexer: false, IsStatic: false } member }:
                return new MemberExpr(Read(instance), member.Name, IsNullable(member.Type), Node(operation));
            case IParameterReferenceOperation { Parameter: var parameter } when _parameters.TryGetValue((IParameterSymbol)parameter.OriginalDefinition, out var index):
                return new ParamExpr(index, parameter.Name, Node(operation));
            case ILiteralOperation or IDefaultValueOperation when operation.ConstantValue is { HasValue: true, Value: null }:
                return new ConstExpr(new NullValue(null), Node(operation));
            case IDefaultValueOperation when operation.Type is { IsReferenceType: true } or { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }:
                return new ConstExpr(new NullValue(null), Node(operation));
            case IObjectCreationOperation creation:
                return ReadCreation(creation);
            case IWithOperation with:
                return ReadInitializer(with.Initializer) is { } fields ? new WithExpr(Read(with.Operand), fields, Node(operation)) : InitializerError(with.Initializer);
            case ICollectionExpressionOperation collection:
                return ReadList(collection.Elements, operation);
            case IArrayCreationOperation { Initializer: { } initializer }:
                return ReadList(initializer.ElementValues, operation);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element:
                return new IndexExpr(Read(element.ArrayReference), Read(element.Indices[0]), Node(operation));
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } list } indexer:
                return new IndexExpr(Read(list), Read(indexer.Arguments[0].Value), Node(operation));
            case IInterpolatedStringOperation interpolated:
                return ReadInterpolation(interpolated);
            case IBinaryOperation { OperatorMethod: not null } binary:
                return Error(binary, "it uses a user-defined operator");
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } ordered
                when ordered.LeftOperand.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } leftEnum && ordered.RightOperand.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } rightEnum:
                // Enums are ordered by their underlying values.
                return new BinaryExpr(
                    ordered.OperatorKind.ToString(),
                    new EnumToIntExpr(MetadataName(leftEnum), EnumMembers(leftEnum), Read(ordered.LeftOperand), -1),
                    new EnumToIntExpr(MetadataName(rightEnum), EnumMembers(rightEnum), Read(ordered.RightOperand), -1),
                    null,
                    Node(operation));
            case IBinaryOperation binary:
                return new BinaryExpr(binary.OperatorKind.ToString(), Read(binary.LeftOperand), Read(binary.RightOperand), binary.Type?.SpecialType.ToString(), Node(operation));
            case IUnaryOperation { OperatorMethod: null, OperatorKind: UnaryOperatorKind.Minus or UnaryOperatorKind.Plus or UnaryOperatorKind.Not } unary:
                return new UnaryExpr(unary.OperatorKind.ToString(), Read(unary.Operand), Node(operation));
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return new ConditionalExpr(Read(conditional.Condition), Read(conditional.WhenTrue), Read(whenFalse), Node(operation));
            case ICoalesceOperation coalesce:
                return new BinaryExpr("Coalesce", Read(coalesce.Value), Read(coalesce.WhenNull), null, Node(operation));
            case ISwitchExpressionOperation switchExpression:
                return ReadSwitch(switchExpression);
            case IInvalidOperation:
                return Error(operation, "the expression does not compile") with { CompilerError = true };
            case IInvocationOperation { TargetMethod: { IsStatic: true } factory, Arguments.Length: 1 } sizeCall
                when MetadataName(factory.ContainingType) == MicroVmSchema.DataSizeType && DataSizeUnits.TryGetValue(factory.Name, out var unit):
                return new DataSizeExpr(unit, Read(sizeCall.Arguments[0].Value), Node(operation));
            case IInvocationOperation { TargetMethod: { IsStatic: true, MethodKind: MethodKind.Ordinary } method } invocation
                when !method.IsGenericMethod && !IsFramework(method):
                return ReadCall(invocation);
            case IInvocationOperation invocation:
                return Error(operation, "it calls the method '" + invocation.TargetMethod.Name + "', and the generator never runs your code");
            case IFieldReferenceOperation or IPropertyReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation:
                return Error(operation, "it reads a value that exists only at run time; refer to a const or static readonly member instead");
            default:
                return Error(operation, Unsupported(operation) + " is not supported");
        }
    }

    /// <summary>How the message names an expression the generator does not read: by its C# operator or form, never by Roslyn's operation name.</summary>
    private static string Unsupported(IOperation operation) => operation.Kind switch
    {
        OperationKind.Coalesce => "the '??' operator",
        OperationKind.CoalesceAssignment => "the '??=' operator",
        OperationKind.ConditionalAccess => "the '?.' operator",
        OperationKind.AnonymousFunction or OperationKind.DelegateCreation => "a lambda",
        OperationKind.Throw => "a throw expression",
        OperationKind.Await => "'await'",
        OperationKind.TypeOf => "'typeof'",
        OperationKind.SizeOf => "'sizeof'",
        OperationKind.DefaultValue => "'default'",
        OperationKind.Increment or OperationKind.Decrement => "'++' and '--'",
        OperationKind.SimpleAssignment or OperationKind.CompoundAssignment => "an assignment inside an expression",
        OperationKind.IsPattern or OperationKind.IsType => "'is'",
        OperationKind.AnonymousObjectCreation => "an anonymous object",
        OperationKind.Tuple => "a tuple",
        OperationKind.Range => "a range",
        OperationKind.ObjectCreation or OperationKind.TypeParameterObjectCreation => "creating an object of this type",
        OperationKind.ArrayElementReference => "reading an array element",
        _ => "the expression '" + Excerpt(operation.Syntax.ToString()) + "'",
    };

    private static readonly char[] Blanks = ['\r', '\n', '\t', ' '];

    /// <summary>The start of an expression's text on one line, for a message.</summary>
    private static string Excerpt(string text)
    {
        var line = string.Join(" ", text.Split(Blanks, System.StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 40 ? line : line.Substring(0, 39) + "…";
    }

    /// <summary>Methods of the framework and of the runtime itself, which have no body the generator could read.</summary>
    private static bool IsFramework(IMethodSymbol method) =>
        method.ContainingAssembly?.Name is { } assembly
        && (assembly == "MicroVm.Nix" || assembly.StartsWith("System", System.StringComparison.Ordinal) || assembly is "mscorlib" or "netstandard");

    private GlobalExpr Global(ISymbol symbol, IOperation operation)
    {
        var key = IrKeys.Of(symbol);
        _reference(key, symbol);
        return new GlobalExpr(key, (symbol.ContainingType?.Name is { } type ? type + "." : string.Empty) + symbol.Name, Node(operation));
    }

    private Expr ReadCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var arguments = new Expr[method.Parameters.Length];
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is null)
            {
                return Error(argument, "an argument has no parameter");
            }

            // Arguments come in source order; named ones may be out of order, defaults are filled in by Roslyn.
            arguments[argument.Parameter.Ordinal] = Read(argument.Value);
        }

        var key = IrKeys.Of(method);
        _reference(key, method);
        return new CallExpr(key, (method.ContainingType?.Name is { } type ? type + "." : string.Empty) + method.Name, arguments.ToEquatableArray(), Node(invocation));
    }

    /// <summary>A C# constant: a Nix value, or an <see cref="UnrepresentableExpr"/> when Nix cannot hold it exactly (MVN005).</summary>
    private Expr Constant(IOperation operation, object? value)
    {
        var node = Node(operation);
        switch (value)
        {
            case null:
                return new ConstExpr(new NullValue(null), node);
            case bool b:
                return new ConstExpr(new BoolValue(b, null), node);
            case string s:
                return new ConstExpr(new StringValue(s, null), node);
            case char c:
                return new ConstExpr(new StringValue(c.ToString(), null), node);
            case int or long or short or sbyte or byte or ushort or uint:
                return new ConstExpr(new IntValue(System.Convert.ToInt64(value, CultureInfo.InvariantCulture), null), node);
            case ulong u when u <= long.MaxValue:
                return new ConstExpr(new IntValue((long)u, null), node);
            case ulong u:
                return new UnrepresentableExpr(u.ToString(CultureInfo.InvariantCulture), "Nix integers are signed 64-bit, at most 9223372036854775807", node);
            case float f:
                return Float(f, node);
            case double d:
                return Float(d, node);
            case decimal m:
                var nearest = (double)m;
                return IsExactly(nearest, m)
                    ? Float(nearest, node)
                    : new UnrepresentableExpr(m.ToString(CultureInfo.InvariantCulture) + "m", "Nix numbers are 64-bit integers or doubles, and no double is exactly this decimal; write it as a double", node);
            default:
                return new ErrorExpr("constants of type '" + value.GetType().Name + "' have no Nix value", node);
        }
    }

    private static Expr Float(double value, int node) =>
        double.IsNaN(value) || double.IsInfinity(value)
            ? new UnrepresentableExpr(value.ToString(CultureInfo.InvariantCulture), "Nix floats have no NaN or infinity", node)
            : new ConstExpr(new FloatValue(value, null), node);

    /// <summary>Whether <paramref name="d"/> is exactly <paramref name="m"/>, compared as rationals (decimal's own conversion rounds).</summary>
    private static bool IsExactly(double d, decimal m)
    {
        var bits = decimal.GetBits(m);
        var decimalMantissa = (new System.Numerics.BigInteger((uint)bits[2]) << 64) | (new System.Numerics.BigInteger((uint)bits[1]) << 32) | new System.Numerics.BigInteger((uint)bits[0]);
        var scale = (bits[3] >> 16) & 0xFF;
        if (decimalMantissa.IsZero)
        {
            return d == 0;
        }

        var raw = System.BitConverter.DoubleToInt64Bits(d);
        if ((bits[3] < 0) != (raw < 0))
        {
            return false;
        }

        var exponentBits = (int)((raw >> 52) & 0x7FF);
        long fraction = raw & 0xFFFFFFFFFFFFFL;
        var doubleMantissa = exponentBits == 0 ? fraction : fraction | (1L << 52);
        var exponent = exponentBits == 0 ? -1074 : exponentBits - 1075;

        // m = decimalMantissa / 10^scale, d = doubleMantissa * 2^exponent.
        var left = decimalMantissa * (exponent < 0 ? System.Numerics.BigInteger.Pow(2, -exponent) : System.Numerics.BigInteger.One);
        var right = new System.Numerics.BigInteger(doubleMantissa) * (exponent > 0 ? System.Numerics.BigInteger.Pow(2, exponent) : System.Numerics.BigInteger.One) * System.Numerics.BigInteger.Pow(10, scale);
        return left == right;
    }

    private Expr EnumConstant(INamedTypeSymbol enumType, object? value, IOperation operation)
    {
        var number = System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
        var member = enumType.GetMembers().OfType<IFieldSymbol>()
            .FirstOrDefault(f => f.HasConstantValue && System.Convert.ToInt64(f.ConstantValue, CultureInfo.InvariantCulture) == number);
        return member is null
            ? Error(operation, number.ToString(CultureInfo.InvariantCulture) + " is not a member of " + enumType.Name)
            : new ConstExpr(new EnumValue(MetadataName(enumType), member.Name, null), Node(operation));
    }

    /// <summary>An enum's members with their underlying values.</summary>
    private static EquatableArray<EnumMember> EnumMembers(INamedTypeSymbol enumType) =>
        enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue)
            .Select(f => new EnumMember(f.Name, System.Convert.ToInt64(f.ConstantValue, CultureInfo.InvariantCulture))).ToEquatableArray();

    private Expr ReadConversion(IConversionOperation conversion)
    {
        if (conversion.OperatorMethod is { } method)
        {
            // The one user-defined conversion the runtime has: string → DiskImage (a HostPathImage).
            return MetadataName(method.ContainingType) == MicroVmSchema.DiskImageType
                ? new ImageExpr(Read(conversion.Operand), Node(conversion))
                : Error(conversion, "it uses the conversion operator of '" + method.ContainingType.Name + "', and the generator never runs your code");
        }

        if (conversion.Type?.TypeKind == TypeKind.Enum && conversion.Operand.Type?.TypeKind != TypeKind.Enum)
        {
            var enumType = (INamedTypeSymbol)conversion.Type;
            return new EnumCastExpr(MetadataName(enumType), EnumMembers(enumType), Read(conversion.Operand), Node(conversion));
        }

        if (conversion.Operand.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } sourceEnum && conversion.Type?.TypeKind != TypeKind.Enum
            && conversion.Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_Byte
                or SpecialType.System_SByte or SpecialType.System_UInt16 or SpecialType.System_UInt32)
        {
            return new EnumToIntExpr(MetadataName(sourceEnum), EnumMembers(sourceEnum), Read(conversion.Operand), Node(conversion));
        }

        if (conversion.Type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single
            && conversion.Operand.Type?.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single))
        {
            return new ToDoubleExpr(Read(conversion.Operand), Node(conversion));
        }

        return Read(conversion.Operand);
    }

    private Expr ReadCreation(IObjectCreationOperation creation)
    {
        if (creation.Type is not INamedTypeSymbol type)
        {
            return Error(creation, "the type cannot be resolved");
        }

        if (IsListType(type))
        {
            // new List<T> { a, b }: a collection initializer calling Add.
            var items = new List<IOperation>();
            foreach (var init in creation.Initializer?.Initializers ?? [])
            {
                if (init is IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 1 } add)
                {
                    items.Add(add.Arguments[0].Value);
                }
                else
                {
                    return Error(init, "only Add(item) is supported in a collection initializer");
                }
            }

            return creation.Arguments.Length == 0
                ? ReadList(items, creation)
                : Error(creation, "a list built from constructor arguments is not supported; use a collection expression [ … ]");
        }

        if (IsDictionaryType(type))
        {
            return creation.Arguments.Length == 0
                ? ReadDictionary(creation.Initializer, creation)
                : Error(creation, "a dictionary built from constructor arguments is not supported; use an initializer { [\"key\"] = value }");
        }

        var name = MetadataName(type);
        if (!name.StartsWith(MicroVmSchema.Namespace + ".", System.StringComparison.Ordinal))
        {
            return Error(creation, "'" + type.Name + "' is not a MicroVm.Nix type the generator can read");
        }

        var fields = new List<FieldInit>();
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter is null)
            {
                return Error(argument, "an argument has no parameter");
            }

            // Positional records: each constructor parameter sets the property of the same name.
            var property = char.ToUpperInvariant(argument.Parameter.Name[0]) + argument.Parameter.Name.Substring(1);
            fields.Add(new FieldInit(property, Read(argument.Value)));
        }

        if (creation.Initializer is { } initializer)
        {
            if (ReadInitializer(initializer) is not { } assigned)
            {
                return InitializerError(initializer);
            }

            fields.AddRange(assigned);
        }

        return new NewExpr(name, fields.ToEquatableArray(), Node(creation));
    }

    private EquatableArray<FieldInit>? ReadInitializer(IObjectOrCollectionInitializerOperation initializer)
    {
        var fields = new List<FieldInit>();
        foreach (var init in initializer.Initializers)
        {
            if (init is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: var property } } assignment)
            {
                return null;
            }

            fields.Add(new FieldInit(property.Name, Read(assignment.Value)));
        }

        return fields.ToEquatableArray();
    }

    private ListExpr ReadList(IEnumerable<IOperation> elements, IOperation list) =>
        new(elements.Select(e => e is ISpreadOperation spread ? new ListItem(Read(spread.Operand), Spread: true) : new ListItem(Read(e), Spread: false)).ToEquatableArray(), Node(list));

    /// <summary><c>new Dictionary&lt;string, T&gt; { ["k"] = v, { "k", v } }</c>.</summary>
    private Expr ReadDictionary(IObjectOrCollectionInitializerOperation? initializer, IOperation dictionary)
    {
        var entries = new List<DictEntry>();
        foreach (var init in initializer?.Initializers ?? [])
        {
            var (key, value) = init switch
            {
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer } assignment
                    => (indexer.Arguments[0].Value, assignment.Value),
                IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 2 } add => (add.Arguments[0].Value, add.Arguments[1].Value),
                _ => ((IOperation?)null, (IOperation?)null),
            };
            if (key is null || value is null)
            {
                return Error(init, "only [key] = value and { key, value } entries are supported in a dictionary initializer");
            }

            entries.Add(new DictEntry(Read(key), Read(value), Node(key)));
        }

        return new DictExpr(entries.ToEquatableArray(), Node(dictionary));
    }

    private Expr ReadInterpolation(IInterpolatedStringOperation interpolated)
    {
        var parts = new List<Expr>();
        foreach (var part in interpolated.Parts)
        {
            switch (part)
            {
                case IInterpolatedStringTextOperation { Text: var literal } when literal.ConstantValue is { HasValue: true, Value: string s }:
                    parts.Add(new ConstExpr(new StringValue(s, null), -1));
                    break;
                case IInterpolationOperation { Alignment: null, FormatString: null, Expression: var expression }:
                    parts.Add(Read(expression));
                    break;
                default:
                    return Error(part, "alignment and format strings are not supported in interpolations");
            }
        }

        return new InterpolationExpr(parts.ToEquatableArray(), Node(interpolated));
    }

    private Expr ReadSwitch(ISwitchExpressionOperation switchExpression)
    {
        var arms = new List<SwitchArm>();
        foreach (var arm in switchExpression.Arms)
        {
            if (arm.Locals.Length > 0 || ReadPattern(arm.Pattern) is not { } pattern)
            {
                return Error(arm.Pattern, "only constant, relational, 'not', 'and', 'or' and discard patterns are supported in a switch expression");
            }

            arms.Add(new SwitchArm(pattern, arm.Guard is { } guard ? Read(guard) : null, Read(arm.Value)));
        }

        return new SwitchExpr(Read(switchExpression.Value), arms.ToEquatableArray(), Node(switchExpression));
    }

    private Pattern? ReadPattern(IPatternOperation pattern) => pattern switch
    {
        IDiscardPatternOperation => new DiscardPattern(),
        IConstantPatternOperation { Value: var value } => ConstantOf(value) is { } constant ? new ConstantPattern(constant) : null,
        IRelationalPatternOperation { Value: var value, OperatorKind: var op } => ConstantOf(value) is { } constant ? new RelationalPattern(op.ToString(), constant) : null,
        INegatedPatternOperation { Pattern: var operand } => ReadPattern(operand) is { } inner ? new NotPattern(inner) : null,
        IBinaryPatternOperation { LeftPattern: var left, RightPattern: var right, OperatorKind: var op } =>
            ReadPattern(left) is { } l && ReadPattern(right) is { } r ? new CombinedPattern(op.ToString(), l, r) : null,
        _ => null,
    };

    /// <summary>A pattern's constant as a value, or <c>null</c> when it is not a constant the model has.</summary>
    private EvalValue? ConstantOf(IOperation value)
    {
        var unwrapped = value is IConversionOperation { OperatorMethod: null } conversion ? conversion.Operand : value;
        if (!value.ConstantValue.HasValue)
        {
            return unwrapped is IFieldReferenceOperation { Field: { ContainingType.TypeKind: TypeKind.Enum } field }
                ? new EnumValue(MetadataName(field.ContainingType), field.Name, null)
                : null;
        }

        var expr = value.Type?.TypeKind == TypeKind.Enum
            ? EnumConstant((INamedTypeSymbol)value.Type, value.ConstantValue.Value, value)
            : Constant(value, value.ConstantValue.Value);
        return (expr as ConstExpr)?.Value;
    }

    private static bool IsNullable(ITypeSymbol type) =>
        type.NullableAnnotation == NullableAnnotation.Annotated || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

    private static bool IsDictionaryType(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 2 } named
        && named.ConstructedFrom.ToDisplayString() is "System.Collections.Generic.Dictionary<TKey, TValue>" or "System.Collections.Generic.SortedDictionary<TKey, TValue>"
        && named.TypeArguments[0].SpecialType == SpecialType.System_String;

    private static bool IsListType(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
        && named.ConstructedFrom.ToDisplayString() is "System.Collections.Generic.List<T>";

    internal static string MetadataName(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;
}
