using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;

namespace MicroVm.Nix.Generator.Import;

/// <summary>How <see cref="ConfigImporter"/> names what it writes.</summary>
/// <param name="Namespace">The C# namespace of the class.</param>
/// <param name="Class">The static class that holds the VM.</param>
/// <param name="HostName">The guest's host name when the configuration does not say it (a bare <c>config.microvm</c>).</param>
/// <param name="System">The guest's system, for upstream's defaults that depend on it (<c>qemu.machine</c>, <c>graphics.backend</c>).</param>
/// <param name="Source">Where the configuration came from, for the header.</param>
internal sealed record ImportOptions(string Namespace = "Fleet", string Class = "Fleet", string? HostName = null, string System = "x86_64-linux", string Source = "a microvm.nix configuration");

/// <summary>The C# a configuration becomes, and what of it could not be imported.</summary>
/// <param name="Source">A C# file with one <c>[MicroVmModule]</c> member.</param>
/// <param name="Notes">What was left out, and why; each is also a comment in <paramref name="Source"/>.</param>
internal sealed record ImportResult(string Source, IReadOnlyList<string> Notes);

/// <summary>
/// Turns an evaluated microvm.nix guest configuration (the JSON of <c>nix eval --json …config.microvm</c>, or of an
/// attribute set holding <c>microvm</c>, <c>networking.hostName</c>, <c>system.stateVersion</c>, <c>users.users</c>
/// and <c>services.openssh.enable</c>) into a C# record, reading the same schema the generator writes from: each
/// option the configuration sets to something other than upstream's default becomes the property that writes it.
/// Values upstream computes from the rest of the configuration (a socket named after the host, the machine id,
/// the QEMU machine of the system) are left out when they are what upstream would compute, so the record says
/// only what the user chose. What cannot be a record (packages, which evaluate to store paths; kernel parameters
/// that name store paths) is left out with a note.
/// </summary>
internal static class ConfigImporter
{
    /// <summary>Imports <paramref name="configuration"/> (JSON objects as <see cref="MapValue"/>).</summary>
    /// <exception cref="ImportException">The value is not a microvm.nix guest configuration, or has no host name.</exception>
    public static ImportResult Import(EvalValue configuration, ImportOptions options)
    {
        if (configuration is not MapValue root)
        {
            throw new ImportException("The configuration is not an attribute set (a JSON object).");
        }

        var microvm = Get(root, "microvm") as MapValue;
        var whole = microvm is not null;
        microvm ??= root;
        if (Get(microvm, "hypervisor") is null && Get(microvm, "volumes") is null && Get(microvm, "vcpu") is null)
        {
            throw new ImportException("This is not a microvm.nix guest configuration: it has none of microvm.hypervisor, microvm.vcpu or microvm.volumes. "
                + "Give the JSON of 'nix eval --json .#nixosConfigurations.<name>.config.microvm', or of an attribute set holding 'microvm'.");
        }

        var hostName = (whole ? Get(root, "networking.hostName") as StringValue : null)?.Value ?? options.HostName;
        if (string.IsNullOrEmpty(hostName))
        {
            throw new ImportException("The configuration does not say the guest's host name (networking.hostName): give it with --name.");
        }

        var importer = new Importer(options, hostName!, microvm);
        var vm = importer.VirtualMachine(root, whole);
        return new ImportResult(importer.Write(vm), importer.Notes);
    }

    /// <summary>The value at a dotted attribute path, or <c>null</c> when any name on the way is missing.</summary>
    internal static EvalValue? Get(EvalValue? value, string path)
    {
        foreach (var name in path.Split('.'))
        {
            if (value is not MapValue map)
            {
                return null;
            }

            value = null;
            foreach (var entry in map.Entries)
            {
                if (entry.Name == name)
                {
                    value = entry.Value;
                }
            }

            if (value is null)
            {
                return null;
            }
        }

        return value;
    }

    /// <summary>One import: the notes it gathers and the defaults it computes.</summary>
    private sealed class Importer(ImportOptions options, string hostName, MapValue microvm)
    {
        private readonly List<string> _notes = [];
        private bool _usesDictionaries;

