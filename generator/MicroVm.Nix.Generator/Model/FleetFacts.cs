using System.Linq;
using MicroVm.Nix.Generator.Validation;

namespace MicroVm.Nix.Generator.Model;

/// <summary>A value one VM claims on the host (a disk, a MAC, an interface name, a CID) and where it was written.</summary>
/// <param name="Value">The claimed value, normalised for comparison.</param>
/// <param name="Display">The value as the user wrote it, for messages.</param>
/// <param name="Location">Where it was set.</param>
/// <param name="Exclusive">For disks: attached writable, so no other VM may attach it at all.</param>
/// <param name="Detail">For zvols a VM creates: the settings it creates them with, which every VM creating the zvol must share.</param>
internal sealed record FleetClaim(string Value, string Display, LocationInfo? Location, bool Exclusive = true, string? Detail = null);

/// <summary>
/// What one VM claims on the host, extracted once so the checks across all VMs of the compilation
/// (<see cref="FleetValidator"/>) work on small equatable data in the generator and the analyzer alike.
/// </summary>
internal sealed record FleetFacts(
    string Member,
    FleetClaim HostName,
    EquatableArray<FleetClaim> Images,
    EquatableArray<FleetClaim> Macs,
    EquatableArray<FleetClaim> HostInterfaces,
    EquatableArray<FleetClaim> VsockCids,
    EquatableArray<FleetClaim> ZvolCreations,
    HostClaim? Host = null,
    EquatableArray<FleetClaim> Addresses = default)
{
    /// <summary>
    /// The same facts without source locations: the generator needs only the values, and leaving
    /// positions out keeps its cache valid while the user types above a VM.
    /// </summary>
    public FleetFacts WithoutLocations()
    {
        static EquatableArray<FleetClaim> Strip(EquatableArray<FleetClaim> claims) => claims.Select(c => c with { Location = null }).ToEquatableArray();
        return new FleetFacts(Member, HostName with { Location = null }, Strip(Images), Strip(Macs), Strip(HostInterfaces), Strip(VsockCids), Strip(ZvolCreations), Host?.WithoutLocations(), Strip(Addresses));
    }

    /// <summary>A relative image lives in the VM's own state directory, so it is only the same file within one VM.</summary>
    private static string HostKey(VmSpec spec, string image) =>
        image.StartsWith("/", System.StringComparison.Ordinal) ? image : "<stateDir>/" + spec.HostName + "/" + image;

    /// <summary>
    /// What is claimed on a VM's host (a disk, an interface name, a CID, a zvol) is only the same thing on the same
    /// host: the claim's value is prefixed with the host's name (nothing for a VM without a host).
    /// </summary>
    private static string OnHost(HostClaim? host, string value) => host is null ? value : host.Name + "\n" + value;

    /// <summary>
    /// The facts of each reading, computed once: the analyzer gets the generator's readings themselves
    /// (and a compiler server's next build the last build's, where nothing they depend on changed).
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<VmSpec, FleetFacts> Known = new();

    /// <summary>What <paramref name="spec"/> claims on the host, with locations.</summary>
    public static FleetFacts From(VmSpec spec) => Known.GetValue(spec, Extract);

    private static FleetFacts Extract(VmSpec spec)
    {
        var vm = spec.Vm;
        var interfaces = vm.Records("Interfaces");
        var host = HostClaim.From(vm);
        return new FleetFacts(
            spec.Member,
            new FleetClaim(spec.HostName.ToLowerInvariant(), spec.HostName, vm.LocationOf("HostName")),
            vm.Records("Volumes")
                .Select(v => (Volume: v, Image: VmValidator.ImagePath(v)))
                .Where(v => v.Image is not null)
                .Select(v => new FleetClaim(OnHost(host, HostKey(spec, v.Image!)), v.Image!, v.Volume.LocationOf("Image"), Exclusive: v.Volume.Bool("ReadOnly") != true))
                .ToEquatableArray(),
            interfaces
                .Where(i => i.String("Mac") is not null && i.Enum("Type") != "User")
                .Select(i => new FleetClaim(NetworkRules.NormalizeMac(i.String("Mac")!), i.String("Mac")!, i.LocationOf("Mac")))
                .ToEquatableArray(),
            interfaces
                .Where(i => i.Enum("Type") is "Tap" or "Macvtap" && i.String("Id") is not null)
                .Select(i => new FleetClaim(OnHost(host, i.String("Id")!), i.String("Id")!, i.LocationOf("Id")))
                .ToEquatableArray(),
            vm.Effective("VsockCid") is IntValue cid
                ? new[] { new FleetClaim(OnHost(host, VmValidator.Number(cid.Value)), VmValidator.Number(cid.Value), vm.LocationOf("VsockCid")) }.ToEquatableArray()
                : vm.Enum("Hypervisor") == "CloudHypervisor" && CloudHypervisorArgs.VsockCid(vm) is { } argumentCid && long.TryParse(argumentCid, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                    ? new[] { new FleetClaim(OnHost(host, VmValidator.Number(parsed)), argumentCid, vm.Record("CloudHypervisor")!.LocationOf("ExtraArgs")) }.ToEquatableArray()
                    : EquatableArray<FleetClaim>.Empty,
            vm.Records("Volumes")
                .Select(v => v.Effective("Image"))
                .OfType<ObjectValue>()
                .Where(image => image.Type == Schema.MicroVmSchema.ZvolType && image.Get("Create")?.Value is ObjectValue)
                .Select(image => (Image: image, Plan: ZvolPlan.From(image)))
                .Select(z => new FleetClaim(OnHost(host, z.Plan.Name), z.Plan.Name, z.Image.Get("Create")!.Value.Location, Detail: Emitting.ZvolScript.Describe(z.Plan)))
                .ToEquatableArray(),
            host,
            interfaces
                .Where(i => i.Record("Network") is not null && i.Explicit("Address") is StringValue)
                .Select(i => Placement.AddressClaim(i.Record("Network")!.String("Name") ?? string.Empty, (StringValue)i.Explicit("Address")!))
                .ToEquatableArray());
    }
}
