using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Schema;

/// <summary>The Nix type of an option, as upstream declares it.</summary>
internal enum NixType
{
    /// <summary><c>types.bool</c>.</summary>
    Bool,

    /// <summary><c>types.int</c> and its ranges (<c>ints.positive</c>, <c>ints.unsigned</c>).</summary>
    Int,

    /// <summary><c>types.str</c>.</summary>
    Str,

    /// <summary><c>types.path</c>: an absolute path, written as a string.</summary>
    Path,

    /// <summary><c>types.enum [ … ]</c>, written from a C# enum through <see cref="OptionSchema.EnumNames"/>.</summary>
    Enum,

    /// <summary><c>listOf str</c>.</summary>
    ListOfStr,

    /// <summary><c>attrsOf str</c> or <c>attrsOf path</c>, from a C# dictionary with string keys.</summary>
    AttrsOfStr,

    /// <summary><c>listOf (submodule …)</c>, one C# record per element.</summary>
    ListOfSubmodule,

    /// <summary>A group of options under one prefix (<c>qemu.*</c>), one C# record, written as attribute paths.</summary>
    Submodule,

    /// <summary>Free-form NixOS configuration: a dictionary of option paths to plain values, every string escaped.</summary>
    AttrsOfAny,

    /// <summary>A package, a <c>NixPackage</c> in C#: an attribute path in the package set of <see cref="OptionSchema.PackageSet"/>.</summary>
    Package,

    /// <summary>
    /// A package set, a <c>NixPackageSet</c> in C#: the guest's nixpkgs for another system, written
    /// <c>import pkgs.path { system = "…"; }</c>.
    /// </summary>
    PackageSet,

    /// <summary>A JSON object (a C# dictionary of plain values, keys as they are), which upstream writes with <c>builtins.toJSON</c>.</summary>
    JsonObject,

    /// <summary>A list of module paths relative to the output folder (<c>imports</c>).</summary>
    ListOfPath,

    /// <summary>A <c>DataSize</c> (bytes with a unit in C#), for host-side ZFS properties.</summary>
    DataSize,

    /// <summary>A host path given as a <c>DiskImage</c> (a string or a <c>Zvol</c>); a <c>str</c> in Nix.</summary>
    DiskImage,
}

/// <summary>Where an option is written.</summary>
internal enum OptionScope
{
    /// <summary>Inside the record's scope: <c>microvm.vcpu</c>, a volume's <c>image</c>.</summary>
    Record,

    /// <summary>At the guest module's top level: <c>networking.hostName</c>, <c>imports</c>, extra NixOS config.</summary>
    GuestRoot,

    /// <summary>In the host module, under <c>microvm.vms.&lt;name&gt;</c>: <c>autostart</c>, <c>restartIfChanged</c>.</summary>
    Host,

    /// <summary>
    /// MicroVm.Nix's own, not a NixOS option: where a VM runs (<c>VirtualMachine.Host</c>) and what a host has
    /// (<c>Host.Pools</c>, its capacity, how it is reached), read by the checks, the folders and <c>fleet.nix</c>.
    /// </summary>
    Fleet,
}

