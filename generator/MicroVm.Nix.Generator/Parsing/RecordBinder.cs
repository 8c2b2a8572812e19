using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;

namespace MicroVm.Nix.Generator.Parsing;

/// <summary>
/// Checks an evaluated object against its <see cref="RecordSchema"/>: every value has the Nix type
/// upstream declares (null only where upstream allows it, no NUL in strings, disk images as host paths),
/// nested records are bound in turn. Problems become diagnostics on the value's expression.
/// </summary>
internal static class RecordBinder
{
    public static BoundRecord? Bind(RecordSchema schema, ObjectValue value, string path, List<DiagnosticInfo> diagnostics)
    {
        var ok = value.Type == schema.Type;
        foreach (var option in schema.Options)
        {
            var field = value.Get(option.Property);
            if (field is null)
            {
                // A missing required member is already a C# error (CS9035); write nothing for this VM.
                ok &= !option.Required;
                continue;
            }

            ok &= Check(option, field.Value, path + "." + option.Property, diagnostics);
        }

        return ok ? new BoundRecord(schema, value) : null;
    }

    private static bool Check(OptionSchema option, EvalValue value, string path, List<DiagnosticInfo> diagnostics)
    {
        var before = diagnostics.Count;
        var ok = CheckShape(option, value, path, diagnostics);
        if (!ok && diagnostics.Count == before)
        {
            // The C# types make this rare (a cast, a subclass): say so rather than drop the VM silently.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, value.Location, path,
                "upstream option '" + option.NixName + "' needs " + Describe(option) + ", and this is " + value.Describe()));
        }

        return ok;
    }

    private static bool CheckShape(OptionSchema option, EvalValue value, string path, List<DiagnosticInfo> diagnostics)
    {
        if (value is NullValue)
        {
            if (option.Nullable)
            {
                return true;
            }

            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueRequired, value.Location, path, option.NixName, Describe(option)));
            return false;
        }

        return option.Type switch
        {
            NixType.Bool => value is BoolValue,
            NixType.Int => value is IntValue,
            NixType.Str or NixType.Path => value is StringValue s && CheckString(s, path, diagnostics),
            NixType.Enum => value is EnumValue e && e.Type == option.EnumType && option.NixEnumName(e.Member) is not null,
            NixType.ListOfStr => value is ListValue list && list.Items.Select((item, i) => Check(StringItem, item, Item(path, i), diagnostics)).ToList().All(x => x),
            NixType.ListOfSubmodule => value is ListValue records && records.Items
                .Select((item, i) => item is ObjectValue o && Bind(option.Element!, o, Item(path, i), diagnostics) is not null)
                .ToList().All(x => x),
            NixType.DiskImage => value is ObjectValue image && CheckImage(image, path, diagnostics),
            _ => false,
        };
    }

    private static readonly OptionSchema StringItem = new("Item", "item", NixType.Str, null, false, null, "A list element");

    private static bool CheckImage(ObjectValue image, string path, List<DiagnosticInfo> diagnostics)
    {
        var parts = image.Type switch
        {
            MicroVmSchema.HostPathImageType => new[] { "Path" },
            MicroVmSchema.ZvolType => new[] { "Pool", "Dataset" },
            _ => null,
        };
        if (parts is null)
        {
            return false;
        }

        var ok = true;
        foreach (var part in parts)
        {
            ok &= image.Get(part) is { } field && Check(StringItem with { NixName = "image" }, field.Value, path + "." + part, diagnostics);
        }

        return ok;
    }

    private static bool CheckString(StringValue value, string path, List<DiagnosticInfo> diagnostics)
    {
        if (value.Value.IndexOf('\0') < 0)
        {
            return true;
        }

        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NulInString, value.Location, path));
        return false;
    }

    private static string Item(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    private static string Describe(OptionSchema option) => option.Type switch
    {
        NixType.Bool => "bool",
        NixType.Int => "int",
        NixType.Path => "path",
        NixType.Enum => "one of " + string.Join(", ", option.EnumNames.Select(p => "\"" + p.Value + "\"")),
        NixType.ListOfStr => "list of strings",
        NixType.ListOfSubmodule => "list of submodules",
        _ => "str",
    };
}
