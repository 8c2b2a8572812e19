using System.Linq;
using MicroVm.Nix.Generator.Validation;

namespace MicroVm.Nix.Generator.Model;

/// <summary>
/// A typed network on one host, as its host module configures it: plain validated data without locations (every value
/// in it passed <see cref="TypedNetworkRules"/>, so it is a plain name or address).
/// </summary>
/// <param name="Name">The network's name: the bridge's interface name, or the routed network's label.</param>
/// <param name="Routed">A routed network (else a bridge).</param>
/// <param name="Subnet">The subnet, <c>10.0.0.0/24</c>.</param>
/// <param name="Prefix">Its prefix length.</param>
/// <param name="Gateway">The guests' gateway, if any.</param>
/// <param name="Address">The host's own address on a bridge network, if any.</param>
/// <param name="Uplink">The host's port on the bridge, if any.</param>
/// <param name="Dhcp">Whether the host serves DHCP on the bridge.</param>
/// <param name="PoolOffset">The DHCP pool's offset in the subnet.</param>
/// <param name="PoolSize">The DHCP pool's size.</param>
/// <param name="Dns">DNS servers for guests.</param>
/// <param name="NatInterface">The interface the network's traffic is masqueraded out of, if any.</param>
internal sealed record NetworkPlan(
    string Name,
    bool Routed,
    string Subnet,
    int Prefix,
    string? Gateway,
    string? Address,
    string? Uplink,
    bool Dhcp,
    long PoolOffset,
    long PoolSize,
    EquatableArray<string> Dns,
    string? NatInterface)
{
    /// <summary>The plan of a network record and, on a host, its host side.</summary>
    public static NetworkPlan From(BoundRecord network, BoundRecord? hostSide)
    {
        var subnet = TypedNetworkRules.SubnetOf(network) ?? (0, 32);
        var pool = TypedNetworkRules.DhcpPool(subnet);
        return new NetworkPlan(
            network.String("Name") ?? string.Empty,
            network.Enum("Kind") == "Routed",
            network.String("Subnet") ?? string.Empty,
            subnet.Prefix,
            network.String("Gateway"),
            hostSide?.String("Address"),
            hostSide?.String("Uplink"),
            hostSide?.Bool("Dhcp") == true,
            pool.Offset,
            pool.Size,
            ((network.Effective("Dns") as ListValue)?.Items.OfType<StringValue>().Select(d => d.Value) ?? []).ToEquatableArray(),
            hostSide?.String("NatInterface"));
    }
}

/// <summary>A VM's tap interface on a typed network, as the host module attaches or routes it.</summary>
/// <param name="Id">The tap's name on the host.</param>
/// <param name="Network">The network's name.</param>
/// <param name="Address">The VM's static address on it, if any.</param>
internal sealed record TapPlan(string Id, string Network, string? Address)
{
    /// <summary>The taps of <paramref name="vm"/> on typed networks.</summary>
    public static EquatableArray<TapPlan> For(BoundRecord vm) =>
        vm.Records("Interfaces")
            .Where(i => i.Record("Network") is not null)
            .Select(i => new TapPlan(i.String("Id") ?? string.Empty, i.Record("Network")!.String("Name") ?? string.Empty, i.String("Address")))
            .ToEquatableArray();
}
