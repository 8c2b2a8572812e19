namespace MicroVm.Nix;

/// <summary>A network interface of the guest (one entry of upstream's <c>microvm.interfaces</c>).</summary>
public sealed record NetworkInterface
{
    /// <summary>Interface type (upstream <c>type</c>, no default: always set it).</summary>
    public required InterfaceType Type { get; init; }

    /// <summary>
    /// Interface name on the host (upstream <c>id</c>, no default). At most 15 characters (Linux's limit),
    /// unique on the host: tap, macvtap and bridge interfaces of all VMs share one namespace.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>The host interface a macvtap interface attaches to (upstream <c>macvtap.link</c>); needed for <see cref="InterfaceType.Macvtap"/>.</summary>
    public string? MacvtapLink { get; init; }

    /// <summary>The MACVLAN mode (upstream <c>macvtap.mode</c>); needed for <see cref="InterfaceType.Macvtap"/>.</summary>
    public MacvtapMode? MacvtapMode { get; init; }

    /// <summary>The host bridge to attach to (upstream <c>bridge</c>, default <c>null</c>); set it exactly for <see cref="InterfaceType.Bridge"/>.</summary>
    public string? Bridge { get; init; }

    /// <summary>MAC address of the guest's network interface (upstream <c>mac</c>, no default), such as <c>02:00:00:00:00:01</c>; unique across VMs.</summary>
    public required string Mac { get; init; }

    /// <summary>Offload packet processing to the host kernel's vhost-net for tap interfaces (upstream <c>tap.vhost</c>, default <c>false</c>).</summary>
    public bool TapVhost { get; init; }
}
