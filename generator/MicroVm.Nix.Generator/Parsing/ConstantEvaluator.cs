using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MicroVm.Nix.Generator.Parsing;

/// <summary>
/// Computes the value of a C# expression from its operation tree, never running user code: literals
/// and constants, enum members, <c>new</c> with constructor arguments and initializers for the runtime's
/// records, collection expressions and initializers, arrays, <c>with</c>, string concatenation and
/// interpolation, integer arithmetic, and const / static readonly fields and get-only static properties
/// declared in source. Anything else becomes an MVN001 diagnostic on that expression.
/// </summary>
internal sealed class ConstantEvaluator
{
    private const int MaxDepth = 64;

    private readonly Compilation _compilation;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly HashSet<ISymbol> _following = new(SymbolEqualityComparer.Default);
    private int _depth;

    public ConstantEvaluator(Compilation compilation, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        _compilation = compilation;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Evaluates <paramref name="operation"/>; on failure reports MVN001 and returns <c>null</c>.</summary>
    /// <param name="operation">The expression's operation.</param>
    /// <param name="path">What the value is, for messages: <c>Storage.Volumes[0].Size</c>.</param>
    public EvalValue? Evaluate(IOperation? operation, string path)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (operation is null)
        {
            return null;
        }

        if (_depth >= MaxDepth)
        {
            return Fail(operation, path, "it nests more than " + MaxDepth + " levels deep");
        }

        _depth++;
        try
        {
            return EvaluateCore(operation, path);
        }
        finally
        {
            _depth--;
        }
    }