        public IReadOnlyList<string> Notes => _notes;

        /// <summary>The VM's property assignments, in the schema's order.</summary>
        public List<(string Property, string Expression)> VirtualMachine(MapValue root, bool whole)
        {
            var assignments = new List<(string, string)> { ("HostName", Literal(hostName)) };
            if (whole)
            {
                if (Get(root, "system.stateVersion") is StringValue stateVersion)
                {
                    assignments.Add(("StateVersion", Literal(stateVersion.Value)));
                }

                if (Get(root, "users.users") is MapValue users && Users(users) is { } imported)
                {
                    assignments.Add(("Users", imported));
                }

                if (Get(root, "services.openssh.enable") is BoolValue { Value: true })
                {
                    assignments.Add(("SshServer", "true"));
                }

                // A typed network has two sides, and a guest's configuration tells only its own.
                if (Get(root, "systemd.network.enable") is BoolValue { Value: true } || Get(root, "systemd.network.networks") is MapValue { Entries.Count: > 0 })
                {
                    Note("systemd.network", "the guest's systemd-networkd units; describe its network in C# instead, as a Network on the interface (with its Address) and on its Host, whose side a guest's configuration does not tell");
                }

                if (Get(root, "networking.useNetworkd") is BoolValue { Value: true })
                {
                    Note("networking.useNetworkd", "a guest module sets it with its interfaces' typed networks");
                }
            }

            assignments.AddRange(Record(MicroVmSchema.VirtualMachine, microvm, "microvm"));
            return assignments;
        }

        private IEnumerable<(string Property, string Expression)> Record(RecordSchema schema, MapValue scope, string path)
        {
            foreach (var option in schema.Options.Where(o => o.Scope == OptionScope.Record))
            {
                var optionPath = path + "." + option.NixName;
                var value = Get(scope, option.NixName);
                if (value is null)
                {
                    continue;
                }

                if (option.Type == NixType.Submodule)
                {
                    if (value is MapValue group && Record(option.Element!, group, optionPath).ToList() is { Count: > 0 } inner)
                    {
                        yield return (option.Property, Object(inner));
                    }

                    continue;
                }

                if (IsDefault(option, value, scope, optionPath))
                {
                    continue;
                }

                if (Expression(option, value, optionPath) is { } expression)
                {
                    yield return (option.Property, expression);
                }
            }
        }

        /// <summary>Whether <paramref name="value"/> is what upstream gives the option when nobody sets it.</summary>
        private bool IsDefault(OptionSchema option, EvalValue value, MapValue scope, string path)
        {
            if (ComputedDefault(option, scope, path) is { } computed)
            {
                return Same(computed, value);
            }

            // An option upstream computes from elsewhere (a package, the kernel's parameters) is null when nothing set it.
            if (option.DefaultIsComputed && value is NullValue)
            {
                return true;
            }

            return option.Default is { } fallback && !option.Required && Same(fallback, value, option);
        }

