using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Library;

/// <summary>A library's description as read back: its members by key, or why it cannot be used.</summary>
/// <param name="Assembly">The library's assembly name.</param>
/// <param name="Members">The described members, by key.</param>
/// <param name="Problem">Why the description cannot be used (another format version, unreadable), or <c>null</c>.</param>
/// <param name="VersionMismatch">Whether <paramref name="Problem"/> is a format version this generator does not read.</param>
internal sealed record LibraryDescription(string Assembly, IReadOnlyDictionary<string, IrMember> Members, string? Problem, bool VersionMismatch = false);

/// <summary>
/// The compile-time description a library carries in its assembly
/// (<c>[assembly: AssemblyMetadata("MicroVm.Nix.Library", …)]</c>): its public static presets and helpers,
/// and every member of its own they use, as <see cref="IrMember"/>s, in a small versioned text format
/// of nested lists. A project that references the library evaluates these members exactly as its own
/// source, with no library source and no code run. Nothing in it is locations: problems in a library
/// member are reported where the consuming project uses it, naming the member.
/// </summary>
internal static class LibraryFormat
{
    /// <summary>The assembly metadata key of the description.</summary>
    public const string MetadataKey = "MicroVm.Nix.Library";

    /// <summary>The format this generator writes and reads; a description in another version is refused, never guessed at.</summary>
    public const string Version = "microvm-nix-library/1";

    public static string Write(IEnumerable<IrMember> members)
    {
        var text = new StringBuilder(Version).Append('\n');
        foreach (var member in members.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            text.Append("(member ");
            Str(text, member.Key);
            text.Append(' ');
            Str(text, member.Name);
            text.Append(member.Kind == IrMemberKind.Helper ? " helper (params" : " value (params");
            foreach (var parameter in member.Parameters)
            {
                text.Append(' ');
                Str(text, parameter);
            }

            text.Append(") ");
            Write(text, member.Body);
            text.Append(")\n");
        }

        return text.ToString();
    }

