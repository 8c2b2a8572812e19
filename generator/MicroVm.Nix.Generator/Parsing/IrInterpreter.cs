using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;

namespace MicroVm.Nix.Generator.Parsing;

/// <summary>
/// Computes the values of the expression model (<see cref="Expr"/>) as C# would at run time, without
/// running anything: records, lists and dictionaries, operators with C#'s semantics, <c>?:</c> and
/// <c>switch</c>, presets (evaluated once per compilation, <see cref="SymbolTable"/>) and helper calls
/// with their arguments. Every value remembers where it was written, so a problem lands where the user
/// can act: a value passed to a helper keeps its argument's location at the call site; a value a local
/// helper computes from its arguments is blamed on the argument; anything from a library is reported
/// where this project uses the library member, naming it.
/// </summary>
internal sealed class IrInterpreter
{
    /// <summary>How deep helpers may call each other (recursion ends here with MVN001).</summary>
    private const int MaxDepth = 64;

    /// <summary>How deep expressions may nest, counting the expressions inside called helpers.</summary>
    private const int MaxNesting = 1024;

    private readonly SymbolTable _symbols;
    private List<DiagnosticInfo> _diagnostics;
    private readonly CancellationToken _cancellationToken;
    private readonly HashSet<string> _following = new(System.StringComparer.Ordinal);
    private HashSet<string> _uses = new(System.StringComparer.Ordinal);

    /// <summary>Every member the evaluations so far used (presets and helpers, transitively): what the values depend on.</summary>
    public IReadOnlyCollection<string> Uses => _uses;

    /// <summary>Some field could not be read and holds an <see cref="UnreadValue"/>.</summary>
    public bool HasUnread { get; private set; }
    private int _depth;

    public IrInterpreter(SymbolTable symbols, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        _symbols = symbols;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
    }

    /// <summary>One member being evaluated: the value member or the helper, its arguments, and where a library's values are reported.</summary>
    private sealed record Frame(IrMember Member, EvalValue[] Arguments, LocationInfo? Blame, int Calls)
    {
        /// <summary>Where a node of this frame was written: its own location, or, inside a library, the use in this project.</summary>
        public LocationInfo? Locate(int node) => Blame ?? Member.LocationOf(node);

        /// <summary>Whether <paramref name="location"/> lies inside this frame's member (a local helper's declaration).</summary>
        public bool Inside(LocationInfo? location) =>
            location is not null && Member.Declaration is { } declaration
            && location.FilePath == declaration.FilePath && declaration.Span.Contains(location.Span);
    }

    /// <summary>Evaluates a value member (a <c>[MicroVmModule]</c> member or a preset); on failure reports why and returns <c>null</c>.</summary>
    /// <param name="member">The member.</param>
    /// <param name="path">What the value is, for messages: <c>Fleet.Storage</c>.</param>
    public EvalValue? Evaluate(IrMember member, string path) => Eval(member.Body, new Frame(member, [], null, 0), path);

    private EvalValue? Eval(Expr expr, Frame frame, string path)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (_depth >= MaxNesting)
        {
            return Fail(expr, frame, path, "it nests more than " + MaxNesting + " expressions deep");
        }

