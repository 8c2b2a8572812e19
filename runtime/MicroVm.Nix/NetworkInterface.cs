namespace MicroVm.Nix;

/// <summary>A network interface of the guest (one entry of upstream's <c>microvm.interfaces</c>).</summary>
public sealed record NetworkInterface
{
    /// <summary>Interface type (upstream <c>type</c>, no default: always set it).</summary>
    /// <remarks>Upstream's description of <c>microvm.interfaces.*.type</c> (microvm.nix 71beea0): Interface
    /// type</remarks>
    public required InterfaceType Type { get; init; }

    /// <summary>
    /// Interface name on the host (upstream <c>id</c>, no default). At most 15 characters (Linux's limit),
    /// unique on the host: tap, macvtap and bridge interfaces of all VMs share one namespace.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.interfaces.*.id</c> (microvm.nix 71beea0): Interface name on the
    /// host</remarks>
    public required string Id { get; init; }

    /// <summary>The host interface a macvtap interface attaches to (upstream <c>macvtap.link</c>); needed for <see cref="InterfaceType.Macvtap"/>.</summary>
    /// <remarks>Upstream's description of <c>microvm.interfaces.*.macvtap.link</c> (microvm.nix 71beea0): Attach
    /// network interface to host interface for type = "macvlan"</remarks>
    public string? MacvtapLink { get; init; }

    /// <summary>The MACVLAN mode (upstream <c>macvtap.mode</c>); needed for <see cref="InterfaceType.Macvtap"/>.</summary>
    /// <remarks>Upstream's description of <c>microvm.interfaces.*.macvtap.mode</c> (microvm.nix 71beea0): The MACVLAN
    /// mode to use</remarks>
    public MacvtapMode? MacvtapMode { get; init; }

    /// <summary>The host bridge to attach to (upstream <c>bridge</c>, default <c>null</c>); set it exactly for <see cref="InterfaceType.Bridge"/>.</summary>
    /// <remarks>Upstream's description of <c>microvm.interfaces.*.bridge</c> (microvm.nix 71beea0): Attach network
    /// interface to host bridge interface for type = "bridge"</remarks>
    public string? Bridge { get; init; }

    /// <summary>MAC address of the guest's network interface (upstream <c>mac</c>, no default), such as <c>02:00:00:00:00:01</c>; unique across VMs.</summary>
    /// <remarks>Upstream's description of <c>microvm.interfaces.*.mac</c> (microvm.nix 71beea0): MAC address of the
    /// guest's network interface</remarks>
    public required string Mac { get; init; }

    /// <summary>Offload packet processing to the host kernel's vhost-net for tap interfaces (upstream <c>tap.vhost</c>, default <c>false</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.interfaces.*.tap.vhost</c> (microvm.nix 71beea0): Enable vhost-net
    /// for TAP interfaces. When enabled, packet processing is offloaded to the kernel's vhost-net module instead of
    /// QEMU userspace, significantly improving network throughput (~10 Gbps vs ~1.5 Gbps). Requires the vhost_net
    /// kernel module on the host.</remarks>
    public bool TapVhost { get; init; }

    /// <summary>
    /// The typed network this tap interface is on (<c>null</c>: none, configure the host's side yourself). The VM's
    /// <see cref="VirtualMachine.Host"/> must take part in it (<see cref="Host.Networks"/>): its host module attaches or
    /// routes the tap, and the guest module configures the guest's side, matched by <see cref="Mac"/>.
    /// </summary>
    public Network? Network { get; init; }

    /// <summary>
    /// The guest's static IPv4 address on <see cref="Network"/>, inside its subnet and unique on it across the fleet;
    /// <c>null</c> takes one by DHCP (bridge networks only).
    /// </summary>
    public string? Address { get; init; }
}
