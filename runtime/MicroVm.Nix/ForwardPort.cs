namespace MicroVm.Nix;

/// <summary>
/// A port forwarded between host and guest through QEMU's user networking (one entry of upstream's
/// <c>microvm.forwardPorts</c>). Works only with qemu and an interface of type <see cref="InterfaceType.User"/>; IPv4 only.
/// </summary>
public sealed record ForwardPort
{
    /// <summary>Which side listens (upstream <c>from</c>, default <c>"host"</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.forwardPorts.*.from</c> (microvm.nix 71beea0): Controls the
    /// direction in which the ports are mapped: - &lt;literal&gt;"host"&lt;/literal&gt; means traffic from the host
    /// ports is forwarded to the given guest port. - &lt;literal&gt;"guest"&lt;/literal&gt; means traffic from the
    /// guest ports is forwarded to the given host port.</remarks>
    public ForwardDirection From { get; init; } = ForwardDirection.Host;

    /// <summary>The protocol to forward (upstream <c>proto</c>, default <c>"tcp"</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.forwardPorts.*.proto</c> (microvm.nix 71beea0): The protocol to
    /// forward.</remarks>
    public TransportProtocol Proto { get; init; } = TransportProtocol.Tcp;

    /// <summary>The IPv4 address of the host (upstream <c>host.address</c>, default <c>""</c>: any).</summary>
    /// <remarks>Upstream's description of <c>microvm.forwardPorts.*.host.address</c> (microvm.nix 71beea0): The IPv4
    /// address of the host.</remarks>
    public string HostAddress { get; init; } = "";

    /// <summary>The host port (upstream <c>host.port</c>, no default), 0 to 65535.</summary>
    /// <remarks>Upstream's description of <c>microvm.forwardPorts.*.host.port</c> (microvm.nix 71beea0): The host port
    /// to be mapped.</remarks>
    public required int HostPort { get; init; }

    /// <summary>The IPv4 address on the guest VLAN (upstream <c>guest.address</c>, default <c>""</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.forwardPorts.*.guest.address</c> (microvm.nix 71beea0): The IPv4
    /// address on the guest VLAN.</remarks>
    public string GuestAddress { get; init; } = "";

    /// <summary>The guest port (upstream <c>guest.port</c>, no default), 0 to 65535.</summary>
    /// <remarks>Upstream's description of <c>microvm.forwardPorts.*.guest.port</c> (microvm.nix 71beea0): The guest
    /// port to be mapped.</remarks>
    public required int GuestPort { get; init; }
}