/// <summary>
/// One upstream option and the C# property that sets it: the single description that the parser,
/// validation, templates, docs and tests all read.
/// </summary>
/// <param name="Property">The C# property name on the runtime record.</param>
/// <param name="NixName">The attribute name upstream uses, relative to the record's scope.</param>
/// <param name="Type">The Nix type.</param>
/// <param name="Default">Upstream's default, or <c>null</c> when upstream has none and the option must always be set.</param>
/// <param name="Nullable">Whether upstream accepts <c>null</c> (<c>nullOr …</c>).</param>
/// <param name="Minimum">The least integer upstream accepts (1 for <c>ints.positive</c>), if any.</param>
/// <param name="Description">Upstream's description, condensed.</param>
internal sealed record OptionSchema(
    string Property,
    string NixName,
    NixType Type,
    EvalValue? Default,
    bool Nullable,
    long? Minimum,
    string Description)
{
    /// <summary>Upstream has no default: the generated module always sets this option.</summary>
    public bool Required => Default is null;

    /// <summary>The greatest integer upstream accepts (65535 for <c>types.port</c>), if any.</summary>
    public long? Maximum { get; init; }

    /// <summary>
    /// Upstream computes the default from other options (<c>hotpluggedMem</c>, a share's <c>socket</c>):
    /// C# <c>null</c> leaves it to upstream, and <see cref="OptionSchema.Default"/> is only a placeholder.
    /// </summary>
    public bool DefaultIsComputed { get; init; }

    /// <summary>Where the option is written: inside the record's scope, at the guest module's top level, or in the host module.</summary>
    public OptionScope Scope { get; init; } = OptionScope.Record;

    /// <summary>For <see cref="NixType.Enum"/>: C# member name → Nix string, in upstream's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnumNames { get; init; } = [];

    /// <summary>For <see cref="NixType.Enum"/>: the metadata name of the C# enum.</summary>
    public string? EnumType { get; init; }

    /// <summary>
    /// Upstream's type as nixpkgs' lib describes it, where <see cref="Type"/> alone does not say it
    /// (<c>non-empty string</c>, <c>attribute set of absolute path</c>); checked against the ledger.
    /// </summary>
    public string? NixTypeDescription { get; init; }

    /// <summary>
    /// What upstream's type accepts that the C# type does not yet, and how to reach it meanwhile;
    /// <c>null</c> when the C# type accepts exactly what upstream's does (checked against the ledger).
    /// </summary>
    public string? TypeGap { get; init; }

    /// <summary>
    /// For <see cref="NixType.Package"/>: the package set its attribute path is read in, as the guest module writes it
    /// (<c>pkgs</c>, or <c>config.microvm.vmHostPackages</c> for programs that run on the host), as upstream's default does;
    /// for <see cref="NixType.PackageSet"/>: the set whose nixpkgs (<c>pkgs.path</c>) it imports. Either way, the module
    /// argument the value needs.
    /// </summary>
    public string? PackageSet { get; init; }

    /// <summary>For <see cref="NixType.ListOfSubmodule"/>: the element record.</summary>
    public RecordSchema? Element { get; init; }

    public string? NixEnumName(string member) => EnumNames.FirstOrDefault(p => p.Key == member).Value;
}

/// <summary>A runtime record type and the options its properties set.</summary>
/// <param name="Type">The metadata name of the C# record.</param>
/// <param name="NixPath">Where its options live in a NixOS configuration, for docs and messages.</param>
/// <param name="Options">Its options, in upstream's declaration order (the order they are written in).</param>
internal sealed record RecordSchema(string Type, string NixPath, IReadOnlyList<OptionSchema> Options)
{
    // Every check looks options up by name, many times per VM: an index, outside what equality compares.
    private readonly Dictionary<string, OptionSchema> _byProperty = Options.GroupBy(o => o.Property).ToDictionary(g => g.Key, g => g.First(), System.StringComparer.Ordinal);

    public OptionSchema? Find(string property) => _byProperty.TryGetValue(property, out var option) ? option : null;

    /// <summary>Equal when type, path and (the same list of) options are: the index is derived.</summary>
    public bool Equals(RecordSchema? other) =>
        other is not null && Type == other.Type && NixPath == other.NixPath && EqualityComparer<IReadOnlyList<OptionSchema>>.Default.Equals(Options, other.Options);

    /// <inheritdoc/>
    public override int GetHashCode() => (Type, NixPath, Options).GetHashCode();

    public OptionSchema this[string property] => Find(property) ?? throw new KeyNotFoundException(property);
}

/// <summary>
/// An option upstream declares (a path in <c>generator/upstream/options.json</c>, the ledger) that the
/// records do not type, and why: either deliberately (<paramref name="Deliberate"/>), or not yet.
/// </summary>
/// <param name="Path">The option's path in the ledger (<c>microvm.graphics.enable</c>, <c>microvm.vms.&lt;name&gt;.flake</c>).</param>
/// <param name="Reason">Why it is not typed, or how a user sets it meanwhile.</param>
/// <param name="Deliberate">Not modelled on purpose; otherwise, still to be typed.</param>
internal sealed record UntypedOption(string Path, string Reason, bool Deliberate);