        /// <summary>
        /// What upstream computes for an option from the rest of the configuration (options.nix at the pinned commit),
        /// or <c>null</c> for an option whose default is a constant.
        /// </summary>
        private EvalValue? ComputedDefault(OptionSchema option, MapValue scope, string path)
        {
            static StringValue S(string s) => new(s, null);
            static ListValue L(params string[] items) => new(items.Select(i => (EvalValue)new StringValue(i, null)).ToEquatableArray(), null);
            var darwin = options.System.EndsWith("-darwin", StringComparison.Ordinal);
            return path switch
            {
                "microvm.socket" => S(hostName + ".sock"),
                "microvm.hotpluggedMem" => Get(microvm, "hotplugMem") ?? new IntValue(0, null),
                "microvm.machineId" => S(MachineId(hostName)),
                "microvm.storeOnDisk" => new BoolValue(!Shares().Any(s => Get(s, "source") is StringValue { Value: "/nix/store" }), null),
                "microvm.systemSymlink" => new BoolValue(!((Get(microvm, "storeOnDisk") as BoolValue)?.Value ?? true), null),
                "microvm.storeDiskSquashfsFlags" => L("-c", "zstd", "-j", "$NIX_BUILD_CORES"),
                // Upstream's default grows with the guest's kernel (5.16, 6.1): any of the three is a default.
                "microvm.storeDiskErofsFlags" => ((Get(microvm, "storeDiskErofsFlags") as ListValue)?.Items.Select(i => (i as StringValue)?.Value).ToArray() is { } flags
                    && (flags.SequenceEqual(["-zlz4hc"]) || flags.SequenceEqual(["-zlz4hc", "-Eztailpacking"]) || flags.SequenceEqual(["-zlz4hc", "-Eztailpacking", "-Efragments"])))
                    ? Get(microvm, "storeDiskErofsFlags")
                    : L("-zlz4hc", "-Eztailpacking", "-Efragments"),
                "microvm.qemu.machine" => options.System is "x86_64-linux" ? S("microvm") : options.System is "aarch64-linux" or "aarch64-darwin" ? S("virt") : new NullValue(null),
                "microvm.graphics.backend" => S(darwin ? "cocoa" : "gtk"),
                "microvm.graphics.socket" => S(hostName + "-gpu.sock"),
                "microvm.virtiofsd.threadPoolSize" => S("`nproc`"),
                "microvm.shares.socket" => Get(scope, "proto") is StringValue { Value: "virtiofs" } && Get(scope, "tag") is StringValue tag
                    ? S(hostName + "-virtiofs-" + tag.Value + ".sock")
                    : new NullValue(null),
                _ => null,
            };
        }

        private EquatableArray<EvalValue> Shares() => (Get(microvm, "shares") as ListValue)?.Items ?? EquatableArray<EvalValue>.Empty;

        /// <summary>The C# for one option's value, or <c>null</c> (with a note) when it cannot be written as a record.</summary>
        private string? Expression(OptionSchema option, EvalValue value, string path)
        {
            if (value is NullValue)
            {
                return option.Nullable || option.Default is NullValue ? "null" : Skip(path, "it is null, which the record's type does not take");
            }

            switch (option.Type)
            {
                case NixType.Bool when value is BoolValue b:
                    return b.Value ? "true" : "false";
                case NixType.Int when value is IntValue i:
                    return i.Value.ToString(CultureInfo.InvariantCulture);
                case NixType.Int when value is StringValue s && path == "microvm.virtiofsd.threadPoolSize":
                    return Skip(path, "it is the shell expression " + Literal(s.Value) + ", which the record does not type; set it in a module of your own");
                case NixType.Str or NixType.Path when value is StringValue s:
                    return path == "microvm.initrdPath" && s.Value.StartsWith("/nix/store/", StringComparison.Ordinal)
                        ? Skip(path, "it is a store path (" + s.Value + "); set InitrdPath to a path on the host, or leave it to upstream")
                        : Literal(s.Value);
                case NixType.Enum when value is StringValue s:
                    var member = option.EnumNames.FirstOrDefault(p => p.Value == s.Value).Key;
                    return member is null
                        ? Skip(path, Literal(s.Value) + " is none of " + string.Join(", ", option.EnumNames.Select(p => p.Value)))
                        : option.EnumType!.Split('.').Last() + "." + member;
                case NixType.ListOfStr when value is ListValue list && list.Items.All(i => i is StringValue):
                    var items = list.Items.Cast<StringValue>().Select(i => i.Value).ToList();
                    if (path == "microvm.kernelParams")
                    {
                        var store = items.Where(i => i.Contains("/nix/store/")).ToList();
                        if (store.Count > 0)
                        {
                            Note(path, "left out " + string.Join(", ", store.Select(Literal)) + ": they name store paths, which NixOS sets from the guest's own build");
                            items = [.. items.Except(store)];
                        }
                    }

                    return List(items.Select(Literal));
                case NixType.AttrsOfStr when value is MapValue map && map.Entries.All(e => e.Value is StringValue):
                    _usesDictionaries = true;
                    return map.Entries.Count == 0
                        ? "new Dictionary<string, string>()"
                        : "new Dictionary<string, string> { " + string.Join(", ", map.Entries.Select(e => "[" + Literal(e.Name) + "] = " + Literal(((StringValue)e.Value).Value))) + " }";
                case NixType.JsonObject when value is MapValue map:
                    _usesDictionaries = true;
                    return Json(map);
                case NixType.DiskImage when value is StringValue s:
                    return Image(s.Value);
                case NixType.ListOfSubmodule when value is ListValue list:
                    var elements = new List<string>();
                    foreach (var (item, index) in list.Items.Select((item, index) => (item, index)))
                    {
                        if (item is MapValue element)
                        {
                            elements.Add(Object(Record(option.Element!, element, path).ToList()));
                        }
                        else
                        {
                            Note(path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]", "it is not an attribute set");
                        }
                    }

                    return List(elements);
                case NixType.Package:
                    return Skip(path, "it is a package (" + value.Describe() + "); name it with new NixPackage(\"<attribute path>\")");
                case NixType.PackageSet:
                    return Skip(path, "it is a package set; name its system with new NixPackageSet(\"<system>\")");
                default:
                    return Skip(path, "its value " + Shorten(value.Describe()) + " is not of the option's type");
            }
        }

