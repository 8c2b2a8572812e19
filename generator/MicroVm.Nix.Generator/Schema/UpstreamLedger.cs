using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Schema;

/// <summary>One option upstream declares, as the ledger (<c>generator/upstream/options.json</c>) records it.</summary>
/// <param name="Path">Its path: <c>microvm.graphics.backend</c>, <c>microvm.volumes.*.image</c>, <c>microvm.vms.&lt;name&gt;.flake</c>.</param>
/// <param name="Scope"><c>guest</c> (a guest's configuration declares it) or <c>host</c>.</param>
/// <param name="Type">Upstream's type, as nixpkgs' lib describes it.</param>
/// <param name="Shape">The same type as data, for checking values.</param>
/// <param name="Visible">Shown in upstream's docs; a hidden option only reports that it was removed or renamed.</param>
internal sealed record UpstreamOption(string Path, string Scope, string Type, UpstreamShape Shape, bool Visible);

/// <summary>
/// An upstream type as data (<c>lib.types</c>' name and what it nests), and whether a plain value
/// (what <c>ExtraConfig</c> holds) is one: the check upstream's module system would make.
/// </summary>
/// <param name="Kind">The type's name in nixpkgs' lib: <c>bool</c>, <c>str</c>, <c>enum</c>, <c>nullOr</c>, <c>listOf</c>, …</param>
/// <param name="Values">For <c>enum</c>, the values it accepts.</param>
/// <param name="Elem">For <c>nullOr</c>, <c>listOf</c>, <c>attrsOf</c>, the nested type.</param>
/// <param name="Right">For <c>either</c>, the second type (the first is <paramref name="Elem"/>).</param>
internal sealed record UpstreamShape(string Kind, IReadOnlyList<string>? Values = null, UpstreamShape? Elem = null, UpstreamShape? Right = null)
{
    /// <summary>Whether <paramref name="value"/> is of this type; <c>null</c> when compile time cannot tell (a package, a submodule, raw values).</summary>
    public bool? Accepts(EvalValue value) => Kind switch
    {
        "bool" => value is BoolValue,
        "int" => value is IntValue,
        "unsignedInt" => value is IntValue { Value: >= 0 },
        "positiveInt" => value is IntValue { Value: > 0 },
        "unsignedInt8" => value is IntValue { Value: >= 0 and <= byte.MaxValue },
        "unsignedInt16" => value is IntValue { Value: >= 0 and <= ushort.MaxValue },
        "unsignedInt32" => value is IntValue { Value: >= 0 and <= uint.MaxValue },
        "float" => value is FloatValue,
        "number" => value is IntValue or FloatValue,
        "str" or "separatedString" or "strMatching" => value is StringValue,
        "nonEmptyStr" => value is StringValue { Value: var s } && s.Trim().Length > 0,
        "singleLineStr" => value is StringValue { Value: var s } && s.IndexOf('\n') < 0,
        "path" => value is StringValue { Value: var s } && s.StartsWith("/", System.StringComparison.Ordinal),
        "enum" => value is StringValue { Value: var s } && Values!.Contains(s),
        "nullOr" => value is NullValue ? true : Elem!.Accepts(value),
        "listOf" => value is ListValue list ? All(list.Items) : false,
        "attrsOf" => value is MapValue map ? All(map.Entries.Select(e => e.Value)) : false,
        "attrs" => value is MapValue,
        // A submodule's options are not in the ledger's shape; anything but a dictionary would be read
        // as a module to import (a string as the path of a file), never as the value the C# wrote.
        "submodule" => value is MapValue ? null : false,
        "either" => Either(Elem!.Accepts(value), Right!.Accepts(value)),
        _ => null,
    };

    /// <summary>One of two types: accepted if either accepts, refused if both refuse, else unknown.</summary>
    private static bool? Either(bool? left, bool? right) => left is true || right is true ? true : left is null || right is null ? null : false;

    private bool? All(IEnumerable<EvalValue> items)
    {
        bool? result = true;
        foreach (var item in items)
        {
            switch (Elem!.Accepts(item))
            {
                case false:
                    return false;
                case null:
                    result = null;
                    break;
            }
        }

        return result;
    }
}

/// <summary>Shorthands for <c>UpstreamLedger.g.cs</c>.</summary>
internal static class S
{
    public static UpstreamShape Of(string kind) => new(kind);

    public static UpstreamShape Of(string kind, UpstreamShape elem) => new(kind, Elem: elem);

    public static UpstreamShape Enum(params string[] values) => new("enum", Values: values);

    public static UpstreamShape Either(UpstreamShape left, UpstreamShape right) => new("either", Elem: left, Right: right);
}

/// <summary>The ledger, as the generator reads it (<c>UpstreamLedger.g.cs</c> holds the options).</summary>
internal static partial class UpstreamLedger
{
    /// <summary>
    /// Indexes over <see cref="Options"/>, in a class of their own: the initializers of a partial class's
    /// static fields in two files run in no defined order, and these need the options first.
    /// </summary>
    private static class Index
    {
        public static readonly Dictionary<string, UpstreamOption> GuestOptions =
            Options.Where(o => o.Scope == "guest").ToDictionary(o => o.Path, System.StringComparer.Ordinal);

        /// <summary>Every proper prefix of a guest option's path (<c>microvm</c>, <c>microvm.graphics</c>): groups of options.</summary>
        public static readonly HashSet<string> GuestGroups = new(
            GuestOptions.Keys.SelectMany(path => Enumerable.Range(1, path.Count(c => c == '.')).Select(n => string.Join(".", path.Split('.').Take(n)))),
            System.StringComparer.Ordinal);
    }

    /// <summary>The guest option at <paramref name="path"/>, or <c>null</c>.</summary>
    public static UpstreamOption? GuestOption(string path) => Index.GuestOptions.TryGetValue(path, out var option) ? option : null;

    /// <summary>Whether <paramref name="path"/> names a group of guest options (<c>microvm.graphics</c>).</summary>
    public static bool IsGuestGroup(string path) => Index.GuestGroups.Contains(path);
}
