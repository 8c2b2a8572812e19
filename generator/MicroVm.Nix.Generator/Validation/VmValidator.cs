using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MicroVm.Nix.Generator.Diagnostics;
using MicroVm.Nix.Generator.Model;
using MicroVm.Nix.Generator.Schema;

namespace MicroVm.Nix.Generator.Validation;

/// <summary>
/// The checks on one VM that would otherwise fail late: upstream's assertions (asserts.nix), its
/// runners' throws (<see cref="HypervisorCapabilities"/>), and the pitfalls of raw block devices.
/// Each diagnostic lands on the expression that set the offending value.
/// </summary>
internal static class VmValidator
{
    /// <summary>
    /// Runs every check on <paramref name="spec"/>. When some value of the VM could not be read (its MVN001 is reported),
    /// each check runs on its own: a check that reads that value says nothing (its outcome is unknown), the others still
    /// report, so one mistake does not hide the rest.
    /// </summary>
    public static void Validate(VmSpec spec, List<DiagnosticInfo> diagnostics)
    {
        foreach (var check in Checks)
        {
            if (!spec.HasUnread)
            {
                check(spec, diagnostics);
                continue;
            }

            var own = new List<DiagnosticInfo>();
            try
            {
                check(spec, own);
                diagnostics.AddRange(own);
            }
            catch (UnreadException)
            {
                // The check read a value that could not be read.
            }
        }
    }

