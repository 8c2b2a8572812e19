namespace MicroVm.Nix;

/// <summary>How a network interface reaches the host (upstream interface option <c>type</c>).</summary>
public enum InterfaceType
{
    /// <summary>QEMU user-mode networking (SLiRP, <c>"user"</c>): no host setup needed; qemu only; the only type <c>ForwardPorts</c> work with.</summary>
    User,

    /// <summary>A tap interface on the host named <see cref="NetworkInterface.Id"/> (<c>"tap"</c>), which you configure (bridge, routing) on the host.</summary>
    Tap,

    /// <summary>A macvtap interface on top of the host interface <see cref="NetworkInterface.MacvtapLink"/> (<c>"macvtap"</c>).</summary>
    Macvtap,

    /// <summary>A tap interface attached to the host bridge <see cref="NetworkInterface.Bridge"/> (<c>"bridge"</c>).</summary>
    Bridge,
}

/// <summary>The MACVLAN mode of a macvtap interface (upstream <c>macvtap.mode</c>).</summary>
public enum MacvtapMode
{
    /// <summary><c>"private"</c>: no traffic between macvtap interfaces on the same link.</summary>
    Private,

    /// <summary><c>"vepa"</c>: traffic between interfaces goes through the external switch.</summary>
    Vepa,

    /// <summary><c>"bridge"</c>: interfaces on the same link reach each other directly.</summary>
    Bridge,

    /// <summary><c>"passthru"</c>: the VM takes over the link.</summary>
    Passthru,

    /// <summary><c>"source"</c>: only traffic from allowed source MACs.</summary>
    Source,
}

/// <summary>The protocol a share uses (upstream share option <c>proto</c>, default <c>"9p"</c>).</summary>
public enum ShareProtocol
{
    /// <summary>9p (<c>"9p"</c>), the upstream default; qemu and crosvm etc. Not supported by cloud-hypervisor or firecracker.</summary>
    NineP,

    /// <summary>virtiofs (<c>"virtiofs"</c>), served by a virtiofsd process on the host; faster, and the only kind cloud-hypervisor supports.</summary>
    Virtiofs,
}

/// <summary>The 9p security model of a share (upstream share option <c>securityModel</c>, default <c>"none"</c>).</summary>
public enum SecurityModel
{
    /// <summary><c>"passthrough"</c>: files are created with the guest's credentials.</summary>
    Passthrough,

    /// <summary><c>"none"</c>, the default.</summary>
    None,

    /// <summary><c>"mapped"</c>: credentials are stored in extended attributes.</summary>
    Mapped,

    /// <summary><c>"mapped-file"</c>: credentials are stored in hidden files.</summary>
    MappedFile,
}

/// <summary>The virtiofs caching policy of a share (upstream share option <c>cache</c>, default <c>"auto"</c>; ignored for 9p).</summary>
public enum ShareCache
{
    /// <summary><c>"auto"</c>, the default.</summary>
    Auto,

    /// <summary><c>"always"</c>.</summary>
    Always,

    /// <summary><c>"metadata"</c>.</summary>
    Metadata,

    /// <summary><c>"never"</c>.</summary>
    Never,
}

/// <summary>The bus of a passed-through host device (upstream device option <c>bus</c>).</summary>
public enum DeviceBus
{
    /// <summary>A PCI device (<c>"pci"</c>), by its address such as <c>0000:01:00.0</c>.</summary>
    Pci,

    /// <summary>A USB device (<c>"usb"</c>), such as <c>vendorid=0xabcd,productid=0x0123</c>; qemu only.</summary>
    Usb,
}

/// <summary>Which side a forwarded port listens on (upstream forwardPorts option <c>from</c>, default <c>"host"</c>).</summary>
public enum ForwardDirection
{
    /// <summary><c>"host"</c>: traffic to the host port is forwarded to the guest port.</summary>
    Host,

    /// <summary><c>"guest"</c>: traffic to the guest port is forwarded to the host port.</summary>
    Guest,
}

/// <summary>A transport protocol (upstream forwardPorts option <c>proto</c>, default <c>"tcp"</c>).</summary>
public enum TransportProtocol
{
    /// <summary><c>"tcp"</c>.</summary>
    Tcp,

    /// <summary><c>"udp"</c>.</summary>
    Udp,
}