    private static void Str(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                default:
                    if (c < 0x20 || c == 0x7F)
                    {
                        text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }

    private static void Open(StringBuilder text, string head) => text.Append('(').Append(head);

    private static void Write(StringBuilder text, EvalValue value)
    {
        switch (value)
        {
            case NullValue:
                text.Append("null");
                break;
            case BoolValue b:
                text.Append(b.Value ? "true" : "false");
                break;
            case IntValue i:
                text.Append("(int ").Append(i.Value.ToString(CultureInfo.InvariantCulture)).Append(')');
                break;
            case FloatValue f:
                text.Append("(float ").Append(BitConverter.DoubleToInt64Bits(f.Value).ToString("X16", CultureInfo.InvariantCulture)).Append(')');
                break;
            case StringValue s:
                text.Append("(str ");
                Str(text, s.Value);
                text.Append(')');
                break;
            case EnumValue e:
                text.Append("(enum ");
                Str(text, e.Type);
                text.Append(' ');
                Str(text, e.Member);
                text.Append(')');
                break;
            default:
                throw new InvalidOperationException("No library form for the constant " + value.Describe());
        }
    }

    private static void Write(StringBuilder text, Expr expr)
    {
        void Sub(Expr e)
        {
            text.Append(' ');
            Write(text, e);
        }

        void S(string s)
        {
            text.Append(' ');
            Str(text, s);
        }

        void Enum(string type, EquatableArray<EnumMember> members, Expr value)
        {
            S(type);
            text.Append(" (");
            text.Append(string.Join(" ", members.Select(m => "(m " + Quote(m.Name) + " " + m.Value.ToString(CultureInfo.InvariantCulture) + ")")));
            text.Append(')');
            Sub(value);
        }

        switch (expr)
        {
            case ConstExpr c:
                Open(text, "const ");
                Write(text, c.Value);
                break;
            case ParamExpr p:
                Open(text, "param ");
                text.Append(p.Index.ToString(CultureInfo.InvariantCulture));
                S(p.Name);
                break;
            case GlobalExpr g:
                Open(text, "global");
                S(g.Key);
                S(g.Name);
                break;
            case CallExpr call:
                Open(text, "call");
                S(call.Key);
                S(call.Name);
                foreach (var argument in call.Arguments)
                {
                    Sub(argument);
                }

                break;
            case NewExpr n:
                Open(text, "new");
                S(n.Type);
                Fields(n.Fields);
                break;
            case WithExpr w:
                Open(text, "with");
                Sub(w.Source);
                Fields(w.Fields);
                break;
            case ListExpr list:
                Open(text, "list");
                foreach (var item in list.Items)
                {
                    text.Append(item.Spread ? " (spread" : " (item");
                    Sub(item.Value);
                    text.Append(')');
                }

                break;
            case DictExpr dict:
                Open(text, "dict");
                foreach (var entry in dict.Entries)
                {
                    text.Append(" (entry");
                    Sub(entry.Key);
                    Sub(entry.Value);
                    text.Append(')');
                }

                break;
            case MemberExpr m:
                Open(text, "member");
                Sub(m.Target);
                S(m.Name);
                text.Append(m.NullableInCSharp ? " true" : " false");
                break;
            case IndexExpr ix:
                Open(text, "index");
                Sub(ix.Target);
                Sub(ix.Index);
                break;
            case UnaryExpr u:
                Open(text, "unary");
                S(u.Operator);
                Sub(u.Operand);
                break;
            case BinaryExpr b:
                Open(text, "binary");
                S(b.Operator);
                S(b.ResultType ?? string.Empty);
                Sub(b.Left);
                Sub(b.Right);
                break;
            case ConditionalExpr c:
                Open(text, "cond");
                Sub(c.Condition);
                Sub(c.WhenTrue);
                Sub(c.WhenFalse);
                break;
            case SwitchExpr sw:
                Open(text, "switch");
                Sub(sw.Subject);
                foreach (var arm in sw.Arms)
                {
                    text.Append(" (arm ");
                    Write(text, arm.Pattern);
                    if (arm.Guard is { } guard)
                    {
                        text.Append(" (guard");
                        Sub(guard);
                        text.Append(')');
                    }
                    else
                    {
                        text.Append(" (noguard)");
                    }

                    Sub(arm.Value);
                    text.Append(')');
                }

                break;
            case InterpolationExpr interpolation:
                Open(text, "interp");
                foreach (var part in interpolation.Parts)
                {
                    Sub(part);
                }

                break;
            case DataSizeExpr size:
                Open(text, "datasize ");
                text.Append(size.Unit.ToString(CultureInfo.InvariantCulture));
                Sub(size.Amount);
                break;
            case ImageExpr image:
                Open(text, "image");
                Sub(image.Path);
                break;
            case EnumCastExpr cast:
                Open(text, "enumcast");
                Enum(cast.EnumType, cast.Members, cast.Value);
                break;
            case EnumToIntExpr toInt:
                Open(text, "enumint");
                Enum(toInt.EnumType, toInt.Members, toInt.Value);
                break;
            case ToDoubleExpr d:
                Open(text, "todouble");
                Sub(d.Value);
                break;
            case ErrorExpr error:
                Open(text, "error");
                S(error.Reason);
                break;
            case UnrepresentableExpr u:
                Open(text, "unrep");
                S(u.Value);
                S(u.Reason);
                break;
            default:
                throw new InvalidOperationException("No library form for " + expr.GetType().Name);
        }

        text.Append(')');

        void Fields(EquatableArray<FieldInit> fields)
        {
            foreach (var field in fields)
            {
                text.Append(" (field");
                S(field.Name);
                Sub(field.Value);
                text.Append(')');
            }
        }
    }

    private static string Quote(string value)
    {
        var text = new StringBuilder();
        Str(text, value);
        return text.ToString();
    }

    private static void Write(StringBuilder text, Pattern pattern)
    {
        switch (pattern)
        {
            case DiscardPattern:
                text.Append("(discard)");
                break;
            case ConstantPattern c:
                text.Append("(pconst ");
                Write(text, c.Value);
                text.Append(')');
                break;
            case RelationalPattern r:
                text.Append("(prel ");
                Str(text, r.Operator);
                text.Append(' ');
                Write(text, r.Value);
                text.Append(')');
                break;
            case NotPattern n:
                text.Append("(pnot ");
                Write(text, n.Operand);
                text.Append(')');
                break;
            case CombinedPattern c:
                text.Append("(pcomb ");
                Str(text, c.Operator);
                text.Append(' ');
                Write(text, c.Left);
                text.Append(' ');
                Write(text, c.Right);
                text.Append(')');
                break;
            default:
                throw new InvalidOperationException("No library form for " + pattern.GetType().Name);
        }
    }

    /// <summary>Reads a description; a description of another version, or one that does not read, has a <see cref="LibraryDescription.Problem"/>.</summary>
    public static LibraryDescription Parse(string assembly, string text)
    {
        var newline = text.IndexOf('\n');
        var header = newline < 0 ? text : text.Substring(0, newline);
        if (header != Version)
        {
            return new LibraryDescription(assembly, new Dictionary<string, IrMember>(), assembly
                + " was built by a MicroVm.Nix that describes libraries as '" + (header.Length > 40 ? header.Substring(0, 40) + "…" : header)
                + "', and this MicroVm.Nix reads '" + Version + "': build the library and this project with the same MicroVm.Nix version", VersionMismatch: true);
        }

        try
        {
            var reader = new Reader(text, newline + 1);
            var members = new Dictionary<string, IrMember>(StringComparer.Ordinal);
            while (reader.More())
            {
                var member = reader.Member(assembly);
                members[member.Key] = member;
            }

            return new LibraryDescription(assembly, members, null);
        }
        catch (FormatException e)
        {
            return new LibraryDescription(assembly, new Dictionary<string, IrMember>(), "the MicroVm.Nix description of " + assembly + " cannot be read (" + e.Message + "): rebuild the library");
        }
    }

    /// <summary>A reader of the nested-list text, one token at a time.</summary>
    private sealed class Reader(string text, int position)
    {
        private int _position = position;

        public bool More()
        {
            SkipBlanks();
            return _position < text.Length;
        }

        private void SkipBlanks()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private FormatException Bad(string what) => new(what + " at " + _position.ToString(CultureInfo.InvariantCulture));

        private void Expect(char c)
        {
            SkipBlanks();
            if (_position >= text.Length || text[_position] != c)
            {
                throw Bad("'" + c + "' expected");
            }

            _position++;
        }

        private bool Peek(char c)
        {
            SkipBlanks();
            return _position < text.Length && text[_position] == c;
        }

        private string Atom()
        {
            SkipBlanks();
            var start = _position;
            while (_position < text.Length && !char.IsWhiteSpace(text[_position]) && text[_position] is not ('(' or ')' or '"'))
            {
                _position++;
            }

            return start == _position ? throw Bad("a word expected") : text.Substring(start, _position - start);
        }

        private string String()
        {
            Expect('"');
            var value = new StringBuilder();
            while (true)
            {
                if (_position >= text.Length)
                {
                    throw Bad("unclosed string");
                }

                var c = text[_position++];
                if (c == '"')
                {
                    return value.ToString();
                }

                if (c == '\\')
                {
                    var escaped = text[_position++];
                    if (escaped == 'u')
                    {
                        value.Append((char)int.Parse(text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        _position += 4;
                    }
                    else
                    {
                        value.Append(escaped);
                    }
                }
                else
                {
                    value.Append(c);
                }
            }
        }

        private long Long() => long.Parse(Atom(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

        private int Int() => int.Parse(Atom(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

        public IrMember Member(string assembly)
        {
            Expect('(');
            if (Atom() != "member")
            {
                throw Bad("member expected");
            }

            var key = String();
            var name = String();
            var kind = Atom() switch
            {
                "helper" => IrMemberKind.Helper,
                "value" => IrMemberKind.Value,
                var other => throw Bad("unknown member kind " + other),
            };
            Expect('(');
            if (Atom() != "params")
            {
                throw Bad("params expected");
            }

            var parameters = new List<string>();
            while (!Peek(')'))
            {
                parameters.Add(String());
            }

            Expect(')');
            var body = Expr();
            Expect(')');
            return new IrMember(key, name, kind, parameters.ToEquatableArray(), body) { Library = assembly };
        }

        private EvalValue Constant()
        {
            if (!Peek('('))
            {
                return Atom() switch
                {
                    "null" => new NullValue(null),
                    "true" => new BoolValue(true, null),
                    "false" => new BoolValue(false, null),
                    var other => throw Bad("unknown constant " + other),
                };
            }

            Expect('(');
            EvalValue value = Atom() switch
            {
                "int" => new IntValue(Long(), null),
                "float" => new FloatValue(BitConverter.Int64BitsToDouble(long.Parse(Atom(), NumberStyles.HexNumber, CultureInfo.InvariantCulture)), null),
                "str" => new StringValue(String(), null),
                "enum" => new EnumValue(String(), String(), null),
                var other => throw Bad("unknown constant " + other),
            };
            Expect(')');
            return value;
        }

        private Pattern Pattern()
        {
            Expect('(');
            Pattern pattern = Atom() switch
            {
                "discard" => new DiscardPattern(),
                "pconst" => new ConstantPattern(Constant()),
                "prel" => new RelationalPattern(String(), Constant()),
                "pnot" => new NotPattern(Pattern()),
                "pcomb" => new CombinedPattern(String(), Pattern(), Pattern()),
                var other => throw Bad("unknown pattern " + other),
            };
            Expect(')');
            return pattern;
        }

        private List<T> Until<T>(Func<T> read)
        {
            var items = new List<T>();
            while (!Peek(')'))
            {
                items.Add(read());
            }

            return items;
        }

        private FieldInit Field()
        {
            Expect('(');
            if (Atom() != "field")
            {
                throw Bad("field expected");
            }

            var field = new FieldInit(String(), Expr());
            Expect(')');
            return field;
        }

        private Expr Expr()
        {
            Expect('(');
            const int node = -1;
            Expr expr = Atom() switch
            {
                "const" => new ConstExpr(Constant(), node),
                "param" => new ParamExpr(Int(), String(), node),
                "global" => new GlobalExpr(String(), String(), node),
                "call" => new CallExpr(String(), String(), Until(Expr).ToEquatableArray(), node),
                "new" => new NewExpr(String(), Until(Field).ToEquatableArray(), node),
                "with" => new WithExpr(Expr(), Until(Field).ToEquatableArray(), node),
                "list" => new ListExpr(Until(Item).ToEquatableArray(), node),
                "dict" => new DictExpr(Until(Entry).ToEquatableArray(), node),
                "member" => new MemberExpr(Expr(), String(), Atom() == "true", node),
                "index" => new IndexExpr(Expr(), Expr(), node),
                "unary" => new UnaryExpr(String(), Expr(), node),
                "binary" => Binary(),
                "cond" => new ConditionalExpr(Expr(), Expr(), Expr(), node),
                "switch" => new SwitchExpr(Expr(), Until(Arm).ToEquatableArray(), node),
                "interp" => new InterpolationExpr(Until(Expr).ToEquatableArray(), node),
                "datasize" => new DataSizeExpr(Long(), Expr(), node),
                "image" => new ImageExpr(Expr(), node),
                "enumcast" => Enum((type, members, value) => new EnumCastExpr(type, members, value, node)),
                "enumint" => Enum((type, members, value) => new EnumToIntExpr(type, members, value, node)),
                "todouble" => new ToDoubleExpr(Expr(), node),
                "error" => new ErrorExpr(String(), node),
                "unrep" => new UnrepresentableExpr(String(), String(), node),
                var other => throw Bad("unknown expression " + other),
            };
            Expect(')');
            return expr;

            BinaryExpr Binary()
            {
                var op = String();
                var resultType = String();
                return new BinaryExpr(op, Expr(), Expr(), resultType.Length == 0 ? null : resultType, node);
            }

            Expr Enum(System.Func<string, EquatableArray<EnumMember>, Expr, Expr> make)
            {
                var type = String();
                Expect('(');
                var members = Until(() =>
                {
                    Expect('(');
                    if (Atom() != "m")
                    {
                        throw Bad("enum member expected");
                    }

                    var member = new EnumMember(String(), Long());
                    Expect(')');
                    return member;
                });
                Expect(')');
                return make(type, members.ToEquatableArray(), Expr());
            }
        }

        private ListItem Item()
        {
            Expect('(');
            var spread = Atom() switch
            {
                "item" => false,
                "spread" => true,
                var other => throw Bad("unknown list item " + other),
            };
            var item = new ListItem(Expr(), spread);
            Expect(')');
            return item;
        }

        private DictEntry Entry()
        {
            Expect('(');
            if (Atom() != "entry")
            {
                throw Bad("entry expected");
            }

            var entry = new DictEntry(Expr(), Expr(), -1);
            Expect(')');
            return entry;
        }

        private SwitchArm Arm()
        {
            Expect('(');
            if (Atom() != "arm")
            {
                throw Bad("arm expected");
            }

            var pattern = Pattern();
            Expect('(');
            Expr? guard = Atom() switch
            {
                "guard" => Expr(),
                "noguard" => null,
                var other => throw Bad("unknown guard " + other),
            };
            Expect(')');
            var arm = new SwitchArm(pattern, guard, Expr());
            Expect(')');
            return arm;
        }
    }
}
