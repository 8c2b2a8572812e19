using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace MicroVm.Nix.Generator.Emitting;

/// <summary>
/// The one place where text becomes Nix syntax. Every string that reaches a generated file passes
/// through <see cref="String"/> (or <see cref="AttrName"/>), so nothing a user types can end a string
/// early or start an interpolation.
/// </summary>
internal static class NixSyntax
{
    private static readonly HashSet<string> Keywords =
        ["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"];

    /// <summary>A double-quoted Nix string whose value is exactly <paramref name="value"/> (which holds no NUL).</summary>
    public static string String(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '$' when i + 1 < value.Length && value[i + 1] == '{':
                    // "${" would start an interpolation: "\${" is a literal dollar and brace.
                    builder.Append("\\$");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>
    /// A string as a careful person writes it: multi-line text as an indented string (<c>''…''</c>)
    /// when that round-trips exactly, everything else as a double-quoted string.
    /// </summary>
    /// <param name="value">The string (no NUL).</param>
    /// <param name="indent">The indentation of the line the string starts on.</param>
    public static string Text(string value, int indent) => IndentedString(value, indent) ?? String(value);

    /// <summary>
    /// <paramref name="value"/> as an indented string, or <c>null</c> when Nix would not give it back
    /// exactly: Nix strips the common indentation of the lines and treats tabs, carriage returns,
    /// blank lines of spaces and a leading newline specially, so such text stays double-quoted.
    /// </summary>
    public static string? IndentedString(string value, int indent)
    {
        if (value.IndexOf('\n') < 0 || value[0] == '\n' || value.Any(c => char.IsControl(c) && c != '\n'))
        {
            return null;
        }

        var endsWithNewline = value.EndsWith("\n", System.StringComparison.Ordinal);
        var lines = (endsWithNewline ? value.Substring(0, value.Length - 1) : value).Split('\n');
        if (lines.Any(l => l.Length > 0 && (l[0] == ' ' || l.Trim().Length == 0))
            || (!endsWithNewline && value.EndsWith("'", System.StringComparison.Ordinal)))
        {
            return null;
        }

        var pad = new string(' ', indent + 2);
        var body = string.Join("\n", lines.Select(l => l.Length == 0 ? string.Empty : pad + EscapeIndentedLine(l)));
        return "''\n" + body + (endsWithNewline ? "\n" + new string(' ', indent) + "''" : "''");
    }

    /// <summary>
    /// One line of an indented string: <c>${</c> becomes <c>''${</c>; a run of quotes becomes
    /// <c>'''</c> per pair, and an odd quote left before an escape is itself escaped as <c>''\'</c>, so
    /// no two quotes written next to each other ever read as the end of the string.
    /// </summary>
    private static string EscapeIndentedLine(string line)
    {
        var builder = new StringBuilder(line.Length + 8);
        for (var i = 0; i < line.Length;)
        {
            var c = line[i];
            if (c == '\'')
            {
                var end = i;
                while (end < line.Length && line[end] == '\'')
                {
                    end++;
                }

                var run = end - i;
                for (var pair = 0; pair < run / 2; pair++)
                {
                    builder.Append("'''");
                }

                if (run % 2 == 1)
                {
                    var beforeEscape = end + 1 < line.Length && line[end] == '$' && line[end + 1] == '{';
                    builder.Append(beforeEscape ? "''\\'" : "'");
                }

                i = end;
            }
            else if (c == '$' && i + 1 < line.Length && line[i + 1] == '{')
            {
                builder.Append("''${");
                i += 2;
            }
            else
            {
                builder.Append(c);
                i++;
            }
        }

        return builder.ToString();
    }

    /// <summary>An attribute name: bare when it is a Nix identifier and not a keyword, quoted otherwise.</summary>
    public static string AttrName(string name) => IsIdentifier(name) ? name : String(name);

    /// <summary>An attribute path such as <c>vsock.cid</c>: each dot-separated part as <see cref="AttrName"/>.</summary>
    public static string AttrPath(string path) => string.Join(".", path.Split('.').Select(AttrName));

    /// <summary>An attribute path from its names, each as <see cref="AttrName"/>.</summary>
    public static string AttrPath(IEnumerable<string> names) => string.Join(".", names.Select(AttrName));

    /// <summary>
    /// Reads an attribute path written the Nix way, <c>boot.kernel.sysctl."vm.swappiness"</c>: names
    /// separated by dots, each a bare name (<c>[A-Za-z_][A-Za-z0-9_'-]*</c>) or a double-quoted string
    /// with Nix's escapes (<c>\"</c>, <c>\\</c>, <c>\$</c>, <c>\n</c>, …), which stays one attribute
    /// however many dots it holds. An interpolation (<c>${…}</c>) would be code, and is refused.
    /// </summary>
    /// <param name="path">The path as written.</param>
    /// <param name="problem">Why it is not an attribute path, when it is not.</param>
    /// <returns>The attribute names, or <c>null</c> when <paramref name="path"/> is not an attribute path.</returns>
    public static IReadOnlyList<string>? ParseAttrPath(string path, out string? problem)
    {
        var names = new List<string>();
        var i = SkipBlanks(path, 0);
        while (true)
        {
            if (i < path.Length && path[i] == '"')
            {
                var name = new StringBuilder();
                i++;
                while (i < path.Length && path[i] != '"')
                {
                    if (path[i] == '\\' && i + 1 < path.Length)
                    {
                        var escaped = path[i + 1];
                        name.Append(escaped switch { 'n' => '\n', 'r' => '\r', 't' => '\t', _ => escaped });
                        i += 2;
                    }
                    else if (path[i] == '$' && i + 1 < path.Length && path[i + 1] == '{')
                    {
                        problem = "holds an interpolation ('${'), which would be Nix code; escape it as '\\${' to mean the text";
                        return null;
                    }
                    else
                    {
                        name.Append(path[i++]);
                    }
                }

                if (i >= path.Length)
                {
                    problem = "has a quoted name that is never closed";
                    return null;
                }

                i++;
                names.Add(name.ToString());
            }
            else
            {
                var start = i;
                while (i < path.Length && path[i] != '.' && !IsBlank(path[i]))
                {
                    i++;
                }

                var name = path.Substring(start, i - start);
                if (name.Length == 0)
                {
                    problem = "has an empty name (a leading, trailing or doubled '.')";
                    return null;
                }

                if (!IsBareName(name))
                {
                    problem = name.IndexOf('"') >= 0
                        ? "has a quote inside the name '" + name + "'; quote a whole name, as in a.\"b.c\".d"
                        : "has the name '" + name + "', which Nix cannot write without quotes";
                    return null;
                }

                if (name != "or" && Keywords.Contains(name))
                {
                    problem = "has the keyword '" + name + "', which Nix takes as a name only in quotes (\"" + name + "\")";
                    return null;
                }

                names.Add(name);
            }

            // Nix allows blanks between the names and the dots, as between any two tokens.
            i = SkipBlanks(path, i);
            if (i == path.Length)
            {
                problem = null;
                return names;
            }

            if (path[i] != '.')
            {
                problem = "has '" + path[i] + "' after the name '" + names[names.Count - 1] + "', where a '.' or the end belongs";
                return null;
            }

            i = SkipBlanks(path, i + 1);
            if (i == path.Length)
            {
                problem = "has an empty name (a leading, trailing or doubled '.')";
                return null;
            }
        }
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\n' or '\r';

    private static int SkipBlanks(string text, int i)
    {
        while (i < text.Length && IsBlank(text[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>A name Nix reads without quotes in an attribute path, keywords aside (checked by the caller).</summary>
    private static bool IsBareName(string name) =>
        ((char.IsLetter(name[0]) && name[0] < 128) || name[0] == '_')
        && name.All(c => c < 128 && (char.IsLetterOrDigit(c) || c is '_' or '\'' or '-'));

    public static bool IsIdentifier(string name) =>
        name.Length > 0
        && ((char.IsLetter(name[0]) && name[0] < 128) || name[0] == '_')
        && name.All(c => c < 128 && (char.IsLetterOrDigit(c) || c is '_' or '\'' or '-'))
        && !Keywords.Contains(name);

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>
    /// An integer as Nix reads it. A literal must fit a signed 64-bit value as written, and Nix reads
    /// <c>-n</c> as <c>0 - n</c>, so <see cref="long.MinValue"/> is written as an expression.
    /// A negative number starts with <c>-</c>: <see cref="List"/> parenthesises it.
    /// </summary>
    public static string Int(long value) =>
        value == long.MinValue ? "(-9223372036854775807 - 1)" : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A finite floating-point number as a Nix expression that evaluates to exactly <paramref name="value"/>:
    /// the shortest round-trip digits in Nix's float syntax (a <c>.</c> in the mantissa, <c>e</c> for the
    /// exponent). Nix refuses subnormal literals, so those are a normal literal divided by a power of two,
    /// and <c>-0.0</c>, which Nix would read as <c>0 - 0.0</c>, is <c>0.0 * -1</c>.
    /// </summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new System.ArgumentOutOfRangeException(nameof(value), "Nix has no literal for " + value.ToString(CultureInfo.InvariantCulture));
        }

        if (value == 0 && System.BitConverter.DoubleToInt64Bits(value) < 0)
        {
            return "(0.0 * -1)";
        }

        var magnitude = System.Math.Abs(value);
        if (magnitude < MinNormal)
        {
            // k × 2^-1074 = (k × 2^-1022) / 2^52, each step exact.
            var k = System.BitConverter.DoubleToInt64Bits(magnitude);
            return "(" + (value < 0 ? "-" : string.Empty) + Int(k) + " * " + FloatLiteral(MinNormal) + " / 4503599627370496)";
        }

        return (value < 0 ? "-" : string.Empty) + FloatLiteral(magnitude);
    }

    /// <summary>The smallest positive normal double, 2^-1022.</summary>
    private const double MinNormal = 2.2250738585072014E-308;

    /// <summary>A positive normal double in Nix's float syntax: <c>(([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+-]?[0-9]+)?</c>.</summary>
    private static string FloatLiteral(double positive)
    {
        var text = positive.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? text : text.Substring(0, e);
        var exponent = e < 0 ? string.Empty : "e" + text.Substring(e + 1);
        return (mantissa.IndexOf('.') < 0 ? mantissa + ".0" : mantissa) + exponent;
    }

    /// <summary>
    /// A list in nixfmt's layout: <c>[ ]</c>, <c>[ x ]</c> for one element, else one element per line.
    /// </summary>
    /// <param name="items">Elements, already rendered.</param>
    /// <param name="indent">The indentation of the line the list starts on.</param>
    public static string List(IReadOnlyList<string> items, int indent)
    {
        if (items.Count == 0)
        {
            return "[ ]";
        }

        // A list element cannot start with '-': Nix would read "[ 1 -2 ]" as "[ (1 - 2) ]", and "[ -2 ]" not at all.
        var elements = items.Select(item => item.StartsWith("-", System.StringComparison.Ordinal) ? "(" + item + ")" : item).ToList();
        if (elements.Count == 1 && elements[0].IndexOf('\n') < 0)
        {
            return "[ " + elements[0] + " ]";
        }

        var inner = new string(' ', indent + 2);
        return "[\n" + string.Concat(elements.Select(item => inner + item + "\n")) + new string(' ', indent) + "]";
    }

    /// <summary>
    /// An attribute set in nixfmt's layout: <c>{ }</c>, else one <c>name = value;</c> per line.
    /// </summary>
    /// <param name="entries">Attribute names (quoted here when needed) and values, already rendered.</param>
    /// <param name="indent">The indentation of the line the set starts on.</param>
    /// <param name="quoteNames">Quote each name as one attribute (<c>true</c>), or take names as ready attribute paths.</param>
    public static string Attrs(IReadOnlyList<(string Name, string Value)> entries, int indent, bool quoteNames = true)
    {
        if (entries.Count == 0)
        {
            return "{ }";
        }

        var inner = new string(' ', indent + 2);
        return "{\n" + string.Concat(entries.Select(e => inner + (quoteNames ? AttrName(e.Name) : e.Name) + " = " + e.Value + ";\n")) + new string(' ', indent) + "}";
    }

    /// <summary>
    /// A relative Nix path literal such as <c>./common.nix</c>; <paramref name="path"/> must satisfy
    /// <see cref="IsRelativePath"/> (validation reports it otherwise), since a path literal has no escapes.
    /// </summary>
    public static string Path(string path) =>
        IsRelativePath(path) ? path : throw new System.ArgumentException("Not a relative Nix path: " + path, nameof(path));

    /// <summary>Starts with <c>./</c> or <c>../</c>, holds only letters, digits and <c>. _ + - /</c>, and no empty or trailing component.</summary>
    public static bool IsRelativePath(string path) =>
        (path.StartsWith("./", System.StringComparison.Ordinal) || path.StartsWith("../", System.StringComparison.Ordinal))
        && !path.EndsWith("/", System.StringComparison.Ordinal)
        && path.IndexOf("//", System.StringComparison.Ordinal) < 0
        && path.All(c => c < 128 && (char.IsLetterOrDigit(c) || c is '.' or '_' or '+' or '-' or '/'));

    /// <summary>Text safe inside a <c>#</c> comment: one line, no control characters.</summary>
    public static string CommentText(string text) =>
        new(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
