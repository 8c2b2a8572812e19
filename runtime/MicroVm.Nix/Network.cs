using System.Collections.Generic;

namespace MicroVm.Nix;

/// <summary>How a <see cref="Network"/> reaches its VMs' tap interfaces (upstream's networking docs describe both).</summary>
public enum NetworkKind
{
    /// <summary>
    /// A bridge on each host (<see cref="Network.Name"/>) that the VMs' tap interfaces are attached to with
    /// systemd-networkd, optionally with the host's Ethernet port (<see cref="HostNetwork.Uplink"/>) on it: the VMs share
    /// one Ethernet segment (upstream's "simple network").
    /// </summary>
    Bridge,

    /// <summary>
    /// No bridge: each VM's tap interface gets a host route to the VM's address, and the host answers on it as
    /// <see cref="Network.Gateway"/>; VMs cannot reach each other's Ethernet (upstream's "routed network").
    /// </summary>
    Routed,
}

/// <summary>
/// An IPv4 network the VMs are on: its address range, its kind, and what guests are told (gateway, DNS). Put it on
/// hosts with <see cref="Host.Networks"/> and give a VM's tap interface <see cref="NetworkInterface.Network"/> and,
/// for a static address, <see cref="NetworkInterface.Address"/>: the host module configures the host's side
/// (systemd-networkd) and the guest module the guest's, and the build checks every address across the fleet.
/// </summary>
/// <example>
/// <code>
/// public static readonly Network Lan = new() { Name = "br-lan", Subnet = "10.0.0.0/24", Gateway = "10.0.0.1", Dns = ["10.0.0.1"] };
/// </code>
/// </example>
public sealed record Network
{
    /// <summary>
    /// The network's name: for a <see cref="NetworkKind.Bridge"/> network, the bridge's interface name on every host
    /// (at most 15 characters); for a routed one, a label in messages and unit names.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>How VMs reach it (default <see cref="NetworkKind.Bridge"/>).</summary>
    public NetworkKind Kind { get; init; } = NetworkKind.Bridge;

    /// <summary>The network's IPv4 range in CIDR notation, such as <c>"10.0.0.0/24"</c> (no host bits set): every address on it is inside.</summary>
    public required string Subnet { get; init; }

    /// <summary>
    /// The guests' default gateway, inside <see cref="Subnet"/>. On a bridge network, the LAN's router or a host's
    /// <see cref="HostNetwork.Address"/> (<c>null</c>: guests get no default route). On a routed network, required: the
    /// address each host takes on every VM's tap interface, which guests reach on-link.
    /// </summary>
    public string? Gateway { get; init; }

    /// <summary>DNS servers guests with static addresses are given (IPv4 addresses).</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];
}

/// <summary>A <see cref="Network"/> on one host: how the host takes part in it.</summary>
/// <example><c>new HostNetwork { Network = Lan, Address = "10.0.0.2", Uplink = "eno1" }</c></example>
public sealed record HostNetwork
{
    /// <summary>The network.</summary>
    public required Network Network { get; init; }

    /// <summary>
    /// The host's own IPv4 address on a bridge network, inside its subnet, set on the bridge (<c>null</c>: the host has
    /// no address there and only bridges). Unused on a routed network, where the host answers as <see cref="Network.Gateway"/>.
    /// </summary>
    public string? Address { get; init; }

    /// <summary>A bridge network's physical port on this host (such as <c>"eno1"</c>), put on the bridge so VMs reach the LAN; <c>null</c>: none.</summary>
    public string? Uplink { get; init; }

    /// <summary>Serve DHCP on a bridge network from this host (systemd-networkd's DHCP server); needs <see cref="Address"/>. VM interfaces without an address then get one.</summary>
    public bool Dhcp { get; init; }

    /// <summary>
    /// Masquerade the network's traffic out of this host interface (NixOS <c>networking.nat</c>), such as <c>"eno1"</c>,
    /// so VMs on a routed or host-only network reach the outside; <c>null</c>: no NAT.
    /// </summary>
    public string? NatInterface { get; init; }
}