        private static string? Users(MapValue users)
        {
            var imported = new List<string>();
            foreach (var entry in users.Entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                if (entry.Value is not MapValue user)
                {
                    continue;
                }

                var normal = Get(user, "isNormalUser") is BoolValue { Value: true };
                var keys = Get(user, "openssh.authorizedKeys.keys") as ListValue;
                var password = Get(user, "hashedPassword") as StringValue;
                if (!normal && !(entry.Name == "root" && (keys?.Items.Count > 0 || password is not null)))
                {
                    continue; // NixOS's system accounts: the guest's NixOS makes them
                }

                var fields = new List<(string, string)> { ("Name", Literal(entry.Name)) };
                if (Get(user, "extraGroups") is ListValue { Items.Count: > 0 } groups)
                {
                    fields.Add(("Groups", List(groups.Items.OfType<StringValue>().Select(g => Literal(g.Value)))));
                }

                if (password is not null)
                {
                    fields.Add(("HashedPassword", Literal(password.Value)));
                }

                if (keys is { Items.Count: > 0 })
                {
                    fields.Add(("AuthorizedKeys", List(keys.Items.OfType<StringValue>().Select(k => Literal(k.Value)))));
                }

                imported.Add(Object(fields));
            }

            return imported.Count == 0 ? null : List(imported);
        }

        /// <summary>A host path, or a zvol (<c>/dev/zvol/&lt;pool&gt;/&lt;dataset&gt;</c>) as a <c>Zvol</c>.</summary>
        private static string Image(string path)
        {
            const string Prefix = "/dev/zvol/";
            if (path.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var rest = path.Substring(Prefix.Length);
                var slash = rest.IndexOf('/');
                if (slash > 0 && slash < rest.Length - 1 && !rest.EndsWith("/", StringComparison.Ordinal) && !rest.Contains("//"))
                {
                    return "new Zvol(" + Literal(rest.Substring(0, slash)) + ", " + Literal(rest.Substring(slash + 1)) + ")";
                }
            }

            return Literal(path);
        }

        private string Json(EvalValue value) => value switch
        {
            MapValue map => map.Entries.Count == 0
                ? "new Dictionary<string, object>()"
                : "new Dictionary<string, object> { " + string.Join(", ", map.Entries.Select(e => "[" + Literal(e.Name) + "] = " + Json(e.Value))) + " }",
            ListValue list => "new object[] { " + string.Join(", ", list.Items.Select(Json)) + " }",
            StringValue s => Literal(s.Value),
            IntValue i => i.Value.ToString(CultureInfo.InvariantCulture) + (i.Value is >= int.MinValue and <= int.MaxValue ? string.Empty : "L"),
            FloatValue f => f.Value.ToString("R", CultureInfo.InvariantCulture) + "d",
            BoolValue b => b.Value ? "true" : "false",
            _ => "null!",
        };

        private string? Skip(string path, string why)
        {
            Note(path, why);
            return null;
        }

        private void Note(string path, string why) => _notes.Add(path + ": not imported: " + why + ".");

