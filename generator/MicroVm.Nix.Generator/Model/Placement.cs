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
/// <param name="Networks">The typed networks the host takes part in, in the order its description lists them.</param>
internal sealed record Placement(string Name, string System, string TargetHost, EquatableArray<FieldValue> Options, EquatableArray<NetworkPlan> Networks)
{
    /// <summary>The host of <paramref name="vm"/>, or <c>null</c> when it has none.</summary>
    public static Placement? From(BoundRecord vm) => vm.Record("Host") is { } host ? Of(host) : null;

    /// <summary>The placement a host's description gives.</summary>
    public static Placement Of(BoundRecord host)
    {
        var name = host.String("Name") ?? string.Empty;
        return new Placement(
            name,
            host.String("System") ?? string.Empty,
            host.String("TargetHost") ?? name,
            host.Schema.Options
                .Where(o => o.Scope == OptionScope.Record && host.Explicit(o.Property) is not null)
                .Select(o => new FieldValue(o.NixName, host.Explicit(o.Property)! with { Location = null }))
                .ToEquatableArray(),
            host.Records("Networks").Select(n => NetworkPlan.From(n.Record("Network")!, n)).ToEquatableArray());
    }

    /// <summary>A value as text that differs exactly when the values differ, locations aside.</summary>
    internal static string Canonical(EvalValue? value) => value switch
    {
        null => "null",
        ObjectValue o when o.Type == MicroVmSchema.DataSizeType && Validation.VolumeRules.Bytes(o) is { } bytes => Emitting.NixSyntax.Int(bytes) + " bytes",
        ObjectValue o when MicroVmSchema.Find(o.Type) is { } schema =>
            o.Type.Split('.').Last() + " { " + string.Join(", ", schema.Options.Select(p => p.Property + " = " + Canonical(o.Get(p.Property)?.Value ?? p.Default))) + " }",
        ObjectValue o => o.Type.Split('.').Last() + " { " + string.Join(", ", o.Fields.Select(f => f.Name + " = " + Canonical(f.Value))) + " }",
        ListValue l => "[" + string.Join(", ", l.Items.Select(Canonical)) + "]",
        MapValue m => "{ " + string.Join(", ", m.Entries.Select(e => e.Name + " = " + Canonical(e.Value))) + " }",
        _ => value.Describe(),
    };

    /// <summary>
    /// Every property of a record, <c>P = value</c> (<see cref="Canonical"/>, defaults filled in), in schema order: two
    /// descriptions are equal exactly when the records are, locations aside.
    /// </summary>
    internal static EquatableArray<string> Describe(BoundRecord record) =>
        record.Schema.Options.Select(o => o.Property + " = " + Canonical(record.Effective(o.Property))).ToEquatableArray();

    /// <summary>The first property in which two descriptions (<see cref="Describe"/>) differ, as "<c>P = a here, P = b there</c>".</summary>
    internal static string FirstDifference(System.Collections.Generic.IEnumerable<string> here, System.Collections.Generic.IEnumerable<string> there) =>
        here.Zip(there, (h, t) => (Here: h, There: t))
            .Where(d => d.Here != d.There)
            .Select(d => d.Here + " here, " + d.There + " there")
            .FirstOrDefault() ?? "their values differ";

    /// <summary>An address claimed on a typed network: the same address on the same network, whoever claims it.</summary>
    internal static FleetClaim AddressClaim(string network, StringValue address) =>
        new(network + "\n" + address.Value, address.Value, address.Location, Detail: network);
}

