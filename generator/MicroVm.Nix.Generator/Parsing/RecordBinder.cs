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
        var fields = new List<FieldValue>();
        foreach (var option in schema.Options)
        {
            var field = value.Get(option.Property);
            if (field is null)
            {
                // A missing required member is already a C# error (CS9035); write nothing for this VM.
                ok &= !option.Required;
                continue;
            }

            if (field.Value is UnreadValue)
            {
                // Its error is reported; the VM writes no module. Keep it, so that no check takes the default instead.
                fields.Add(field);
                continue;
            }

            if (field.Value is NullValue && IsUnsetWhenNull(option))
            {
                // A C# nullable for an option Nix cannot set to null: null means "leave it to upstream".
                continue;
            }

            var optionPath = path + "." + option.Property;
            if (option.Type == NixType.ListOfSubmodule && field.Value is ListValue list)
            {
                // Bind each element, keeping the bound (normalised) records.
                var items = list.Items
                    .Select((item, i) => item switch
                    {
                        ObjectValue o => Bind(option.Element!, o, Item(optionPath, i), diagnostics),
                        NullValue => Required(item, Item(optionPath, i), option.NixName + ".*", "submodule", diagnostics),
                        _ => null,
                    })
                    .ToList();
                ok &= items.All(item => item is not null);
                fields.Add(field with { Value = list with { Items = items.Where(i => i is not null).Select(i => (EvalValue)i!.Value).ToEquatableArray() } });
                continue;
            }

            if (option.Type == NixType.DiskImage && field.Value is ObjectValue { Type: MicroVmSchema.ZvolType } zvol && zvol.Get("Create") is { Value: ObjectValue create })
            {
                // Zvol { Create = … }: bind the provisioning record too, keeping its normalised form.
                var provisioning = Bind(MicroVmSchema.ZvolProvisioning, create, optionPath + ".Create", diagnostics);
                ok &= provisioning is not null && Check(option, zvol, optionPath, diagnostics);
                fields.Add(field with { Value = zvol.With(new FieldValue("Create", provisioning?.Value ?? create)) });
                continue;
            }

            if (option.Type == NixType.Submodule && field.Value is ObjectValue nested)
            {
                var bound = Bind(option.Element!, nested, optionPath, diagnostics);
                ok &= bound is not null;
                fields.Add(field with { Value = bound?.Value ?? nested });
                continue;
            }

            ok &= Check(option, field.Value, optionPath, diagnostics);
            fields.Add(field);
        }

        return ok ? new BoundRecord(schema, value with { Fields = fields.ToEquatableArray() }) : null;
    }

    /// <summary>A null where upstream takes no null (a list element, a required option): MVN003 on it.</summary>
    private static BoundRecord? Required(EvalValue value, string path, string nixName, string type, List<DiagnosticInfo> diagnostics)
    {
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueRequired, value.Location, path, nixName, type));
        return null;
    }

    /// <summary>Options whose C# type is nullable only to mean "not set" (upstream has no null for them).</summary>
    public static bool IsUnsetWhenNull(OptionSchema option) => !option.Nullable && option.Default is NullValue;

    private static bool Check(OptionSchema option, EvalValue value, string path, List<DiagnosticInfo> diagnostics)
    {
        if (value is UnreadValue)
        {
            return true; // its error is reported where it was read
        }

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
            NixType.DataSize => value is ObjectValue { Type: MicroVmSchema.DataSizeType } size && size.Get("Bytes")?.Value is IntValue,
            NixType.ListOfPath => value is ListValue paths && paths.Items.Select((item, i) => Check(StringItem, item, Item(path, i), diagnostics)).ToList().All(x => x),
            NixType.AttrsOfAny => value is MapValue config && CheckPlain(config, path, diagnostics, "extra NixOS configuration"),
            NixType.JsonObject => value is MapValue json && CheckPlain(json, path, diagnostics, "a JSON value"),
            NixType.Package => value is ObjectValue { Type: MicroVmSchema.NixPackageType } package
                && package.Get("AttributePath")?.Value is { } attributePath && Check(StringItem with { NixName = "package" }, attributePath, path + ".AttributePath", diagnostics),
            NixType.PackageSet => value is ObjectValue { Type: MicroVmSchema.NixPackageSetType } set
                && set.Get("System")?.Value is { } system && Check(StringItem with { NixName = "system" }, system, path + ".System", diagnostics),
            NixType.ListOfStr => value is ListValue list && list.Items.Select((item, i) => Check(StringItem, item, Item(path, i), diagnostics)).ToList().All(x => x),
            NixType.AttrsOfStr => value is MapValue map && map.Entries.Select(e => Check(StringItem, e.Value, path + "[\"" + e.Name + "\"]", diagnostics) & CheckString(new StringValue(e.Name, e.NameLocation ?? map.Location), path, diagnostics)).ToList().All(x => x),
            NixType.DiskImage => value is ObjectValue image && CheckImage(image, path, diagnostics),
            _ => false,
        };
    }

    /// <summary>Free-form values: null, bool, integers, strings, lists and string-keyed dictionaries of these.</summary>
    private static bool CheckPlain(EvalValue value, string path, List<DiagnosticInfo> diagnostics, string what)
    {
        var ok = value switch
        {
            NullValue or BoolValue or IntValue or FloatValue => true,
            StringValue s => CheckString(s, path, diagnostics),
            ListValue list => list.Items.Select((item, i) => CheckPlain(item, Item(path, i), diagnostics, what)).ToList().All(x => x),
            MapValue map => map.Entries.Select(e => CheckString(new StringValue(e.Name, e.NameLocation ?? map.Location), path, diagnostics) & CheckPlain(e.Value, path + "[\"" + e.Name + "\"]", diagnostics, what)).ToList().All(x => x),
            _ => false,
        };
        if (!ok && value is not (StringValue or ListValue or MapValue))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, value.Location, path,
                what + " takes null, bool, integers, doubles, strings, lists and Dictionary<string, object>, and this is " + value.Describe()));
        }

        return ok;
    }

    private static readonly OptionSchema StringItem = new("Item", "item", NixType.Str, null, false, null, "A list element");

    private static bool CheckImage(ObjectValue image, string path, List<DiagnosticInfo> diagnostics)
    {
        var parts = image.Type switch
        {
            MicroVmSchema.HostPathImageType => new[] { "Path" },
            MicroVmSchema.ZvolType => new[] { "Pool", "Dataset" },  // Create is bound on its own
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
        var problem = Unrepresentable(value.Value);
        if (problem is null)
        {
            return true;
        }

        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NulInString, value.Location, path, problem));
        return false;
    }

    /// <summary>What in <paramref name="text"/> a UTF-8 Nix file cannot hold: a NUL, or half of a UTF-16 surrogate pair.</summary>
    internal static string? Unrepresentable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\0')
            {
                return "a NUL character";
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return "an unpaired UTF-16 surrogate (\\u" + ((int)text[i]).ToString("X4", System.Globalization.CultureInfo.InvariantCulture) + ")";
            }
        }

        return null;
    }

    private static string Item(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    private static string Describe(OptionSchema option) => option.Type switch
    {
        NixType.Bool => "bool",
        NixType.Int => "int",
        NixType.Path => "path",
        NixType.Enum => "one of " + string.Join(", ", option.EnumNames.Select(p => "\"" + p.Value + "\"")),
        NixType.ListOfStr => "list of strings",
        NixType.AttrsOfStr => "attribute set of strings",
        NixType.AttrsOfAny => "attribute set",
        NixType.JsonObject => "JSON object",
        NixType.Package => "a NixPackage",
        NixType.PackageSet => "a NixPackageSet",
        NixType.ListOfPath => "list of paths",
        NixType.Submodule => "submodule",
        NixType.DataSize => "a DataSize",
        NixType.ListOfSubmodule => "list of submodules",
        _ => "str",
    };
}
