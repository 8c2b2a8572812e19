using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;
using MicroVm.Nix.Generator.Validation;
using Scriban;
using Scriban.Runtime;

namespace MicroVm.Nix.Generator.Emitting;

/// <summary>
/// Renders a VM's guest module from <c>templates/guest.nix.scriban</c>. The template gets a model in
/// which every value is already Nix text (escaped by <see cref="NixSyntax"/>), in schema order, holding
/// only the options the C# source set, so the template decides layout and nothing else.
/// </summary>
internal static class ModuleEmitter
{
    private static readonly Lazy<Template> GuestTemplate = new(() => Templates.Load("guest.nix.scriban"));

    /// <summary>Renders the module for <paramref name="spec"/>, which must have no errors.</summary>
    /// <param name="spec">The VM.</param>
    /// <param name="projectDirectory">The consuming project's folder, to name the source file relative to it.</param>
    public static string RenderGuest(VmSpec spec, string? projectDirectory)
    {
        var model = new ScriptObject
        {
            ["source"] = NixSyntax.CommentText(RelativeSource(spec.SourceFile, projectDirectory)),
            ["member"] = NixSyntax.CommentText(spec.Member),
            ["host_name"] = NixSyntax.String(spec.HostName),
            ["options"] = Options(spec.Vm),
        };
        return Templates.Render(GuestTemplate.Value, model);
    }

    /// <summary>The <c>microvm.*</c> options the VM set, in schema order.</summary>
    private static ScriptArray Options(BoundRecord vm)
    {
        var result = new ScriptArray();
        foreach (var option in vm.Schema.Options)
        {
            if (option.AtRoot || vm.Explicit(option.Property) is not { } value)
            {
                continue;
            }

            var entry = new ScriptObject { ["name"] = NixSyntax.AttrPath(option.NixName), ["value"] = null, ["items"] = null };
            if (option.Type == NixType.ListOfSubmodule)
            {
                entry["items"] = new ScriptArray(vm.Records(option.Property).Select(record => new ScriptObject
                {
                    ["comments"] = new ScriptArray(),
                    ["fields"] = Fields(record, indent: 8),
                }));
            }
            else
            {
                entry["value"] = Value(option, value, indent: 4);
            }

            result.Add(entry);
        }

        return result;
    }

    /// <summary>The options a submodule record set explicitly, as <c>{ name, value }</c> pairs in schema order.</summary>
    private static ScriptArray Fields(BoundRecord record, int indent)
    {
        var result = new ScriptArray();
        foreach (var option in record.Schema.Options)
        {
            if (record.Explicit(option.Property) is { } value)
            {
                result.Add(new ScriptObject
                {
                    ["name"] = NixSyntax.AttrPath(option.NixName),
                    ["value"] = Value(option, value, indent),
                });
            }
        }

        return result;
    }

    /// <summary>A value of <paramref name="option"/>'s type as Nix text.</summary>
    internal static string Value(OptionSchema option, EvalValue value, int indent) => value switch
    {
        NullValue => "null",
        BoolValue b => NixSyntax.Bool(b.Value),
        IntValue i => NixSyntax.Int(i.Value),
        StringValue s => NixSyntax.String(s.Value),
        EnumValue e => NixSyntax.String(option.NixEnumName(e.Member) ?? throw new InvalidOperationException("Unbound enum member " + e.Member)),
        ObjectValue image when option.Type == NixType.DiskImage => NixSyntax.String(VmValidator.HostPath(image)!),
        ListValue list when option.Type == NixType.ListOfStr => NixSyntax.List(list.Items.Select(i => Value(option, i, indent + 2)).ToList(), indent),
        MapValue map when option.Type == NixType.AttrsOfStr => NixSyntax.Attrs(map.Entries.Select(e => (e.Name, Value(option, e.Value, indent + 2))).ToList(), indent),
        _ => throw new InvalidOperationException("No Nix form for " + value.Describe() + " as " + option.Type),
    };

    /// <summary>The source path relative to the project, with '/' separators, so output is the same on every machine.</summary>
    internal static string RelativeSource(string sourceFile, string? projectDirectory)
    {
        var path = sourceFile.Replace('\\', '/');
        var root = projectDirectory?.Replace('\\', '/').TrimEnd('/');
        if (!string.IsNullOrEmpty(root) && path.StartsWith(root + "/", StringComparison.Ordinal))
        {
            return path.Substring(root!.Length + 1);
        }

        return path.Length == 0 ? "(unknown)" : Path.GetFileName(path);
    }
}

/// <summary>The Scriban templates embedded from templates/, each parsed once per process.</summary>
internal static class Templates
{
    public static Template Load(string name)
    {
        var resource = "MicroVm.Nix.Templates." + name;
        using var stream = typeof(Templates).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException("Missing embedded template " + resource);
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd().Replace("\r\n", "\n"), name);
        if (template.HasErrors)
        {
            throw new InvalidOperationException("Template " + name + ": " + string.Join("; ", template.Messages));
        }

        return template;
    }

    public static string Render(Template template, ScriptObject model)
    {
        var context = new TemplateContext
        {
            StrictVariables = true,
            LoopLimit = 0,
            RecursiveLimit = 0,
            EnableRelaxedMemberAccess = false,
        };
        context.PushCulture(CultureInfo.InvariantCulture);
        context.PushGlobal(model);
        return template.Render(context).Replace("\r\n", "\n");
    }
}