/// <summary>
/// What the checks across VMs need of a VM's host: its name, its whole description (to find one host described two
/// ways), its capacity and what the VM takes of it, with the locations to report at.
/// </summary>
/// <param name="Name">The host's name.</param>
/// <param name="Location">Where the VM sets its Host.</param>
/// <param name="Description">The host's description (<see cref="Placement.Describe"/>): equal descriptions are one host.</param>
/// <param name="Vcpus">The host's <c>Vcpus</c>, if set.</param>
/// <param name="VcpusLocation">Where it was set.</param>
/// <param name="MemoryBytes">The host's <c>Memory</c>, if set.</param>
/// <param name="MemoryLocation">Where it was set.</param>
/// <param name="VmVcpus">The VM's vCPUs.</param>
/// <param name="VmMemoryMiB">The VM's memory at most: <c>Mem</c> and <c>HotplugMem</c>.</param>
/// <param name="Addresses">The host's own addresses on its networks (value: network and address; detail: the network).</param>
/// <param name="Networks">The host's networks (value: the name; detail: its description, a line per property), for one network described two ways.</param>
/// <param name="Dhcp">The networks the host serves DHCP on (value: the network; display: the host; detail: the subnet).</param>
internal sealed record HostClaim(
    string Name,
    LocationInfo? Location,
    EquatableArray<string> Description,
    long? Vcpus,
    LocationInfo? VcpusLocation,
    long? MemoryBytes,
    LocationInfo? MemoryLocation,
    long VmVcpus,
    long VmMemoryMiB,
    EquatableArray<FleetClaim> Addresses,
    EquatableArray<FleetClaim> Networks,
    EquatableArray<FleetClaim> Dhcp)
{
    /// <summary>The claim of <paramref name="vm"/>, or <c>null</c> when it has no host.</summary>
    public static HostClaim? From(BoundRecord vm) =>
        vm.Record("Host") is { } host ? Of(host, vm.LocationOf("Host"), vm.Int("Vcpu") ?? 1, (vm.Int("Mem") ?? 512) + (vm.Int("HotplugMem") ?? 0)) : null;

    /// <summary>The claim of a host's description, for a VM that takes <paramref name="vcpus"/> and <paramref name="memoryMiB"/> of it (none for a host declared alone).</summary>
    public static HostClaim Of(BoundRecord host, LocationInfo? location, long vcpus, long memoryMiB)
    {
        return new HostClaim(
            host.String("Name") ?? string.Empty,
            location,
            Placement.Describe(host),
            host.Int("Vcpus"),
            host.LocationOf("Vcpus"),
            Validation.VolumeRules.Bytes(host.Effective("Memory")),
            host.LocationOf("Memory"),
            vcpus,
            memoryMiB,
            host.Records("Networks")
                .Where(n => n.Explicit("Address") is StringValue)
                .Select(n => Placement.AddressClaim(n.Record("Network")!.String("Name") ?? string.Empty, (StringValue)n.Explicit("Address")!))
                .ToEquatableArray(),
            host.Records("Networks")
                .Select(n => n.Record("Network")!)
                .Select(n => new FleetClaim(n.String("Name") ?? string.Empty, n.String("Name") ?? string.Empty, n.Value.Location, Detail: string.Join("\n", Placement.Describe(n))))
                .ToEquatableArray(),
            host.Records("Networks")
                .Where(n => n.Explicit("Dhcp") is BoolValue { Value: true })
                .Select(n => new FleetClaim(n.Record("Network")!.String("Name") ?? string.Empty, host.String("Name") ?? string.Empty, n.Explicit("Dhcp")!.Location,
                    Detail: n.Record("Network")!.String("Subnet")))
                .ToEquatableArray());
    }

    /// <summary>The same claim without source locations (<see cref="FleetFacts.WithoutLocations"/>).</summary>
    public HostClaim WithoutLocations() => this with
    {
        Location = null,
        VcpusLocation = null,
        MemoryLocation = null,
        Addresses = Addresses.Select(c => c with { Location = null }).ToEquatableArray(),
        Networks = Networks.Select(c => c with { Location = null }).ToEquatableArray(),
        Dhcp = Dhcp.Select(c => c with { Location = null }).ToEquatableArray(),
    };
}

/// <summary>
/// A host declared on its own (<c>[MicroVmModule]</c> on a <c>Host</c> member): it has a folder and a <c>fleet.nix</c> entry
/// whether or not VMs are placed on it, so that a host whose last VM moves away is still deployed, without it.
/// </summary>
/// <param name="Member">The C# member, <c>Hosts.Alpha</c>.</param>
/// <param name="Placement">The host, as its folder and fleet.nix need it.</param>
/// <param name="Fleet">What it claims for the checks across the fleet: its addresses, networks and capacity, no VM.</param>
internal sealed record HostDeclaration(string Member, Placement Placement, FleetFacts Fleet)
{
    /// <summary>The declaration of <paramref name="host"/>, read from <paramref name="member"/>.</summary>
    public static HostDeclaration From(string member, BoundRecord host) => new(
        member,
        Placement.Of(host),
        new FleetFacts(
            member,
            new FleetClaim(string.Empty, string.Empty, host.Value.Location),
            EquatableArray<FleetClaim>.Empty,
            EquatableArray<FleetClaim>.Empty,
            EquatableArray<FleetClaim>.Empty,
            EquatableArray<FleetClaim>.Empty,
            EquatableArray<FleetClaim>.Empty,
            HostClaim.Of(host, host.Value.Location, 0, 0)));

    /// <summary>The same declaration without source locations, for the generator's cache.</summary>
    public HostDeclaration WithoutLocations() => this with { Fleet = Fleet.WithoutLocations() };
}