    private EvalValue? EvaluateCore(IOperation operation, string path)
    {
        var location = LocationInfo.From(operation.Syntax);

        if (operation.Kind != OperationKind.Invalid
            && operation.Type?.TypeKind != TypeKind.Enum
            && operation.ConstantValue.HasValue)
        {
            return FromConstant(operation, operation.ConstantValue.Value, path);
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                return EvaluateConversion(conversion, path);
            case IFieldReferenceOperation { Field: { ContainingType.TypeKind: TypeKind.Enum } field }:
                return new EnumValue(MetadataName(field.ContainingType), field.Name, location);
            case IFieldReferenceOperation { Field: var field } when field.IsStatic && (field.IsConst || field.IsReadOnly):
                return FollowReference(operation, field, path);
            case IPropertyReferenceOperation { Property: var property } when property.IsStatic && property.SetMethod is null:
                return FollowReference(operation, property, path);
            case IPropertyReferenceOperation { Instance: { } instance, Property: { IsIndexer: false, IsStatic: false } member }:
                return EvaluateMember(instance, member, operation, path);
            case ILiteralOperation or IDefaultValueOperation when operation.ConstantValue is { HasValue: true, Value: null }:
                return new NullValue(location);
            case IDefaultValueOperation when operation.Type is { IsReferenceType: true } or { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T }:
                return new NullValue(location);
            case IObjectCreationOperation creation:
                return EvaluateCreation(creation, path);
            case IWithOperation with:
                return EvaluateWith(with, path);
            case ICollectionExpressionOperation collection:
                return EvaluateList(collection.Elements, location, path);
            case IArrayCreationOperation { Initializer: { } initializer }:
                return EvaluateList(initializer.ElementValues, location, path);
            case IArrayElementReferenceOperation { Indices.Length: 1 } element:
                return EvaluateElement(element.ArrayReference, element.Indices[0], element, path);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } list } indexer:
                return EvaluateElement(list, indexer.Arguments[0].Value, indexer, path);
            case IInterpolatedStringOperation interpolated:
                return EvaluateInterpolation(interpolated, path);
            case IBinaryOperation binary:
                return EvaluateBinary(binary, path);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus or UnaryOperatorKind.Plus, OperatorMethod: null } unary:
                return EvaluateUnary(unary, path);
            case IInvalidOperation:
                return Fail(operation, path, "the expression does not compile");
            case IInvocationOperation { TargetMethod: { IsStatic: true } factory, Arguments.Length: 1 } sizeCall
                when MetadataName(factory.ContainingType) == MicroVmSchema.DataSizeType && DataSizeUnits.ContainsKey(factory.Name):
                return EvaluateDataSize(sizeCall, path);
            case IInvocationOperation invocation:
                return Fail(operation, path, "it calls the method '" + invocation.TargetMethod.Name + "', and the generator never runs your code");
            case IFieldReferenceOperation or IPropertyReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation:
                return Fail(operation, path, "it reads a value that exists only at run time; refer to a const or static readonly member instead");
            default:
                return Fail(operation, path, "this kind of expression (" + operation.Kind + ") is not supported");
        }
    }

    /// <summary>
    /// A C# constant as a Nix value. Nix integers are signed 64-bit and its floats are doubles: a
    /// <c>ulong</c> above <see cref="long.MaxValue"/>, NaN, an infinity, or a <c>decimal</c> no double
    /// holds exactly has no Nix value and is reported (MVN005), never rounded.
    /// </summary>
    private EvalValue? FromConstant(IOperation operation, object? value, string path)
    {
        var location = LocationInfo.From(operation.Syntax);
        switch (value)
        {
            case null:
                return new NullValue(location);
            case bool b:
                return new BoolValue(b, location);
            case string s:
                return new StringValue(s, location);
            case char c:
                return new StringValue(c.ToString(), location);
            case int or long or short or sbyte or byte or ushort or uint:
                return new IntValue(System.Convert.ToInt64(value, CultureInfo.InvariantCulture), location);
            case ulong u when u <= long.MaxValue:
                return new IntValue((long)u, location);
            case ulong u:
                return Unrepresentable(operation, path, u.ToString(CultureInfo.InvariantCulture), "Nix integers are signed 64-bit, at most 9223372036854775807");
            case float f:
                return Float(operation, f, path);
            case double d:
                return Float(operation, d, path);
            case decimal m:
                var nearest = (double)m;
                return IsExactly(nearest, m)
                    ? Float(operation, nearest, path)
                    : Unrepresentable(operation, path, m.ToString(CultureInfo.InvariantCulture) + "m", "Nix numbers are 64-bit integers or doubles, and no double is exactly this decimal; write it as a double");
            default:
                return Fail(operation, path, "constants of type '" + value.GetType().Name + "' have no Nix value");
        }
    }

    /// <summary>Whether <paramref name="d"/> is exactly <paramref name="m"/>, compared as rationals (decimal's own conversion rounds).</summary>
    private static bool IsExactly(double d, decimal m)
    {
        var bits = decimal.GetBits(m);
        var decimalMantissa = (new System.Numerics.BigInteger((uint)bits[2]) << 64) | (new System.Numerics.BigInteger((uint)bits[1]) << 32) | new System.Numerics.BigInteger((uint)bits[0]);
        var scale = (bits[3] >> 16) & 0xFF;
        var decimalNegative = bits[3] < 0;
        if (decimalMantissa.IsZero)
        {
            return d == 0;
        }

        var raw = System.BitConverter.DoubleToInt64Bits(d);
        var doubleNegative = raw < 0;
        var exponentBits = (int)((raw >> 52) & 0x7FF);
        long fraction = raw & 0xFFFFFFFFFFFFFL;
        var doubleMantissa = exponentBits == 0 ? fraction : fraction | (1L << 52);
        var exponent = (exponentBits == 0 ? -1074 : exponentBits - 1075);
        if (decimalNegative != doubleNegative)
        {
            return false;
        }

        // m = decimalMantissa / 10^scale, d = doubleMantissa * 2^exponent.
        var left = decimalMantissa * (exponent < 0 ? System.Numerics.BigInteger.Pow(2, -exponent) : System.Numerics.BigInteger.One);
        var right = new System.Numerics.BigInteger(doubleMantissa) * (exponent > 0 ? System.Numerics.BigInteger.Pow(2, exponent) : System.Numerics.BigInteger.One) * System.Numerics.BigInteger.Pow(10, scale);
        return left == right;
    }

    private EvalValue? Float(IOperation operation, double value, string path) =>
        double.IsNaN(value) || double.IsInfinity(value)
            ? Unrepresentable(operation, path, value.ToString(CultureInfo.InvariantCulture), "Nix floats have no NaN or infinity")
            : new FloatValue(value, LocationInfo.From(operation.Syntax));

    private EvalValue? Unrepresentable(IOperation operation, string path, string value, string reason)
    {
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueNixCannotHold, LocationInfo.From(operation.Syntax), path, value, reason));
        return null;
    }

    private EvalValue? EvaluateUnary(IUnaryOperation unary, string path)
    {
        var operand = Evaluate(unary.Operand, path);
        var location = LocationInfo.From(unary.Syntax);
        return (operand, unary.OperatorKind) switch
        {
            (null, _) => null,
            (IntValue i, UnaryOperatorKind.Plus) => i with { Location = location },
            (FloatValue f, UnaryOperatorKind.Plus) => f with { Location = location },
            (IntValue i, _) when i.Value == long.MinValue => Fail(unary, path, "the arithmetic overflows"),
            (IntValue i, _) => new IntValue(-i.Value, location),
            (FloatValue f, _) => new FloatValue(-f.Value, location),
            _ => Fail(unary, path, "'-' needs a number"),
        };
    }

    /// <summary>
    /// <c>Base.Volumes</c>, <c>Base.Mem</c>, <c>Disks[0].Image</c>, <c>Names.Count</c>: a property of a
    /// value the evaluator read. A record property the source did not set has the runtime's default
    /// (<see cref="MicroVmSchema.CSharpDefault"/>); a few computed properties of the runtime's types
    /// are computed as the runtime does. Anything else is MVN001.
    /// </summary>
    private EvalValue? EvaluateMember(IOperation instance, IPropertySymbol member, IOperation operation, string path)
    {
        var target = Evaluate(instance, path);
        var location = LocationInfo.From(operation.Syntax);
        EvalValue? Scalar(EvalValue value) => value is ObjectValue or ListValue or MapValue ? value : value with { Location = location };

        switch (target)
        {
            case null:
                return null;
            case NullValue:
                return Fail(operation, path, "it reads '" + member.Name + "' of a null value, which throws at run time");
            case ListValue list when member.Name is "Count" or "Length":
                return new IntValue(list.Items.Count, location);
            case MapValue map when member.Name == "Count":
                return new IntValue(map.Entries.Count, location);
            case StringValue text when member.Name == "Length":
                return new IntValue(text.Value.Length, location);
            case ObjectValue record when record.Get(member.Name) is { } field:
                return Scalar(field.Value);
            case ObjectValue image when member.Name == "HostPath" && Validation.VmValidator.HostPath(image) is { } hostPath:
                return new StringValue(hostPath, location);
            case ObjectValue zvol when member.Name == "Name" && Validation.VmValidator.ZvolName(zvol) is { } zfsName:
                return new StringValue(zfsName, location);
            case ObjectValue image when member.Name == "IsBlockDevice" && Validation.VmValidator.HostPath(image) is { } devicePath:
                return new BoolValue(Validation.VmValidator.IsBlockDevice(devicePath), location);
            case ObjectValue record when MicroVmSchema.Find(record.Type)?.Find(member.Name) is { } option:
                return MicroVmSchema.CSharpDefault(option, IsNullable(member.Type)) with { Location = location };
            case ObjectValue { Type: MicroVmSchema.ZvolType } when member.Name == "Create":
                return new NullValue(location);
            default:
                return Fail(operation, path, "reading '" + member.Name + "' of " + target.Describe() + " is not supported");
        }
    }

    private static bool IsNullable(ITypeSymbol type) =>
        type.NullableAnnotation == NullableAnnotation.Annotated || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

    private EvalValue? EvaluateConversion(IConversionOperation conversion, string path)
    {
        var location = LocationInfo.From(conversion.Syntax);
        if (conversion.OperatorMethod is { } method)
        {
            // The one user-defined conversion we know: string → DiskImage (a HostPathImage).
            if (MetadataName(method.ContainingType) == MicroVmSchema.DiskImageType)
            {
                var operand = Evaluate(conversion.Operand, path);
                return operand switch
                {
                    StringValue s => new ObjectValue(MicroVmSchema.HostPathImageType, new[] { new FieldValue("Path", s) }.ToEquatableArray(), location),
                    NullValue n => n,
                    null => null,
                    _ => Fail(conversion, path, "a disk image is a host path string or a Zvol"),
                };
            }

            return Fail(conversion, path, "it uses the conversion operator of '" + method.ContainingType.Name + "', and the generator never runs your code");
        }

        var inner = Evaluate(conversion.Operand, path);
        if (inner is IntValue number && conversion.Type?.TypeKind == TypeKind.Enum)
        {
            return EnumMember((INamedTypeSymbol)conversion.Type, number.Value, conversion, path);
        }

        return inner is null ? null : Relocate(inner, location);
    }

    private EvalValue? EnumMember(INamedTypeSymbol enumType, long value, IOperation operation, string path)
    {
        var member = enumType.GetMembers().OfType<IFieldSymbol>()
            .FirstOrDefault(f => f.HasConstantValue && System.Convert.ToInt64(f.ConstantValue, CultureInfo.InvariantCulture) == value);
        return member is null
            ? Fail(operation, path, value.ToString(CultureInfo.InvariantCulture) + " is not a member of " + enumType.Name)
            : new EnumValue(MetadataName(enumType), member.Name, LocationInfo.From(operation.Syntax));
    }

    private EvalValue? FollowReference(IOperation reference, ISymbol symbol, string path)
    {
        if (symbol is IFieldSymbol { Type.TypeKind: TypeKind.Enum, HasConstantValue: true } enumConst)
        {
            return EnumMember((INamedTypeSymbol)enumConst.Type, System.Convert.ToInt64(enumConst.ConstantValue, CultureInfo.InvariantCulture), reference, path);
        }

        var initializer = symbol.DeclaringSyntaxReferences
            .Select(r => ValueOf(r.GetSyntax(_cancellationToken)))
            .FirstOrDefault(e => e is not null);
        if (initializer is null)
        {
            return Fail(reference, path, "'" + symbol.Name + "' has no initializer in this project's source");
        }

        if (initializer.ContainsDiagnostics)
        {
            return Fail(reference, path, "the declaration of '" + symbol.Name + "' has syntax errors");
        }

        if (!_following.Add(symbol))
        {
            return Fail(reference, path, "'" + symbol.Name + "' refers to itself");
        }

        try
        {
            var model = _compilation.GetSemanticModel(initializer.SyntaxTree);
            var value = Evaluate(model.GetOperation(initializer, _cancellationToken), path);

            // A scalar read through a reference is reported where this VM uses it; an object keeps the
            // locations inside its declaration, which is where its fields are fixed.
            return value is null or ObjectValue or ListValue ? value : Relocate(value, LocationInfo.From(reference.Syntax));
        }
        finally
        {
            _following.Remove(symbol);
        }
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

    private EvalValue? EvaluateCreation(IObjectCreationOperation creation, string path)
    {
        var location = LocationInfo.From(creation.Syntax);
        var type = creation.Type is INamedTypeSymbol named ? MetadataName(named) : null;
        if (type is null)
        {
            return Fail(creation, path, "the type cannot be resolved");
        }

        if (IsListType(creation.Type!))
        {
            // new List<T> { a, b } : a collection initializer calling Add.
            var items = new List<IOperation>();
            foreach (var init in creation.Initializer?.Initializers ?? [])
            {
                if (init is IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 1 } add)
                {
                    items.Add(add.Arguments[0].Value);
                }
                else
                {
                    return Fail(init, path, "only Add(item) is supported in a collection initializer");
                }
            }

            return creation.Arguments.Length == 0
                ? EvaluateList(items, location, path)
                : Fail(creation, path, "a list built from constructor arguments is not supported; use a collection expression [ … ]");
        }

        if (IsDictionaryType(creation.Type!))
        {
            return creation.Arguments.Length == 0
                ? EvaluateDictionary(creation.Initializer, location, path)
                : Fail(creation, path, "a dictionary built from constructor arguments is not supported; use an initializer { [\"key\"] = value }");
        }

        if (!type.StartsWith(MicroVmSchema.Namespace + ".", System.StringComparison.Ordinal))
        {
            return Fail(creation, path, "'" + creation.Type!.Name + "' is not a MicroVm.Nix type the generator can read");
        }

        var result = new ObjectValue(type, EquatableArray<FieldValue>.Empty, location);
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter is null)
            {
                return Fail(argument, path, "an argument has no parameter");
            }

            // Positional records: each constructor parameter sets the property of the same name.
            var property = char.ToUpperInvariant(argument.Parameter.Name[0]) + argument.Parameter.Name.Substring(1);
            var value = Evaluate(argument.Value, path + "." + property);
            if (value is null)
            {
                return null;
            }

            result = result.With(new FieldValue(property, value));
        }

        return creation.Initializer is null ? result : ApplyInitializer(result, creation.Initializer, path);
    }

    private EvalValue? EvaluateWith(IWithOperation with, string path)
    {
        var operand = Evaluate(with.Operand, path);
        if (operand is not ObjectValue source)
        {
            return operand is null ? null : Fail(with, path, "'with' needs a record value");
        }

        return ApplyInitializer(source with { Location = LocationInfo.From(with.Syntax) }, with.Initializer, path);
    }

    private ObjectValue? ApplyInitializer(ObjectValue target, IObjectOrCollectionInitializerOperation initializer, string path)
    {
        var failed = false;
        foreach (var init in initializer.Initializers)
        {
            if (init is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: var property } } assignment)
            {
                var value = Evaluate(assignment.Value, path + "." + property.Name);
                if (value is null)
                {
                    failed = true;
                    continue;
                }

                target = target.With(new FieldValue(property.Name, value));
            }
            else
            {
                _ = Fail(init, path, "only 'Property = value' assignments are supported in an initializer");
                failed = true;
            }
        }

        return failed ? null : target;
    }

    private ListValue? EvaluateList(IEnumerable<IOperation> elements, LocationInfo? location, string path)
    {
        var items = new List<EvalValue>();
        var failed = false;
        foreach (var element in elements)
        {
            var itemPath = path + "[" + items.Count.ToString(CultureInfo.InvariantCulture) + "]";
            if (element is ISpreadOperation spread)
            {
                if (Evaluate(spread.Operand, itemPath) is ListValue spreadList)
                {
                    items.AddRange(spreadList.Items);
                }
                else
                {
                    failed = true;
                }

                continue;
            }

            var value = Evaluate(element, itemPath);
            if (value is null)
            {
                failed = true;
            }
            else
            {
                items.Add(value);
            }
        }

        return failed ? null : new ListValue(items.ToEquatableArray(), location);
    }

    /// <summary>The factories of <c>DataSize</c> the evaluator knows, with their unit in bytes.</summary>
    private static readonly Dictionary<string, long> DataSizeUnits = new()
    {
        ["FromBytes"] = 1,
        ["KiB"] = 1L << 10,
        ["MiB"] = 1L << 20,
        ["GiB"] = 1L << 30,
        ["TiB"] = 1L << 40,
    };

    /// <summary><c>DataSize.GiB(100)</c>: a DataSize whose Bytes the evaluator computes.</summary>
    private EvalValue? EvaluateDataSize(IInvocationOperation call, string path)
    {
        if (Evaluate(call.Arguments[0].Value, path) is not IntValue amount)
        {
            return null;
        }

        try
        {
            var bytes = new IntValue(checked(amount.Value * DataSizeUnits[call.TargetMethod.Name]), LocationInfo.From(call.Syntax));
            return new ObjectValue(MicroVmSchema.DataSizeType, new[] { new FieldValue("Bytes", bytes) }.ToEquatableArray(), LocationInfo.From(call.Syntax));
        }
        catch (System.OverflowException)
        {
            return Fail(call, path, "the size overflows");
        }
    }

    /// <summary><c>Disks[0]</c>: an element of a list the evaluator can read, at an index it can read.</summary>
    private EvalValue? EvaluateElement(IOperation listOperation, IOperation indexOperation, IOperation operation, string path)
    {
        var list = Evaluate(listOperation, path);
        var index = list is null ? null : Evaluate(indexOperation, path);
        return (list, index) switch
        {
            (null, _) or (_, null) => null,
            (ListValue l, IntValue i) when i.Value >= 0 && i.Value < l.Items.Count => l.Items[(int)i.Value],
            (ListValue l, IntValue i) => Fail(operation, path, "index " + i.Value.ToString(CultureInfo.InvariantCulture) + " is outside the list of " + l.Items.Count.ToString(CultureInfo.InvariantCulture)),
            (MapValue m, StringValue key) when m.Entries.FirstOrDefault(e => e.Name == key.Value) is { } entry => entry.Value,
            _ => Fail(operation, path, "only a list element at an integer index, or a dictionary entry by a key it holds, can be read"),
        };
    }

    private EvalValue? EvaluateInterpolation(IInterpolatedStringOperation interpolated, string path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var part in interpolated.Parts)
        {
            switch (part)
            {
                case IInterpolatedStringTextOperation { Text: var literal } when literal.ConstantValue is { HasValue: true, Value: string s }:
                    text.Append(s);
                    break;
                case IInterpolationOperation { Alignment: null, FormatString: null, Expression: var expression }:
                    switch (Evaluate(expression, path))
                    {
                        case StringValue s:
                            text.Append(s.Value);
                            break;
                        case IntValue i:
                            text.Append(i.Value.ToString(CultureInfo.InvariantCulture));
                            break;
                        case null:
                            return null;
                        case FloatValue:
                            return Fail(expression, path, "a double is formatted by the culture of the machine that runs the code; write the number as text");
                        default:
                            return Fail(expression, path, "only strings and integers can be interpolated");
                    }

                    break;
                default:
                    return Fail(part, path, "alignment and format strings are not supported in interpolations");
            }
        }

        return new StringValue(text.ToString(), LocationInfo.From(interpolated.Syntax));
    }

    private EvalValue? EvaluateBinary(IBinaryOperation binary, string path)
    {
        if (binary.OperatorMethod is not null)
        {
            return Fail(binary, path, "it uses a user-defined operator");
        }

        var left = Evaluate(binary.LeftOperand, path);
        var right = left is null ? null : Evaluate(binary.RightOperand, path);
        var location = LocationInfo.From(binary.Syntax);
        try
        {
            var result = (left, right, binary.OperatorKind) switch
            {
                (null, _, _) or (_, null, _) => null,
                (StringValue l, StringValue r, BinaryOperatorKind.Add) => new StringValue(l.Value + r.Value, location),
                (StringValue l, IntValue r, BinaryOperatorKind.Add) => new StringValue(l.Value + r.Value.ToString(CultureInfo.InvariantCulture), location),
                (IntValue l, StringValue r, BinaryOperatorKind.Add) => new StringValue(l.Value.ToString(CultureInfo.InvariantCulture) + r.Value, location),
                (IntValue l, IntValue r, BinaryOperatorKind.Add) => new IntValue(checked(l.Value + r.Value), location),
                (IntValue l, IntValue r, BinaryOperatorKind.Subtract) => new IntValue(checked(l.Value - r.Value), location),
                (IntValue l, IntValue r, BinaryOperatorKind.Multiply) => new IntValue(checked(l.Value * r.Value), location),
                (IntValue l, IntValue r, BinaryOperatorKind.Divide) => new IntValue(l.Value / r.Value, location),
                (IntValue l, IntValue r, BinaryOperatorKind.Remainder) => new IntValue(l.Value % r.Value, location),
                (IntValue or FloatValue, IntValue or FloatValue, var op) when Arithmetic(Number(left!), Number(right!), op) is { } number
                    => double.IsNaN(number) || double.IsInfinity(number)
                        ? Unrepresentable(binary, path, number.ToString(CultureInfo.InvariantCulture), "Nix floats have no NaN or infinity")
                        : new FloatValue(number, location),
                (StringValue, FloatValue, BinaryOperatorKind.Add) or (FloatValue, StringValue, BinaryOperatorKind.Add)
                    => Fail(binary, path, "a double is formatted by the culture of the machine that runs the code; write the number as text"),
                _ => Fail(binary, path, "the operator '" + binary.OperatorKind + "' is not supported on these values"),
            };

            // C# computes in the operation's type: an int sum that leaves int's range wraps at run time.
            return result is IntValue sum && !FitsType(sum.Value, binary.Type)
                ? Fail(binary, path, "the arithmetic overflows '" + binary.Type!.ToDisplayString() + "'")
                : result;
        }
        catch (System.DivideByZeroException)
        {
            return Fail(binary, path, "it divides by zero");
        }
        catch (System.ArithmeticException)
        {
            return Fail(binary, path, "the arithmetic overflows");
        }
    }

    private static bool FitsType(long value, ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Int32 => value is >= int.MinValue and <= int.MaxValue,
        SpecialType.System_UInt32 => value is >= 0 and <= uint.MaxValue,
        SpecialType.System_UInt64 => value >= 0,
        _ => true,
    };

    private static double Number(EvalValue value) => value is IntValue i ? i.Value : ((FloatValue)value).Value;

    /// <summary>C#'s double arithmetic (an integer operand is converted to double first), or <c>null</c> for other operators.</summary>
    private static double? Arithmetic(double left, double right, BinaryOperatorKind op) => op switch
    {
        BinaryOperatorKind.Add => left + right,
        BinaryOperatorKind.Subtract => left - right,
        BinaryOperatorKind.Multiply => left * right,
        BinaryOperatorKind.Divide => left / right,
        BinaryOperatorKind.Remainder => left % right,
        _ => null,
    };

    /// <summary><c>new Dictionary&lt;string, T&gt; { ["k"] = v, { "k", v } }</c>.</summary>
    private MapValue? EvaluateDictionary(IObjectOrCollectionInitializerOperation? initializer, LocationInfo? location, string path)
    {
        var entries = new List<FieldValue>();
        var failed = false;
        foreach (var init in initializer?.Initializers ?? [])
        {
            var (keyOperation, valueOperation) = init switch
            {
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer } assignment
                    => (indexer.Arguments[0].Value, assignment.Value),
                IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 2 } add => (add.Arguments[0].Value, add.Arguments[1].Value),
                _ => ((IOperation?)null, (IOperation?)null),
            };
            if (keyOperation is null || valueOperation is null)
            {
                _ = Fail(init, path, "only [key] = value and { key, value } entries are supported in a dictionary initializer");
                failed = true;
                continue;
            }

            var key = Evaluate(keyOperation, path);
            if (key is not StringValue keyString)
            {
                failed = true;
                if (key is not null)
                {
                    _ = Fail(keyOperation, path, "dictionary keys must be strings");
                }

                continue;
            }

            var value = Evaluate(valueOperation, path + "[\"" + keyString.Value + "\"]");
            if (value is null)
            {
                failed = true;
                continue;
            }

            entries.RemoveAll(e => e.Name == keyString.Value);
            entries.Add(new FieldValue(keyString.Value, value) { NameLocation = LocationInfo.From(keyOperation.Syntax) });
        }

        return failed ? null : new MapValue(entries.ToEquatableArray(), location);
    }

    private static bool IsDictionaryType(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 2 } named
        && named.ConstructedFrom.ToDisplayString() is "System.Collections.Generic.Dictionary<TKey, TValue>" or "System.Collections.Generic.SortedDictionary<TKey, TValue>"
        && named.TypeArguments[0].SpecialType == SpecialType.System_String;

    private static bool IsListType(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
        && named.ConstructedFrom.ToDisplayString() is "System.Collections.Generic.List<T>";

    private static EvalValue Relocate(EvalValue value, LocationInfo? location) => value with { Location = location };

    private EvalValue? Fail(IOperation operation, string path, string reason)
    {
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, LocationInfo.From(operation.Syntax), path, reason));
        return null;
    }

    internal static string MetadataName(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;
}
