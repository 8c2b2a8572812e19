using System.Collections.Generic;

namespace MicroVm.Nix;

/// <summary>
/// A NixOS machine that runs MicroVMs: what it has (ZFS pools, bridges, CPUs and memory), how it is
/// reached for deployment, and its host-wide microvm.nix settings. Place a VM on it with
/// <see cref="VirtualMachine.Host"/>; a project whose VMs have hosts gets one folder per host
/// (<c>nix/&lt;Name&gt;/</c>, its host module and its guests' modules) and <c>nix/fleet.nix</c>, which
/// the flake's <c>lib.fleet</c> turns into <c>nixosConfigurations</c>, a colmena hive and deploy-rs nodes.
/// </summary>
/// <remarks>
/// A host is known by the VMs placed on it, and by its <see cref="Name"/>: every VM on one host must
/// carry the same description, which a <c>static readonly Host</c> member shared by all of them does.
/// </remarks>
/// <example>
/// <code>
/// public static readonly Host Alpha = new()
/// {
///     Name = "alpha",
///     TargetHost = "alpha.lan",
///     Pools = ["tank"],
///     Vcpus = 16,
///     Memory = DataSize.GiB(64),
/// };
/// </code>
/// </example>
public sealed record Host
{
    /// <summary>
    /// The host's name: its folder (<c>nix/&lt;Name&gt;/</c>), its <c>nixosConfigurations</c> attribute and its
    /// colmena and deploy-rs node. Letters, digits and <c>-</c>, starting with a letter or digit, at most 63 characters.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>The host's Nix system, such as <c>"x86_64-linux"</c> (default) or <c>"aarch64-linux"</c>: what its configuration is evaluated for.</summary>
    public string System { get; init; } = "x86_64-linux";

    /// <summary>
    /// The address deployment tools connect to over SSH (colmena's <c>deployment.targetHost</c>, deploy-rs's
    /// <c>hostname</c>); <c>null</c> uses <see cref="Name"/>.
    /// </summary>
    public string? TargetHost { get; init; }

    /// <summary>
    /// The ZFS pools the host has. Every <see cref="Zvol"/> of a VM placed here must be in one of them
    /// (checked at compile time); a host without pools takes no zvols.
    /// </summary>
    public IReadOnlyList<string> Pools { get; init; } = [];

    /// <summary>
    /// The bridges the host's own configuration creates. An interface of type <see cref="InterfaceType.Bridge"/>
    /// of a VM placed here must attach to one of them (checked at compile time).
    /// </summary>
    public IReadOnlyList<string> Bridges { get; init; } = [];

    /// <summary>
    /// The networks the host takes part in, each with the host's side of it (its address, uplink, DHCP, NAT). The host
    /// module creates what each needs with systemd-networkd; a VM's interface on a network must be on one of its host's.
    /// </summary>
    public IReadOnlyList<HostNetwork> Networks { get; init; } = [];

    /// <summary>
    /// The host's CPU threads for its VMs; <c>null</c> checks nothing. When the vCPUs of the VMs placed here add
    /// up to more, the build warns (MVN309) with the figures.
    /// </summary>
    public int? Vcpus { get; init; }

    /// <summary>
    /// The host's memory for its VMs; <c>null</c> checks nothing. When the memory of the VMs placed here
    /// (<see cref="VirtualMachine.Mem"/>, plus hotplug memory) adds up to more, the build warns (MVN309) with the figures.
    /// </summary>
    public DataSize? Memory { get; init; }

    /// <summary>Where the host keeps each VM's state directory (upstream <c>microvm.stateDir</c>, default <c>"/var/lib/microvms"</c>); an absolute path.</summary>
    /// <remarks>Upstream's description of <c>microvm.stateDir</c> (microvm.nix 71beea0): Directory that contains the
    /// MicroVMs</remarks>
    public string StateDir { get; init; } = "/var/lib/microvms";

    /// <summary>Whether microvm.nix's host module applies (upstream <c>microvm.host.enable</c>, default <c>true</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.host.enable</c> (microvm.nix 71beea0): Whether to enable the
    /// microvm.nix host module.</remarks>
    public bool Enable { get; init; } = true;

    /// <summary>Seconds a VM's service may take to start (upstream <c>microvm.host.startupTimeout</c>, a positive integer, default 150).</summary>
    /// <remarks>Upstream's description of <c>microvm.host.startupTimeout</c> (microvm.nix 71beea0): Start up timeout
    /// for the VMs in seconds</remarks>
    public int StartupTimeout { get; init; } = 150;

    /// <summary>
    /// Let VMs tell systemd when they are ready, over a notify socket (upstream <c>microvm.host.useNotifySockets</c>,
    /// default <c>false</c>): a VM's service is then started only when its guest has booted.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.host.useNotifySockets</c> (microvm.nix 71beea0): Enable if all
    /// your MicroVMs run with a Hypervisor that sends readiness notification over a VSOCK. **Danger!** If one of your
    /// MicroVMs doesn't do this, its systemd service will not start up successfully!</remarks>
    public bool UseNotifySockets { get; init; }
}
