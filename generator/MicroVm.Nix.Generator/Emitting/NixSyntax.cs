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

    public static bool IsIdentifier(string name) =>
        name.Length > 0
        && ((char.IsLetter(name[0]) && name[0] < 128) || name[0] == '_')
        && name.All(c => c < 128 && (char.IsLetterOrDigit(c) || c is '_' or '\'' or '-'))
        && !Keywords.Contains(name);

    public static string Bool(bool value) => value ? "true" : "false";

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

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

        if (items.Count == 1 && items[0].IndexOf('\n') < 0)
        {
            return "[ " + items[0] + " ]";
        }

        var inner = new string(' ', indent + 2);
        return "[\n" + string.Concat(items.Select(item => inner + item + "\n")) + new string(' ', indent) + "]";
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