    private static readonly System.Action<VmSpec, List<DiagnosticInfo>>[] Checks =
    [
        static (spec, diagnostics) =>
        {
            var vm = spec.Vm;
            var hostName = vm.String("HostName") ?? string.Empty;
            if (!IsValidHostName(hostName))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHostName, vm.LocationOf("HostName"), hostName));
            }
            else if (string.Equals(hostName, "default", System.StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedHostName, vm.LocationOf("HostName"), hostName));
            }
        },
        static (spec, diagnostics) => CheckRanges(spec.Vm, spec.Member, diagnostics),
        static (spec, diagnostics) =>
        {
            var vm = spec.Vm;
            var mem = vm.Int("Mem") ?? 512;
            if (mem is > 0 and < 32)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemoryTooSmall, vm.LocationOf("Mem"), Number(mem)));
            }

            if (mem == 2048 && vm.Enum("Hypervisor") == "Qemu")
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.QemuExactly2048, vm.LocationOf("Mem")).WithFix("Mem", "2047", "Use 2047 MiB"));
            }
        },
        static (spec, diagnostics) =>
        {
            if (spec.Vm.Explicit("VsockCid") is IntValue { Value: < 3 } cid)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedVsockCid, cid.Location, Number(cid.Value)));
            }
        },
        static (spec, diagnostics) =>
        {
            if (spec.Vm.Explicit("StateVersion") is StringValue stateVersion && !IsRelease(stateVersion.Value))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotANixosRelease, stateVersion.Location, stateVersion.Value));
            }
        },
        static (spec, diagnostics) =>
        {
            if (spec.Vm.Explicit("VsockSshEnable") is BoolValue { Value: true } vsockSsh && spec.Vm.Effective("VsockCid") is not IntValue)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.VsockSshWithoutCid, vsockSsh.Location));
            }
        },
        static (spec, diagnostics) =>
        {
            if (spec.Vm.Explicit("StoreOnDisk") is BoolValue { Value: false } storeOnDisk && !SharesHostStore(spec.Vm))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StoreNowhere, storeOnDisk.Location));
            }
        },
        static (spec, diagnostics) =>
        {
            var vm = spec.Vm;
            if (vm.Count("ForwardPorts") > 0)
            {
                var reason = vm.Enum("Hypervisor") != "Qemu"
                    ? "this VM uses " + HypervisorName(vm)
                    : !vm.Records("Interfaces").Any(i => i.Enum("Type") == "User") ? "this VM has no interface of type User" : null;
                if (reason is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ForwardPortsNeedQemuUser, vm.LocationOf("ForwardPorts"), reason));
                }
            }
        },
        static (spec, diagnostics) =>
        {
            foreach (var import in (spec.Vm.Effective("Imports") as ListValue)?.Items.OfType<StringValue>() ?? [])
            {
                if (!Emitting.NixSyntax.IsRelativePath(import.Value))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidImportPath, import.Location, import.Value));
                }
            }
        },
        static (spec, diagnostics) => CheckExtraConfig(spec.Vm, diagnostics),
        static (spec, diagnostics) =>
        {
            // Upstream asserts this only when the VM runs on cloud-hypervisor.
            var vm = spec.Vm;
            foreach (var oem in vm.Enum("Hypervisor") == "CloudHypervisor"
                ? (vm.Record("CloudHypervisor")?.Effective("PlatformOemStrings") as ListValue)?.Items.OfType<StringValue>() ?? []
                : [])
            {
                if (oem.Value.Contains("oem_strings"))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OemStringsInOemStrings, oem.Location, oem.Value));
                }
            }
        },
        static (spec, diagnostics) => VolumeRules.Validate(spec, diagnostics),
        static (spec, diagnostics) => NetworkRules.Validate(spec, diagnostics),
        static (spec, diagnostics) => HostRules.Validate(spec, diagnostics),
        static (spec, diagnostics) => TypedNetworkRules.Validate(spec, diagnostics),
        static (spec, diagnostics) => ShareRules.Validate(spec, diagnostics),
        static (spec, diagnostics) => UserRules.Validate(spec.Vm, diagnostics),
        static (spec, diagnostics) => CheckPackages(spec.Vm, diagnostics),
        static (spec, diagnostics) => CheckPackageSet(spec.Vm, diagnostics),
        static (spec, diagnostics) => CheckBinScripts(spec.Vm, diagnostics),
        static (spec, diagnostics) => ApplyCapabilities(spec.Vm, diagnostics),
        static (spec, diagnostics) => CloudHypervisorArgs.Validate(spec.Vm, diagnostics),
        static (spec, diagnostics) => MountRules.Validate(spec.Vm, diagnostics),
        static (spec, diagnostics) => ContextRules.Validate(spec.Vm, diagnostics),
    ];

    /// <summary>
    /// ExtraConfig keys are option paths: no empty component, and none of the options the typed
    /// properties set (two definitions of one option would conflict, or silently merge, in Nix).
    /// </summary>
    private static void CheckExtraConfig(BoundRecord vm, List<DiagnosticInfo> diagnostics)
    {
        if (vm.Effective("ExtraConfig") is not MapValue { Entries.Count: > 0 } extra)
        {
            return;
        }

        var typed = TypedPaths.Concat(UserPaths(vm)).ToList();
        var defined = new AttrTree();
        foreach (var entry in extra.Entries)
        {
            var location = entry.NameLocation ?? entry.Value.Location ?? extra.Location;
            var names = Emitting.NixSyntax.ParseAttrPath(entry.Name, out var syntax);
            var problem = names is null
                ? "is not a Nix attribute path: it " + syntax + ". Write names that are not plain identifiers in double quotes (boot.kernel.sysctl.\"vm.swappiness\"), or nest dictionaries, whose keys are names as they are: " + NestedForm(entry.Name)
                : Covered(typed, names, entry.Value) is { } covered
                    ? "sets '" + string.Join(".", covered) + "', which a VirtualMachine property covers: set that property instead"
                    : defined.Add(names, entry.Value) is { } twice
                        ? "defines '" + Emitting.NixSyntax.AttrPath(twice) + "', which another ExtraConfig entry defines too; Nix refuses an attribute defined twice"
                        : null;
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidExtraConfigKey, location, entry.Name, problem));
            }
            else if (names is { Count: > 0 } && names[0] == "microvm")
            {
                CheckAgainstLedger(entry.Name, names, entry.Value, location, diagnostics);
            }
        }
    }

    /// <summary>
    /// A <c>microvm.*</c> option no property types is checked as upstream's module system would check
    /// it (<see cref="UpstreamLedger"/>): it must be an option upstream declares for a guest, and its
    /// value of upstream's type; a dictionary under a group of options is checked entry by entry.
    /// </summary>
    private static void CheckAgainstLedger(string key, IReadOnlyList<string> path, EvalValue value, LocationInfo? location, List<DiagnosticInfo> diagnostics)
    {
        var joined = string.Join(".", path);
        string? problem;
        if (UpstreamLedger.GuestOption(joined) is { } option)
        {
            if (!option.Visible)
            {
                problem = "sets '" + joined + "', which microvm.nix no longer supports: it keeps the option only to report that it was removed or renamed";
            }
            else
            {
                if (option.Shape.Accepts(value) is false)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ExtraConfigValueNotOfUpstreamType, value.Location ?? location, joined, value.Describe(), option.Type));
                }

                return;
            }
        }
        else if (UpstreamLedger.IsGuestGroup(joined))
        {
            if (value is MapValue group)
            {
                foreach (var entry in group.Entries)
                {
                    CheckAgainstLedger(key, [.. path, entry.Name], entry.Value, entry.NameLocation ?? entry.Value.Location ?? location, diagnostics);
                }

                return;
            }

            problem = "sets '" + joined + "', a group of microvm.nix options, to " + value.Describe() + " instead of a dictionary of its options";
        }
        else
        {
            problem = "sets '" + joined + "', which is not an option microvm.nix declares for a guest (microvm.nix " + UpstreamLedger.Commit.Substring(0, 7) + ")";
        }

        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidExtraConfigKey, location, key, problem));
    }

    /// <summary>
    /// The typed option an ExtraConfig entry at <paramref name="path"/> sets, or <c>null</c>: one at or above
    /// the path, or, for a dictionary over a group (<c>["microvm.graphics"] = { … }</c>), one its entries set.
    /// </summary>
    private static IReadOnlyList<string>? Covered(List<IReadOnlyList<string>> typed, IReadOnlyList<string> path, EvalValue value)
    {
        if (typed.FirstOrDefault(t => StartsWith(path, t)) is { } exact)
        {
            return exact;
        }

        if (typed.FirstOrDefault(t => StartsWith(t, path)) is not { } below)
        {
            return null;
        }

        return value is MapValue map
            ? map.Entries.Select(e => Covered(typed, [.. path, e.Name], e.Value)).FirstOrDefault(c => c is not null)
            : below;
    }

    private static bool StartsWith(IReadOnlyList<string> path, IReadOnlyList<string> prefix) =>
        prefix.Count <= path.Count && prefix.Select((name, i) => path[i] == name).All(x => x);

    /// <summary>
    /// The nested-dictionary form of a key that is not an attribute path: its leading plain names as the
    /// outer key, every other part (quotes removed) as a key of its own, for the diagnostic to show.
    /// </summary>
    private static string NestedForm(string key)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in key)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '.' && !quoted)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        parts.RemoveAll(p => p.Length == 0);
        var plain = parts.TakeWhile(p => Emitting.NixSyntax.ParseAttrPath(p, out _) is { Count: 1 } && p.IndexOf('"') < 0).ToList();
        var rest = parts.Skip(plain.Count).ToList();
        if (plain.Count == 0 && rest.Count > 0)
        {
            plain.Add(rest[0]);
            rest.RemoveAt(0);
        }

        var code = "[" + VolumeRules.Literal(string.Join(".", plain)) + "] = ";
        foreach (var part in rest)
        {
            code += "new Dictionary<string, object> { [" + VolumeRules.Literal(part) + "] = ";
        }

        return code + "…" + string.Concat(rest.Select(_ => " }"));
    }

    /// <summary>
    /// The attributes the ExtraConfig entries define, merged as Nix merges one attribute set: paths
    /// and nested dictionaries share names freely, but one attribute may be given a value only once.
    /// </summary>
    private sealed class AttrTree
    {
        private readonly Dictionary<string, AttrTree?> _children = new(System.StringComparer.Ordinal);

        /// <summary>Adds <paramref name="value"/> at <paramref name="path"/>; returns the path defined twice, if any.</summary>
        public IReadOnlyList<string>? Add(IReadOnlyList<string> path, EvalValue value) => Add(path, 0, value);

        private IReadOnlyList<string>? Add(IReadOnlyList<string> path, int depth, EvalValue value)
        {
            var name = path[depth];
            var isLast = depth == path.Count - 1;
            _children.TryGetValue(name, out var child);
            var exists = _children.ContainsKey(name);
            if (!isLast)
            {
                if (exists && child is null)
                {
                    return path.Take(depth + 1).ToList();
                }

                if (child is null)
                {
                    child = new AttrTree();
                    _children[name] = child;
                }

                return child.Add(path, depth + 1, value);
            }

            if (value is not MapValue map)
            {
                if (exists)
                {
                    return path;
                }

                _children[name] = null;
                return null;
            }

            if (exists && child is null)
            {
                return path;
            }

            if (child is null)
            {
                child = new AttrTree();
                _children[name] = child;
            }

            foreach (var entry in map.Entries)
            {
                if (child.Add([.. path, entry.Name], depth + 1, entry.Value) is { } twice)
                {
                    return twice;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// The option paths a VM's properties set in its guest module: every typed <c>microvm.*</c> option
    /// outside lists of records (<see cref="MicroVmSchema.UpstreamPaths"/>, held to upstream by its
    /// ledger), and the NixOS options set outside <c>microvm</c> (<c>networking.hostName</c>,
    /// <c>system.stateVersion</c>, <c>imports</c>).
    /// </summary>
    private static readonly List<IReadOnlyList<string>> TypedPaths =
    [
        .. MicroVmSchema.UpstreamPaths()
            .Where(p => p.Path.IndexOf('*') < 0 && p.Path.IndexOf('<') < 0)
            .Select(p => (IReadOnlyList<string>)p.Path.Split('.')),
        .. MicroVmSchema.VirtualMachine.Options
            .Where(o => o.Scope == OptionScope.GuestRoot && o.Type is not (NixType.AttrsOfAny or NixType.ListOfSubmodule))
            .Select(o => (IReadOnlyList<string>)o.NixName.Split('.')),
    ];

    /// <summary>
    /// The <c>users.users.&lt;name&gt;.*</c> options the VM's <c>Users</c> set: ExtraConfig may add others to
    /// the same account (the module system merges them), not set these a second time.
    /// </summary>
    private static IEnumerable<IReadOnlyList<string>> UserPaths(BoundRecord vm) =>
        vm.Records("Users").SelectMany(user => user.String("Name") is not { } name
            ? []
            : user.Schema.Options.Where(o => o.Property != "Name" && user.Explicit(o.Property) is not null).Select(o => o.NixName)
                .Concat(Emitting.ModuleEmitter.IsNormalUser(name) ? ["isNormalUser"] : [])
                .Select(field => (IReadOnlyList<string>)["users", "users", name, .. field.Split('.')]));

    /// <summary>The scripts upstream puts into the runner's bin/ itself, and what it does to one of the same name (lib/runner.nix:171, the guest modules).</summary>
    private static readonly Dictionary<string, string> UpstreamBinScripts = new(System.StringComparer.Ordinal)
    {
        ["microvm-run"] = "the runner's own (lib/runner.nix) replaces yours",
        ["microvm-shutdown"] = "the runner's own (lib/runner.nix) replaces yours",
        ["microvm-balloon"] = "the runner's own (lib/runner.nix) replaces yours",
        ["microvm-register"] = "the runner's own (lib/runner.nix) replaces yours",
        ["microvm-unregister"] = "the runner's own (lib/runner.nix) replaces yours",
        ["tap-up"] = "upstream's (nixos-modules/microvm/interfaces.nix) would be joined with yours, line after line, into one script",
        ["macvtap-up"] = "upstream's (nixos-modules/microvm/interfaces.nix) would be joined with yours, line after line, into one script",
        ["pci-setup"] = "upstream's (nixos-modules/microvm/pci-devices.nix) would be joined with yours, line after line, into one script",
        ["virtiofsd-run"] = "upstream's (nixos-modules/microvm/virtiofsd/default.nix) would be joined with yours, line after line, into one script",
    };

    /// <summary>A bin script under a name upstream writes itself is replaced or merged silently (MVN238).</summary>
    private static void CheckBinScripts(BoundRecord vm, List<DiagnosticInfo> diagnostics)
    {
        if (vm.Effective("BinScripts") is not MapValue scripts)
        {
            return;
        }

        foreach (var entry in scripts.Entries)
        {
            if (UpstreamBinScripts.TryGetValue(entry.Name, out var what))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.BinScriptUpstreamWrites, entry.NameLocation ?? entry.Value.Location ?? scripts.Location, entry.Name, what));
            }
        }
    }

    /// <summary>The packages and package sets the VM and its settings records name: each option and its <c>NixPackage</c> or <c>NixPackageSet</c>.</summary>
    internal static IEnumerable<(OptionSchema Option, ObjectValue Package)> Packages(BoundRecord vm) =>
        ContextRules.RecordsOf(vm).SelectMany(r => r.Record.Schema.Options
            .Where(o => o.PackageSet is not null)
            .Select(o => (Option: o, Package: r.Record.Explicit(o.Property) as ObjectValue))
            .Where(p => p.Package is not null)
            .Select(p => (p.Option, p.Package!)));

    /// <summary>Every package names an attribute path (MVN237): what a generated module writes after <c>pkgs.</c> must read as one.</summary>
    private static void CheckPackages(BoundRecord vm, List<DiagnosticInfo> diagnostics)
    {
        foreach (var (_, package) in Packages(vm))
        {
            if (package.Get("AttributePath")?.Value is StringValue path && Emitting.NixSyntax.ParseAttrPath(path.Value, out var problem) is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidPackagePath, path.Location, path.Value, problem ?? "is empty"));
            }
        }
    }

    /// <summary>A package set names a system nixpkgs knows (MVN251), as <c>import pkgs.path { system = …; }</c> needs.</summary>
    private static void CheckPackageSet(BoundRecord vm, List<DiagnosticInfo> diagnostics)
    {
        if (vm.Explicit("VmHostPackages") is ObjectValue set && set.Get("System")?.Value is StringValue system
            && System.Array.IndexOf(UpstreamLedger.Systems, system.Value) < 0)
        {
            var near = UpstreamLedger.Systems.FirstOrDefault(s => string.Equals(s, system.Value.Trim(), System.StringComparison.OrdinalIgnoreCase));
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownPackageSetSystem, system.Location, system.Value, near is null ? string.Empty : " (did you mean '" + near + "'?)"));
        }
    }

    /// <summary>A NixOS release as <c>system.stateVersion</c> names one: <c>YY.MM</c>, such as 25.05.</summary>
    private static bool IsRelease(string value) =>
        value.Length == 5 && value[2] == '.' && value.Where((c, i) => i != 2).All(c => c is >= '0' and <= '9')
        && string.CompareOrdinal(value.Substring(3), "01") >= 0 && string.CompareOrdinal(value.Substring(3), "12") <= 0;

    /// <summary>Upstream's integer ranges (<c>ints.positive</c>, <c>types.port</c>, …), on the VM and every nested record.</summary>
    private static void CheckRanges(BoundRecord record, string path, List<DiagnosticInfo> diagnostics)
    {
        foreach (var option in record.Schema.Options)
        {
            // Each value on its own: one that could not be read (UnreadValue) is no int, and skipped.
            var set = record.Value.Get(option.Property)?.Value;
            if (option.Type == NixType.Submodule && set is ObjectValue)
            {
                CheckRanges(record.Record(option.Property)!, path + "." + option.Property, diagnostics);
            }
            else if (option.Type == NixType.ListOfSubmodule && set is not UnreadValue)
            {
                var items = record.Records(option.Property);
                for (var i = 0; i < items.Count; i++)
                {
                    CheckRanges(items[i], path + "." + option.Property + "[" + Number(i) + "]", diagnostics);
                }
            }
            else if ((option.Minimum is not null || option.Maximum is not null)
                && set is IntValue value
                && (value.Value < option.Minimum || value.Value > option.Maximum))
            {
                var range = option.Maximum is { } max
                    ? Number(option.Minimum ?? long.MinValue) + " to " + Number(max)
                    : "at least " + Number(option.Minimum!.Value);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ValueOutOfRange, value.Location,
                    path + "." + option.Property, Number(value.Value), record.Schema.NixPath + "." + option.NixName, range));
            }
        }
    }

    private static void ApplyCapabilities(BoundRecord vm, List<DiagnosticInfo> diagnostics)
    {
        var hypervisor = vm.Enum("Hypervisor");
        foreach (var rule in HypervisorCapabilities.Rules.Where(r => r.Hypervisor == hypervisor))
        {
            var targets = rule.Collection is null ? [vm] : vm.Records(rule.Collection).AsImmutableArray();
            foreach (var target in targets.Where(rule.Applies))
            {
                var subject = target.Schema.Find("Type") is not null && target.Enum("Type") is { } type
                    ? rule.Upstream.Replace("${type}", NixEnum(target, "Type", type))
                    : rule.Upstream;
                var diagnostic = rule.Kind switch
                {
                    CapabilityKind.Unsupported => DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedByHypervisor, target.LocationOf(rule.Property), rule.Subject, HypervisorName(vm), subject, rule.Source, rule.Advice),
                    CapabilityKind.FailsAtStart => DiagnosticInfo.Create(DiagnosticDescriptors.FailsAtStart, target.LocationOf(rule.Property), rule.Subject, HypervisorName(vm), subject, rule.Source, rule.Advice),
                    _ => DiagnosticInfo.Create(DiagnosticDescriptors.HypervisorCaveat, target.LocationOf(rule.Property), rule.Subject, rule.Effect, HypervisorName(vm), subject.TrimEnd('.'), rule.Source, rule.Advice),
                };
                diagnostics.Add(rule.FixValue is null ? diagnostic : diagnostic.WithFix(rule.FixProperty ?? rule.Property, rule.FixValue, rule.FixTitle ?? "Fix"));
            }
        }
    }

    /// <summary>Whether the host's /nix/store is one of the VM's shares (upstream's storeOnDisk default is the opposite).</summary>
    public static bool SharesHostStore(BoundRecord vm) => vm.Records("Shares").Any(s => s.String("Source") == "/nix/store");

    /// <summary>Upstream's storeOnDisk: what the C# set, else true unless the host store is shared.</summary>
    public static bool StoreOnDisk(BoundRecord vm) => vm.Explicit("StoreOnDisk") is BoolValue b ? b.Value : !SharesHostStore(vm);

    public static string HypervisorName(BoundRecord vm) => NixEnum(vm, "Hypervisor", vm.Enum("Hypervisor") ?? "Qemu");

    private static string NixEnum(BoundRecord record, string property, string member) => record.Schema[property].NixEnumName(member) ?? member;

    /// <summary>The host path of a volume's image, as the module will write it.</summary>
    public static string? ImagePath(BoundRecord volume) => volume.Effective("Image") is ObjectValue image ? HostPath(image) : null;

    /// <summary>The host path of a <c>DiskImage</c> value; mirrors <c>DiskImage.HostPath</c> in the runtime.</summary>
    public static string? HostPath(ObjectValue image) => image.Type switch
    {
        MicroVmSchema.HostPathImageType => (image.Get("Path")?.Value as StringValue)?.Value,
        MicroVmSchema.ZvolType => ZvolName(image) is { } name ? "/dev/zvol/" + ZvolDeviceName(name) : null,
        _ => null,
    };

    /// <summary>A zvol's ZFS name, <c>pool/dataset</c>, or <c>null</c> for any other image; mirrors <c>Zvol.Name</c> in the runtime.</summary>
    public static string? ZvolName(ObjectValue image) =>
        image.Type == MicroVmSchema.ZvolType && image.Get("Pool")?.Value is StringValue pool && image.Get("Dataset")?.Value is StringValue dataset
            ? pool.Value + "/" + dataset.Value
            : null;

    /// <summary>
    /// A zvol's name as OpenZFS's udev helper zvol_id prints it, and so as it appears under /dev/zvol:
    /// blanks become '+' (udev/zvol_id.c, since zfs-0.6.4; '+' is not allowed in ZFS names, so nothing
    /// else maps to it). Mirrors <c>Zvol.HostPath</c> in the runtime.
    /// </summary>
    public static string ZvolDeviceName(string zfsName) => zfsName.Replace(' ', '+');

    /// <summary>Mirrors <c>DiskImage.IsBlockDevice</c>: anything under <c>/dev/</c>.</summary>
    public static bool IsBlockDevice(string hostPath) => hostPath.StartsWith("/dev/", System.StringComparison.Ordinal);

    /// <summary>An RFC 1123 label: 1–63 letters, digits and hyphens, not starting or ending with a hyphen.</summary>
    public static bool IsValidHostName(string name) =>
        name.Length is >= 1 and <= 63
        && name[0] != '-' && name[name.Length - 1] != '-'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-');

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
