using System.Linq;
using MicroVm.Nix.Generator.Schema;

namespace MicroVm.Nix.Generator.Model;

/// <summary>
/// The host a VM is placed on, as its folder, its host module and <c>fleet.nix</c> need it: plain data without
/// locations, equal for every VM that carries the same description (MVN308 stops the build otherwise).
/// </summary>
/// <param name="Name">The host's name, which names its folder.</param>
/// <param name="System">Its Nix system.</param>
/// <param name="TargetHost">Where deployment tools connect: <c>TargetHost</c>, else the name.</param>
/// <param name="Options">The host-wide <c>microvm.*</c> options the description sets, in schema order.</param>
internal sealed record Placement(string Name, string System, string TargetHost, EquatableArray<FieldValue> Options)
{
    /// <summary>The host of <paramref name="vm"/>, or <c>null</c> when it has none.</summary>
    public static Placement? From(BoundRecord vm)
    {
        if (vm.Record("Host") is not { } host)
        {
            return null;
        }

        var name = host.String("Name") ?? string.Empty;
        return new Placement(
            name,
            host.String("System") ?? string.Empty,
            host.String("TargetHost") ?? name,
            host.Schema.Options
                .Where(o => o.Scope == OptionScope.Record && host.Explicit(o.Property) is not null)
                .Select(o => new FieldValue(o.NixName, host.Explicit(o.Property)! with { Location = null }))
                .ToEquatableArray());
    }
}

/// <summary>
/// What the checks across VMs need of a VM's host: its name, its whole description (to find one host described two
/// ways), its capacity and what the VM takes of it, with the locations to report at.
/// </summary>
/// <param name="Name">The host's name.</param>
/// <param name="Location">Where the VM sets its Host.</param>
/// <param name="Description">Every property of the host, <c>Name = value</c>, in schema order: equal descriptions are one host.</param>
/// <param name="Vcpus">The host's <c>Vcpus</c>, if set.</param>
/// <param name="VcpusLocation">Where it was set.</param>
/// <param name="MemoryBytes">The host's <c>Memory</c>, if set.</param>
/// <param name="MemoryLocation">Where it was set.</param>
/// <param name="VmVcpus">The VM's vCPUs.</param>
/// <param name="VmMemoryMiB">The VM's memory at most: <c>Mem</c> and <c>HotplugMem</c>.</param>
internal sealed record HostClaim(
    string Name,
    LocationInfo? Location,
    EquatableArray<string> Description,
    long? Vcpus,
    LocationInfo? VcpusLocation,
    long? MemoryBytes,
    LocationInfo? MemoryLocation,
    long VmVcpus,
    long VmMemoryMiB)
{
    /// <summary>The claim of <paramref name="vm"/>, or <c>null</c> when it has no host.</summary>
    public static HostClaim? From(BoundRecord vm)
    {
        if (vm.Record("Host") is not { } host)
        {
            return null;
        }

        return new HostClaim(
            host.String("Name") ?? string.Empty,
            vm.LocationOf("Host"),
            host.Schema.Options.Select(o => o.Property + " = " + Canonical(host.Effective(o.Property))).ToEquatableArray(),
            host.Int("Vcpus"),
            host.LocationOf("Vcpus"),
            Validation.VolumeRules.Bytes(host.Effective("Memory")),
            host.LocationOf("Memory"),
            vm.Int("Vcpu") ?? 1,
            (vm.Int("Mem") ?? 512) + (vm.Int("HotplugMem") ?? 0));
    }

    /// <summary>A value as text that differs exactly when the values differ, locations aside.</summary>
    private static string Canonical(EvalValue? value) => value switch
    {
        null => "null",
        ObjectValue o when o.Type == MicroVmSchema.DataSizeType && Validation.VolumeRules.Bytes(o) is { } bytes => Emitting.NixSyntax.Int(bytes) + " bytes",
        ObjectValue o => o.Type.Split('.').Last() + " { " + string.Join(", ", o.Fields.Select(f => f.Name + " = " + Canonical(f.Value))) + " }",
        ListValue l => "[" + string.Join(", ", l.Items.Select(Canonical)) + "]",
        MapValue m => "{ " + string.Join(", ", m.Entries.Select(e => e.Name + " = " + Canonical(e.Value))) + " }",
        _ => value.Describe(),
    };

    /// <summary>The same claim without source locations (<see cref="FleetFacts.WithoutLocations"/>).</summary>
    public HostClaim WithoutLocations() => this with { Location = null, VcpusLocation = null, MemoryLocation = null };
}