        /// <summary>The C# file: usings, namespace, class, the member, notes as comments.</summary>
        public string Write(List<(string Property, string Expression)> vm)
        {
            var code = new StringBuilder()
                .Append("// Imported by microvm-nix import from ").Append(OneLine(options.Source)).Append(".\n")
                .Append("// Only what differs from microvm.nix's defaults is written; review it, then build.\n");
            if (_usesDictionaries)
            {
                code.Append("using System.Collections.Generic;\n");
            }

            code.Append("using MicroVm.Nix;\n\n")
                .Append("namespace ").Append(options.Namespace).Append(";\n\n")
                .Append("public static class ").Append(options.Class).Append("\n{\n");
            foreach (var note in _notes)
            {
                code.Append("    // ").Append(OneLine(note)).Append('\n');
            }

            code.Append("    [MicroVmModule]\n")
                .Append("    public static readonly VirtualMachine ").Append(MemberName(hostName) is var member && member == options.Class ? member + "Vm" : member).Append(" = ")
                .Append(Indent(Object(vm), 1)).Append(";\n}\n");
            return code.ToString();
        }

        private static string Object(List<(string Property, string Expression)> fields) =>
            fields.Count == 0
                ? "new()"
                : "new()\n{\n" + string.Concat(fields.Select(f => "    " + f.Property + (f.Expression.StartsWith("[\n", StringComparison.Ordinal) ? " =\n    " : " = ") + Indent(f.Expression, 1) + ",\n")) + "}";

        /// <summary>A collection expression: on one line when short and flat, otherwise one element per line.</summary>
        private static string List(IEnumerable<string> elements)
        {
            var items = elements.ToList();
            var flat = "[" + string.Join(", ", items) + "]";
            return flat.Length <= 80 && !flat.Contains('\n')
                ? flat
                : "[\n" + string.Concat(items.Select(i => "    " + Indent(i, 1) + ",\n")) + "]";
        }

        private static string Indent(string text, int levels) => text.Replace("\n", "\n" + new string(' ', 4 * levels));
    }

    /// <summary>Upstream's default machine id: a UUID from the SHA-256 of <c>microvm.nix:&lt;hostName&gt;</c>.</summary>
    internal static string MachineId(string hostName)
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        var hash = string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes("microvm.nix:" + hostName)).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        return hash.Substring(0, 8) + "-" + hash.Substring(8, 4) + "-" + hash.Substring(12, 4) + "-" + hash.Substring(16, 4) + "-" + hash.Substring(20, 12);
    }

    /// <summary>A C# member name from a host name: <c>web-01</c> → <c>Web01</c>.</summary>
    internal static string MemberName(string hostName)
    {
        var name = new StringBuilder();
        var upper = true;
        foreach (var c in hostName)
        {
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9'))
            {
                name.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        return name.Length == 0 || char.IsDigit(name[0]) ? "Vm" + name : name.ToString();
    }

    /// <summary>A C# string literal, as the code fixes write one (Roslyn's own escaping).</summary>
    private static string Literal(string value) => Validation.VolumeRules.Literal(value);

    private static bool Same(EvalValue expected, EvalValue actual, OptionSchema? option = null) => (expected, actual) switch
    {
        (EnumValue e, StringValue s) => option?.NixEnumName(e.Member) == s.Value,
        (NullValue, NullValue) => true,
        (BoolValue a, BoolValue b) => a.Value == b.Value,
        (IntValue a, IntValue b) => a.Value == b.Value,
        (StringValue a, StringValue b) => a.Value == b.Value,
        (ListValue a, ListValue b) => a.Items.Count == b.Items.Count && a.Items.Zip(b.Items, (x, y) => Same(x, y)).All(x => x),
        (MapValue a, MapValue b) => a.Entries.Count == b.Entries.Count && a.Entries.All(e => Get(b, e.Name) is { } v && Same(e.Value, v)),
        _ => false,
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "…";

    private static string OneLine(string text) => text.Replace("\r", " ").Replace("\n", " ");
}

/// <summary>The input is not a configuration <see cref="ConfigImporter"/> can read.</summary>
internal sealed class ImportException(string message) : Exception(message);
