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
        var options = new ScriptArray();
        AddOptions(options, spec.Vm, prefix: string.Empty, indent: 4);
        var model = new ScriptObject
        {
            ["source"] = NixSyntax.CommentText(RelativeSource(spec.SourceFile, projectDirectory)),
            ["member"] = NixSyntax.CommentText(spec.Member),
            ["imports"] = Imports(spec.Vm),
            ["arguments"] = ModuleArguments(spec.Vm),
            ["host_name"] = NixSyntax.String(spec.HostName),
            ["root"] = RootOptions(spec.Vm),
            ["users"] = new ScriptArray(spec.Vm.Records("Users").Select(user => new ScriptObject
            {
                ["name"] = NixSyntax.AttrName(user.String("Name")!),
                ["fields"] = UserFields(user),
            })),
            ["options"] = options,
            ["network_units"] = new ScriptArray(GuestNetworkUnits(spec.Vm).Select(u => new ScriptObject { ["name"] = u.Name, ["value"] = u.Value })),
        };
        return Templates.Render(GuestTemplate.Value, model);
    }

    /// <summary>
    /// The guest's side of its interfaces on typed networks, as systemd-networkd units matched by the interface's MAC:
    /// a static address with its gateway and DNS (on a routed network a /32 with on-link routes to the host, as
    /// upstream's routed-network doc writes it), or DHCP. Every value in them was validated (MVN264, MVN265).
    /// </summary>
    internal static IEnumerable<(string Name, string Value)> GuestNetworkUnits(BoundRecord vm)
    {
        foreach (var nic in vm.Records("Interfaces"))
        {
            if (nic.Record("Network") is not { } network)
            {
                continue;
            }

            var plan = NetworkPlan.From(network, null);
            var fields = new List<(string, string)> { ("matchConfig.MACAddress", NixSyntax.String(nic.String("Mac") ?? string.Empty)) };
            if (nic.String("Address") is { } address)
            {
                var prefix = plan.Routed ? 32 : plan.Prefix;
                fields.Add(("address", NixSyntax.List([NixSyntax.String(address + "/" + prefix.ToString(CultureInfo.InvariantCulture))], 4)));
                if (plan.Routed)
                {
                    fields.Add(("routes", NixSyntax.List(
                        [
                            NixSyntax.Attrs([("Destination", NixSyntax.String(plan.Gateway + "/32")), ("GatewayOnLink", "true")], 6),
                            NixSyntax.Attrs([("Destination", NixSyntax.String("0.0.0.0/0")), ("Gateway", NixSyntax.String(plan.Gateway!)), ("GatewayOnLink", "true")], 6),
                        ],
                        4)));
                }
                else if (plan.Gateway is { } gateway)
                {
                    fields.Add(("gateway", NixSyntax.List([NixSyntax.String(gateway)], 4)));
                }

                if (plan.Dns.Count > 0)
                {
                    fields.Add(("dns", NixSyntax.List(plan.Dns.Select(NixSyntax.String).ToList(), 4)));
                }
            }
            else
            {
                fields.Add(("networkConfig.DHCP", NixSyntax.String("ipv4")));
            }

            yield return ("systemd.network.networks." + NixSyntax.AttrName("10-" + (nic.String("Id") ?? string.Empty)), NixSyntax.Attrs(fields, 2, quoteNames: false));
        }
    }

    /// <summary>
    /// The <c>microvm.*</c> options a record set, in schema order, as <c>{ name, value, items }</c>;
    /// settings records (<c>qemu.*</c>) are flattened into attribute paths under their prefix.
    /// </summary>
    private static void AddOptions(ScriptArray result, BoundRecord record, string prefix, int indent)
    {
        foreach (var option in record.Schema.Options)
        {
            if (option.Scope != OptionScope.Record || record.Explicit(option.Property) is not { } value)
            {
                continue;
            }

            var name = prefix + NixSyntax.AttrPath(option.NixName);
            if (option.Type == NixType.Submodule)
            {
                AddOptions(result, record.Record(option.Property)!, name + ".", indent);
                continue;
            }

            var entry = new ScriptObject { ["name"] = name, ["value"] = null, ["items"] = null };
            if (option.Type == NixType.ListOfSubmodule)
            {
                // Volumes carry the guest device map as a comment: where each appears inside the guest.
                var devices = option.Property == "Volumes" ? GuestDeviceMap.For(record) : EquatableArray<GuestDeviceInfo>.Empty;
                entry["items"] = new ScriptArray(record.Records(option.Property).Select((item, i) => new ScriptObject
                {
                    ["comments"] = i < devices.Count ? new ScriptArray { NixSyntax.CommentText(devices[i].Comment) } : new ScriptArray(),
                    ["fields"] = Fields(item, indent: indent + 4),
                }));
            }
            else
            {
                entry["value"] = Value(option, value, indent);
            }

            result.Add(entry);
        }
    }

    /// <summary>The names of a package's attribute path (validated: MVN237).</summary>
    internal static IReadOnlyList<string> PackagePath(ObjectValue package) =>
        NixSyntax.ParseAttrPath(((StringValue)package.Get("AttributePath")!.Value).Value, out _) ?? throw new InvalidOperationException("Unvalidated package path");

    /// <summary>
    /// The module's arguments, <c>{ config, pkgs, ... }:</c>, when a package or a package set names them; <c>null</c>
    /// otherwise, so that a module without packages stays a plain attribute set.
    /// </summary>
    private static string? ModuleArguments(BoundRecord vm)
    {
        var sets = VmValidator.Packages(vm).Select(p => p.Option.PackageSet!).ToList();
        if (sets.Count == 0)
        {
            return null;
        }

        var names = new List<string>();
        if (sets.Contains(MicroVmSchema.HostPackages))
        {
            names.Add("config");
        }

        if (sets.Contains(MicroVmSchema.GuestPackages))
        {
            names.Add("pkgs");
        }

        return "{ " + string.Join(", ", names) + ", ... }:";
    }

    /// <summary>
    /// The plain NixOS options outside <c>microvm.*</c> the record set (<c>system.stateVersion</c>,
    /// <c>services.openssh.enable</c>), as <c>{ name, value }</c> in schema order; the host name, users,
    /// imports and extra configuration have places of their own.
    /// </summary>
    private static ScriptArray RootOptions(BoundRecord vm)
    {
        var result = new ScriptArray();
        foreach (var option in vm.Schema.Options)
        {
            if (option is { Scope: OptionScope.GuestRoot, Type: NixType.Str or NixType.Bool } && option.Property != "HostName" && vm.Explicit(option.Property) is { } value)
            {
                result.Add(new ScriptObject { ["name"] = NixSyntax.AttrPath(option.NixName), ["value"] = Value(option, value, 2) });
            }
        }

        return result;
    }

    /// <summary>Every account but root is a normal login user: NixOS requires exactly one of isNormalUser and isSystemUser.</summary>
    internal static bool IsNormalUser(string name) => name != "root";

    /// <summary>A user's options: <c>isNormalUser</c> (but for root), then the ones the C# set, in schema order; the name is the attribute's.</summary>
    private static ScriptArray UserFields(BoundRecord user)
    {
        var fields = new ScriptArray(Fields(user, indent: 4).Cast<ScriptObject>().Where(field => !Equals(field["name"], "name")));
        if (IsNormalUser(user.String("Name")!))
        {
            fields.Insert(0, new ScriptObject { ["name"] = "isNormalUser", ["value"] = NixSyntax.Bool(true) });
        }

        return fields;
    }

    /// <summary>
    /// The guest's <c>imports</c>: the user's module paths, then the extra configuration as an inline
    /// module, so it merges with the rest through the module system. <c>null</c> when there is neither.
    /// </summary>
    private static string? Imports(BoundRecord vm)
    {
        var items = (vm.Effective("Imports") as ListValue)?.Items.OfType<StringValue>().Select(p => NixSyntax.Path(p.Value)).ToList() ?? [];
        if (vm.Effective("ExtraConfig") is MapValue { Entries.Count: > 0 } extra)
        {
            // Keys are attribute paths written the Nix way (validated: MVN241); each name is re-quoted as needed.
            items.Add(NixSyntax.Attrs(
                extra.Entries.Select(e => (NixSyntax.AttrPath(NixSyntax.ParseAttrPath(e.Name, out _) ?? throw new InvalidOperationException("Unvalidated ExtraConfig key " + e.Name)), Plain(e.Value, 6))).ToList(),
                4,
                quoteNames: false));
        }

        return items.Count == 0 ? null : NixSyntax.List(items, 2);
    }

    /// <summary>A free-form value: nested dictionary keys are literal attribute names.</summary>
    internal static string Plain(EvalValue value, int indent) => value switch
    {
        NullValue => "null",
        BoolValue b => NixSyntax.Bool(b.Value),
        IntValue i => NixSyntax.Int(i.Value),
        FloatValue f => NixSyntax.Float(f.Value),
        StringValue s => NixSyntax.Text(s.Value, indent),
        ListValue list => NixSyntax.List(list.Items.Select(i => Plain(i, indent + 2)).ToList(), indent),
        MapValue map => NixSyntax.Attrs(map.Entries.Select(e => (e.Name, Plain(e.Value, indent + 2))).ToList(), indent),
        _ => throw new InvalidOperationException("No Nix form for " + value.Describe()),
    };

    /// <summary>The options a submodule record set explicitly, as <c>{ name, value }</c> pairs in schema order.</summary>
    private static ScriptArray Fields(BoundRecord record, int indent)
    {
        var result = new ScriptArray();
        foreach (var option in record.Schema.Options)
        {
            if (option.Scope != OptionScope.Fleet && record.Explicit(option.Property) is { } value)
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
        StringValue s => NixSyntax.Text(s.Value, indent),
        EnumValue e => NixSyntax.String(option.NixEnumName(e.Member) ?? throw new InvalidOperationException("Unbound enum member " + e.Member)),
        ObjectValue image when option.Type == NixType.DiskImage => NixSyntax.String(VmValidator.HostPath(image)!),
        ListValue list when option.Type == NixType.ListOfStr => NixSyntax.List(list.Items.Select(i => Value(option, i, indent + 2)).ToList(), indent),
        MapValue json when option.Type == NixType.JsonObject => Plain(json, indent),
        ObjectValue set when option.Type == NixType.PackageSet => "import " + option.PackageSet + ".path { system = " + NixSyntax.String(((StringValue)set.Get("System")!.Value).Value) + "; }",
        ObjectValue package when option.Type == NixType.Package => option.PackageSet + "." + NixSyntax.AttrPath(PackagePath(package)),
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
        // No builtin functions: the templates only lay out text the emitters escaped, and the default
        // context would deep-copy Scriban's whole builtin library for every module it renders.
        var context = new TemplateContext(new ScriptObject())
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
