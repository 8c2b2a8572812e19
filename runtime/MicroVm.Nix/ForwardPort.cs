namespace MicroVm.Nix;

/// <summary>
/// A port forwarded between host and guest through QEMU's user networking (one entry of upstream's
/// <c>microvm.forwardPorts</c>). Works only with qemu and an interface of type <see cref="InterfaceType.User"/>; IPv4 only.
/// </summary>
public sealed record ForwardPort
{
    /// <summary>Which side listens (upstream <c>from</c>, default <c>"host"</c>).</summary>
    public ForwardDirection From { get; init; } = ForwardDirection.Host;

    /// <summary>The protocol to forward (upstream <c>proto</c>, default <c>"tcp"</c>).</summary>
    public TransportProtocol Proto { get; init; } = TransportProtocol.Tcp;

    /// <summary>The IPv4 address of the host (upstream <c>host.address</c>, default <c>""</c>: any).</summary>
    public string HostAddress { get; init; } = "";

    /// <summary>The host port (upstream <c>host.port</c>, no default), 0 to 65535.</summary>
    public required int HostPort { get; init; }

    /// <summary>The IPv4 address on the guest VLAN (upstream <c>guest.address</c>, default <c>""</c>).</summary>
    public string GuestAddress { get; init; } = "";

    /// <summary>The guest port (upstream <c>guest.port</c>, no default), 0 to 65535.</summary>
    public required int GuestPort { get; init; }
}