        _depth++;
        try
        {
            return EvalCore(expr, frame, path);
        }
        finally
        {
            _depth--;
        }
    }

    private EvalValue? EvalCore(Expr expr, Frame frame, string path)
    {
        var location = frame.Locate(expr.Node);
        switch (expr)
        {
            case ConstExpr constant:
                return constant.Value with { Location = location };
            case ParamExpr parameter:
                return frame.Arguments[parameter.Index];
            case GlobalExpr global:
                return EvalGlobal(global, frame, path);
            case CallExpr call:
                return EvalCall(call, frame, path);
            case NewExpr creation:
                return Apply(new ObjectValue(creation.Type, EquatableArray<FieldValue>.Empty, location), creation.Fields, frame, path);
            case WithExpr with:
                return Eval(with.Source, frame, path) switch
                {
                    null => null,
                    ObjectValue source => Apply(source with { Location = location }, with.Fields, frame, path),
                    _ => Fail(with, frame, path, "'with' needs a record value"),
                };
            case ListExpr list:
                return EvalList(list, frame, path);
            case DictExpr dict:
                return EvalDictionary(dict, frame, path);
            case MemberExpr member:
                return EvalMember(member, frame, path);
            case IndexExpr index:
                return EvalIndex(index, frame, path);
            case UnaryExpr unary:
                return EvalUnary(unary, frame, path);
            case BinaryExpr binary:
                return EvalBinary(binary, frame, path);
            case ConditionalExpr conditional:
                return Eval(conditional.Condition, frame, path) switch
                {
                    null => null,
                    BoolValue b => Eval(b.Value ? conditional.WhenTrue : conditional.WhenFalse, frame, path),
                    _ => Fail(conditional.Condition, frame, path, "the condition is not a bool"),
                };
            case SwitchExpr switchExpression:
                return EvalSwitch(switchExpression, frame, path);
            case InterpolationExpr interpolation:
                return EvalInterpolation(interpolation, frame, path);
            case DataSizeExpr size:
                return EvalDataSize(size, frame, path);
            case ImageExpr image:
                return Eval(image.Path, frame, path) switch
                {
                    null => null,
                    StringValue s => new ObjectValue(MicroVmSchema.HostPathImageType, new[] { new FieldValue("Path", s) }.ToEquatableArray(), location),
                    NullValue n => n,
                    _ => Fail(image, frame, path, "a disk image is a host path string or a Zvol"),
                };
            case EnumCastExpr cast:
                return Eval(cast.Value, frame, path) switch
                {
                    null => null,
                    IntValue number when cast.Members.FirstOrDefault(m => m.Value == number.Value) is { } member => new EnumValue(cast.EnumType, member.Name, location),
                    IntValue number => Fail(cast, frame, path, Number(number.Value) + " is not a member of " + cast.EnumType.Split('.').Last()),
                    var other => Fail(cast, frame, path, other.Describe() + " is not a number"),
                };
            case EnumToIntExpr toInt:
                return Eval(toInt.Value, frame, path) switch
                {
                    null => null,
                    EnumValue e when toInt.Members.FirstOrDefault(m => m.Name == e.Member) is { } member => new IntValue(member.Value, Blame(frame, location, e)),
                    var other => Fail(toInt, frame, path, other.Describe() + " is not a member of " + toInt.EnumType.Split('.').Last()),
                };
            case ToDoubleExpr toDouble:
                return Eval(toDouble.Value, frame, path) switch
                {
                    null => null,
                    IntValue i => new FloatValue(i.Value, Blame(frame, location, i)),
                    var other => other,
                };
            case UnrepresentableExpr unrepresentable:
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueNixCannotHold, location, path, unrepresentable.Value, unrepresentable.Reason));
                return null;
            case ErrorExpr { CompilerError: true }:
                return null;
            case ErrorExpr error:
                return Fail(error, frame, path, error.Reason);
            default:
                return Fail(expr, frame, path, "this kind of expression is not supported");
        }
    }

    /// <summary>
    /// Where a value computed inside a helper is reported: on the first operand that came from outside
    /// the helper (an argument, at its call site), else where the helper computes it (for a library's
    /// helper, the use in this project, which every value computed inside it carries).
    /// </summary>
    private static LocationInfo? Blame(Frame frame, LocationInfo? location, params EvalValue?[] operands)
    {
        if (frame.Member.Kind != IrMemberKind.Helper)
        {
            return location;
        }

        return operands.Select(o => o?.Location)
            .FirstOrDefault(l => l is not null && (frame.Blame is null ? !frame.Inside(l) : l.Via is null)) ?? location;
    }

    private static EvalValue Relocate(EvalValue value, LocationInfo? location) =>
        value is ObjectValue or ListValue or MapValue ? value : value with { Location = location };

    private EvalValue? EvalGlobal(GlobalExpr global, Frame frame, string path)
    {
        var location = frame.Locate(global.Node);
        _uses.Add(global.Key);
        var member = _symbols.Find(global.Key, _cancellationToken, out var problem);
        if (member is null)
        {
            return Problem(global, frame, path, problem!);
        }

        if (member.Kind != IrMemberKind.Value)
        {
            return Fail(global, frame, path, "'" + member.Name + "' is a method");
        }

        if (member.SyntaxErrors)
        {
            return Fail(global, frame, path, "the declaration of '" + global.Name.Split('.').Last() + "' has syntax errors");
        }

        if (_symbols.TryGetValue(global.Key, out var cached, out var cachedDiagnostics, out var cachedUses) && frame.Blame is null && member.Library is null)
        {
            _uses.UnionWith(cachedUses);
            _diagnostics.AddRange(cachedDiagnostics);
            return cached is null ? null : Relocate(cached, location);
        }

        if (!_following.Add(global.Key))
        {
            return Fail(global, frame, path, "'" + global.Name + "' refers to itself");
        }

        try
        {
            // A library member is reported where this project uses it; a local one where it is written.
            // The preset's own diagnostics are kept with its value, for every VM that uses it.
            var blame = member.Library is not null ? frame.Blame ?? Via(location, member) : null;
            var outer = _diagnostics;
            var outerUses = _uses;
            var own = new List<DiagnosticInfo>();
            var ownUses = new HashSet<string>(System.StringComparer.Ordinal);
            _diagnostics = own;
            _uses = ownUses;
            EvalValue? value;
            try
            {
                value = Eval(member.Body, new Frame(member, [], blame, frame.Calls), path);
            }
            finally
            {
                _diagnostics = outer;
                _uses = outerUses;
            }

            if (blame is null)
            {
                _symbols.SetValue(global.Key, value, own, ownUses);
            }

            _diagnostics.AddRange(own);
            _uses.UnionWith(ownUses);

            // A scalar read through a reference is reported where it is used; a record keeps the locations
            // inside its declaration, which is where its fields are fixed.
            return value is null ? null : Relocate(value, location);
        }
        finally
        {
            _following.Remove(global.Key);
        }
    }

    /// <summary>The use of a library member in this project, naming the member for the diagnostic.</summary>
    private static LocationInfo? Via(LocationInfo? use, IrMember member) =>
        use is null ? null : use with { Via = member.Name + " in " + member.Library };

    private EvalValue? EvalCall(CallExpr call, Frame frame, string path)
    {
        var location = frame.Locate(call.Node);
        _uses.Add(call.Key);
        var member = _symbols.Find(call.Key, _cancellationToken, out var problem);
        if (member is null)
        {
            return Problem(call, frame, path, problem!);
        }

        if (member.Kind != IrMemberKind.Helper || member.Parameters.Count != call.Arguments.Count)
        {
            return Fail(call, frame, path, "'" + member.Name + "' is not a helper the generator can call");
        }

        if (member.SyntaxErrors)
        {
            return Fail(call, frame, path, "the declaration of '" + call.Name.Split('.').Last() + "' has syntax errors");
        }

        if (frame.Calls >= MaxDepth)
        {
            return Fail(call, frame, path, "helpers call each other more than " + MaxDepth + " deep (a helper that calls itself without end?)");
        }

        var arguments = new EvalValue[call.Arguments.Count];
        var failed = false;
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = Eval(call.Arguments[i], frame, path);
            if (argument is null)
            {
                failed = true;
            }
            else
            {
                arguments[i] = argument;
            }
        }

        if (failed)
        {
            return null;
        }

        var blame = member.Library is not null ? frame.Blame ?? Via(location, member) : null;
        return Eval(member.Body, new Frame(member, arguments, blame, frame.Calls + 1), path);
    }

    private EvalValue? Problem(Expr expr, Frame frame, string path, LookupProblem problem)
    {
        if (!problem.Version)
        {
            return Fail(expr, frame, path, problem.Reason);
        }

        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LibraryVersion, frame.Locate(expr.Node), path, problem.Reason));
        return null;
    }

    /// <summary>
    /// Sets the fields of an object. A field whose value cannot be read (its diagnostic is already reported) becomes an
    /// <see cref="UnreadValue"/>, and the others are still read: one mistake does not hide the rest of the VM's.
    /// </summary>
    private ObjectValue Apply(ObjectValue target, EquatableArray<FieldInit> fields, Frame frame, string path)
    {
        foreach (var field in fields)
        {
            var value = Eval(field.Value, frame, path + "." + field.Name);
            if (value is null)
            {
                value = new UnreadValue(frame.Locate(field.Value.Node));
                HasUnread = true;
            }

            target = target.With(new FieldValue(field.Name, value));
        }

        return target;
    }

    private ListValue? EvalList(ListExpr list, Frame frame, string path)
    {
        var items = new List<EvalValue>();
        var failed = false;
        foreach (var item in list.Items)
        {
            var itemPath = path + "[" + Number(items.Count) + "]";
            var value = Eval(item.Value, frame, itemPath);
            if (value is null)
            {
                failed = true;
            }
            else if (!item.Spread)
            {
                items.Add(value);
            }
            else if (value is ListValue spread)
            {
                items.AddRange(spread.Items);
            }
            else
            {
                _ = Fail(item.Value, frame, itemPath, "only a list can be spread");
                failed = true;
            }
        }

        return failed ? null : new ListValue(items.ToEquatableArray(), frame.Locate(list.Node));
    }

    private MapValue? EvalDictionary(DictExpr dict, Frame frame, string path)
    {
        var entries = new List<FieldValue>();
        var failed = false;
        foreach (var entry in dict.Entries)
        {
            var key = Eval(entry.Key, frame, path);
            if (key is not StringValue keyString)
            {
                failed = true;
                if (key is not null)
                {
                    _ = Fail(entry.Key, frame, path, "dictionary keys must be strings");
                }

                continue;
            }

            var value = Eval(entry.Value, frame, path + "[\"" + keyString.Value + "\"]");
            if (value is null)
            {
                failed = true;
                continue;
            }

            entries.RemoveAll(e => e.Name == keyString.Value);
            entries.Add(new FieldValue(keyString.Value, value) { NameLocation = frame.Blame ?? frame.Member.LocationOf(entry.KeyNode) ?? keyString.Location });
        }

        return failed ? null : new MapValue(entries.ToEquatableArray(), frame.Locate(dict.Node));
    }

    /// <summary>
    /// <c>Base.Volumes</c>, <c>Base.Mem</c>, <c>Disks[0].Image</c>, <c>Names.Count</c>: a property of a value. A
    /// record property the source did not set has the runtime's default (<see cref="MicroVmSchema.CSharpDefault"/>);
    /// a few computed properties of the runtime's types are computed as the runtime does.
    /// </summary>
    private EvalValue? EvalMember(MemberExpr member, Frame frame, string path)
    {
        var target = Eval(member.Target, frame, path);
        var location = frame.Locate(member.Node);
        switch (target)
        {
            case null:
                return null;
            case NullValue:
                return Fail(member, frame, path, "it reads '" + member.Name + "' of a null value, which throws at run time");
            case ListValue list when member.Name is "Count" or "Length":
                return new IntValue(list.Items.Count, location);
            case MapValue map when member.Name == "Count":
                return new IntValue(map.Entries.Count, location);
            case StringValue text when member.Name == "Length":
                return new IntValue(text.Value.Length, Blame(frame, location, text));
            case ObjectValue record when record.Get(member.Name) is { } field:
                return Relocate(field.Value, location);
            case ObjectValue image when member.Name == "HostPath" && Validation.VmValidator.HostPath(image) is { } hostPath:
                return new StringValue(hostPath, location);
            case ObjectValue zvol when member.Name == "Name" && Validation.VmValidator.ZvolName(zvol) is { } zfsName:
                return new StringValue(zfsName, location);
            case ObjectValue image when member.Name == "IsBlockDevice" && Validation.VmValidator.HostPath(image) is { } devicePath:
                return new BoolValue(Validation.VmValidator.IsBlockDevice(devicePath), location);
            case ObjectValue record when MicroVmSchema.Find(record.Type)?.Find(member.Name) is { } option:
                return MicroVmSchema.CSharpDefault(option, member.NullableInCSharp) with { Location = location };
            case ObjectValue { Type: MicroVmSchema.ZvolType } when member.Name == "Create":
                return new NullValue(location);
            default:
                return Fail(member, frame, path, "reading '" + member.Name + "' of " + target.Describe() + " is not supported");
        }
    }

    /// <summary><c>Disks[0]</c>: an element of a list at an integer index, or a dictionary entry by a key it holds.</summary>
    private EvalValue? EvalIndex(IndexExpr index, Frame frame, string path)
    {
        var list = Eval(index.Target, frame, path);
        var key = list is null ? null : Eval(index.Index, frame, path);
        return (list, key) switch
        {
            (null, _) or (_, null) => null,
            (ListValue l, IntValue i) when i.Value >= 0 && i.Value < l.Items.Count => l.Items[(int)i.Value],
            (ListValue l, IntValue i) => Fail(index, frame, path, "index " + Number(i.Value) + " is outside the list of " + Number(l.Items.Count)),
            (MapValue m, StringValue k) when m.Entries.FirstOrDefault(e => e.Name == k.Value) is { } entry => entry.Value,
            (MapValue, StringValue k) => Fail(index, frame, path, "the dictionary has no key \"" + k.Value + "\", which throws at run time"),
            _ => Fail(index, frame, path, "only a list element at an integer index, or a dictionary entry by a key it holds, can be read"),
        };
    }

    private EvalValue? EvalUnary(UnaryExpr unary, Frame frame, string path)
    {
        var operand = Eval(unary.Operand, frame, path);
        var location = Blame(frame, frame.Locate(unary.Node), operand);
        return (operand, unary.Operator) switch
        {
            (null, _) => null,
            (IntValue i, "Plus") => i with { Location = location },
            (FloatValue f, "Plus") => f with { Location = location },
            (IntValue i, "Minus") when i.Value == long.MinValue => Fail(unary, frame, path, "the arithmetic overflows"),
            (IntValue i, "Minus") => new IntValue(-i.Value, location),
            (FloatValue f, "Minus") => new FloatValue(-f.Value, location),
            (BoolValue b, "Not") => new BoolValue(!b.Value, location),
            _ => Fail(unary, frame, path, "'" + unary.Operator + "' does not apply to " + operand.Describe()),
        };
    }

    private EvalValue? EvalBinary(BinaryExpr binary, Frame frame, string path)
    {
        var left = Eval(binary.Left, frame, path);
        if (left is null)
        {
            return null;
        }

        // Short-circuit operators evaluate their right side only when C# would.
        switch (binary.Operator, left)
        {
            case ("ConditionalAnd", BoolValue { Value: false }):
            case ("ConditionalOr", BoolValue { Value: true }):
                return left with { Location = Blame(frame, frame.Locate(binary.Node), left) };
            case ("Coalesce", not NullValue):
                return left;
            case ("Coalesce", NullValue):
                return Eval(binary.Right, frame, path);
        }

        var right = Eval(binary.Right, frame, path);
        if (right is null)
        {
            return null;
        }

        var location = Blame(frame, frame.Locate(binary.Node), left, right);
        try
        {
            var result = (left, right, binary.Operator) switch
            {
                (BoolValue l, BoolValue r, "ConditionalAnd" or "And") => new BoolValue(l.Value && r.Value, location),
                (BoolValue l, BoolValue r, "ConditionalOr" or "Or") => new BoolValue(l.Value || r.Value, location),
                (_, _, "Equals") => Equality(left, right) is { } equal ? new BoolValue(equal, location) : Fail(binary, frame, path, "'==' does not compare " + left.Describe() + " with " + right.Describe()),
                (_, _, "NotEquals") => Equality(left, right) is { } equal ? new BoolValue(!equal, location) : Fail(binary, frame, path, "'!=' does not compare " + left.Describe() + " with " + right.Describe()),
                (IntValue or FloatValue, IntValue or FloatValue, "LessThan" or "LessThanOrEqual" or "GreaterThan" or "GreaterThanOrEqual") => new BoolValue(Compare(left, right, binary.Operator), location),
                (StringValue l, StringValue r, "Add") => new StringValue(l.Value + r.Value, location),
                (StringValue l, IntValue r, "Add") => new StringValue(l.Value + Number(r.Value), location),
                (IntValue l, StringValue r, "Add") => new StringValue(Number(l.Value) + r.Value, location),
                (StringValue l, NullValue, "Add") => new StringValue(l.Value, location),
                (NullValue, StringValue r, "Add") => new StringValue(r.Value, location),
                (IntValue l, IntValue r, "Add") => new IntValue(checked(l.Value + r.Value), location),
                (IntValue l, IntValue r, "Subtract") => new IntValue(checked(l.Value - r.Value), location),
                (IntValue l, IntValue r, "Multiply") => new IntValue(checked(l.Value * r.Value), location),
                (IntValue l, IntValue r, "Divide") => new IntValue(l.Value / r.Value, location),
                (IntValue l, IntValue r, "Remainder") => new IntValue(l.Value % r.Value, location),
                (IntValue or FloatValue, IntValue or FloatValue, var op) when Arithmetic(Double(left), Double(right), op) is { } number
                    => double.IsNaN(number) || double.IsInfinity(number)
                        ? Unrepresentable(binary, frame, path, number.ToString(CultureInfo.InvariantCulture), "Nix floats have no NaN or infinity")
                        : new FloatValue(number, location),
                (StringValue, FloatValue, "Add") or (FloatValue, StringValue, "Add")
                    => Fail(binary, frame, path, "a double is formatted by the culture of the machine that runs the code; write the number as text"),
                _ => Fail(binary, frame, path, "the operator '" + binary.Operator + "' is not supported on " + left.Describe() + " and " + right.Describe()),
            };

            // C# computes in the operation's type: an int sum that leaves int's range wraps at run time.
            return result is IntValue sum && !FitsType(sum.Value, binary.ResultType)
                ? FailAt(location, path, "the arithmetic overflows C#'s '" + TypeName(binary.ResultType) + "', which would wrap at run time")
                : result;
        }
        catch (System.DivideByZeroException)
        {
            return FailAt(location, path, "it divides by zero");
        }
        catch (System.ArithmeticException)
        {
            return FailAt(location, path, "the arithmetic overflows");
        }
    }

    /// <summary>C#'s <c>==</c> on the values the model has, or <c>null</c> where C# would not compare them.</summary>
    private static bool? Equality(EvalValue left, EvalValue right) => (left, right) switch
    {
        (NullValue, NullValue) => true,
        (NullValue, _) or (_, NullValue) => false,
        (IntValue or FloatValue, IntValue or FloatValue) => Double(left) == Double(right) && (left is not IntValue l || right is not IntValue r || l.Value == r.Value),
        (StringValue l, StringValue r) => l.Value == r.Value,
        (BoolValue l, BoolValue r) => l.Value == r.Value,
        (EnumValue l, EnumValue r) when l.Type == r.Type => l.Member == r.Member,
        _ => null,
    };

    private static bool Compare(EvalValue left, EvalValue right, string op)
    {
        var order = left is IntValue l && right is IntValue r ? l.Value.CompareTo(r.Value) : Double(left).CompareTo(Double(right));
        return op switch
        {
            "LessThan" => order < 0,
            "LessThanOrEqual" => order <= 0,
            "GreaterThan" => order > 0,
            _ => order >= 0,
        };
    }

    private EvalValue? EvalSwitch(SwitchExpr switchExpression, Frame frame, string path)
    {
        var subject = Eval(switchExpression.Subject, frame, path);
        if (subject is null)
        {
            return null;
        }

        foreach (var arm in switchExpression.Arms)
        {
            if (!Matches(arm.Pattern, subject))
            {
                continue;
            }

            if (arm.Guard is { } guard)
            {
                switch (Eval(guard, frame, path))
                {
                    case null:
                        return null;
                    case BoolValue { Value: false }:
                        continue;
                    case BoolValue:
                        break;
                    default:
                        return Fail(guard, frame, path, "the 'when' condition is not a bool");
                }
            }

            return Eval(arm.Value, frame, path);
        }

        // The subject decides which arm matches: a helper's argument is reported where it is passed.
        return FailAt(Blame(frame, frame.Locate(switchExpression.Node), subject), path, "no arm of the switch matches " + subject.Describe() + ", which throws at run time");
    }

    private static bool Matches(Pattern pattern, EvalValue value) => pattern switch
    {
        DiscardPattern => true,
        ConstantPattern c => Equality(value, c.Value) == true,
        RelationalPattern r => value is IntValue or FloatValue && r.Value is IntValue or FloatValue && Compare(value, r.Value, r.Operator),
        NotPattern n => !Matches(n.Operand, value),
        CombinedPattern { Operator: "And" } c => Matches(c.Left, value) && Matches(c.Right, value),
        CombinedPattern c => Matches(c.Left, value) || Matches(c.Right, value),
        _ => false,
    };

    private EvalValue? EvalInterpolation(InterpolationExpr interpolation, Frame frame, string path)
    {
        var text = new System.Text.StringBuilder();
        var parts = new List<EvalValue?>();
        foreach (var part in interpolation.Parts)
        {
            var value = Eval(part, frame, path);
            parts.Add(value);
            switch (value)
            {
                case null:
                    return null;
                case StringValue s:
                    text.Append(s.Value);
                    break;
                case IntValue i:
                    text.Append(Number(i.Value));
                    break;
                case BoolValue b:
                    text.Append(b.Value ? "True" : "False");
                    break;
                case EnumValue e:
                    text.Append(e.Member);
                    break;
                case NullValue:
                    break;
                case FloatValue:
                    return Fail(part, frame, path, "a double is formatted by the culture of the machine that runs the code; write the number as text");
                default:
                    return Fail(part, frame, path, "only strings, integers, bools and enum members can be interpolated");
            }
        }

        return new StringValue(text.ToString(), Blame(frame, frame.Locate(interpolation.Node), [.. parts]));
    }

    /// <summary><c>DataSize.GiB(100)</c>: a DataSize whose Bytes the interpreter computes.</summary>
    private EvalValue? EvalDataSize(DataSizeExpr size, Frame frame, string path)
    {
        if (Eval(size.Amount, frame, path) is not IntValue amount)
        {
            return null;
        }

        var location = Blame(frame, frame.Locate(size.Node), amount);
        try
        {
            var bytes = new IntValue(checked(amount.Value * size.Unit), location);
            return new ObjectValue(MicroVmSchema.DataSizeType, new[] { new FieldValue("Bytes", bytes) }.ToEquatableArray(), location);
        }
        catch (System.OverflowException)
        {
            return Fail(size, frame, path, "the size overflows");
        }
    }

    private static double Double(EvalValue value) => value is IntValue i ? i.Value : ((FloatValue)value).Value;

    /// <summary>C#'s double arithmetic (an integer operand is converted to double first), or <c>null</c> for other operators.</summary>
    private static double? Arithmetic(double left, double right, string op) => op switch
    {
        "Add" => left + right,
        "Subtract" => left - right,
        "Multiply" => left * right,
        "Divide" => left / right,
        "Remainder" => left % right,
        _ => null,
    };

    private static bool FitsType(long value, string? type) => type switch
    {
        "System_Int32" => value is >= int.MinValue and <= int.MaxValue,
        "System_UInt32" => value is >= 0 and <= uint.MaxValue,
        "System_UInt64" => value >= 0,
        _ => true,
    };

    /// <summary>The C# keyword of a special type (<c>System_Int32</c> → <c>int</c>).</summary>
    private static string? TypeName(string? specialType) => specialType switch
    {
        "System_Int32" => "int",
        "System_UInt32" => "uint",
        "System_UInt64" => "ulong",
        "System_Int64" => "long",
        _ => specialType,
    };

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private EvalValue? Unrepresentable(Expr expr, Frame frame, string path, string value, string reason)
    {
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueNixCannotHold, frame.Locate(expr.Node), path, value, reason));
        return null;
    }

    private EvalValue? FailAt(LocationInfo? location, string path, string reason)
    {
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, location, path, reason));
        return null;
    }

    private EvalValue? Fail(Expr expr, Frame frame, string path, string reason)
    {
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, frame.Locate(expr.Node), path, reason));
        return null;
    }
}
