using System.Collections.Generic;

namespace MicroVm.Nix;

/// <summary>
/// A MicroVM guest: the NixOS module MicroVm.Nix writes sets <c>networking.hostName</c> and the
/// <c>microvm.*</c> options of microvm.nix. Mark a <c>static</c> field or property holding one with
/// <see cref="MicroVmModuleAttribute"/> to get <c>&lt;HostName&gt;.nix</c> at build time.
/// </summary>
/// <remarks>
/// Only the options you set are written; the others keep upstream's defaults, which the defaults of
/// these properties mirror.
/// </remarks>
public sealed record VirtualMachine
{
    /// <summary>
    /// The guest's host name (<c>networking.hostName</c>), also the name of the generated file
    /// (<c>&lt;HostName&gt;.nix</c>). Letters, digits and <c>-</c>, starting with a letter or digit.
    /// </summary>
    public required string HostName { get; init; }

    /// <summary>What CPU to emulate, if any (upstream <c>microvm.cpu</c>, default <c>null</c>); a different architecture is slow. Only supported with qemu.</summary>
    public string? Cpu { get; init; }

    /// <summary>Which hypervisor to use for this MicroVM (upstream <c>microvm.hypervisor</c>, default <see cref="Nix.Hypervisor.Qemu"/>).</summary>
    public Hypervisor Hypervisor { get; init; } = Hypervisor.Qemu;

    /// <summary>Number of virtual CPU cores (upstream <c>microvm.vcpu</c>, a positive integer, default 1).</summary>
    public int Vcpu { get; init; } = 1;

    /// <summary>Amount of RAM in megabytes (upstream <c>microvm.mem</c>, a positive integer, default 512).</summary>
    public int Mem { get; init; } = 512;

    /// <summary>Whether to use hugepages as memory backend (upstream <c>microvm.hugepageMem</c>, default <c>false</c>); only respected by cloud-hypervisor.</summary>
    public bool HugepageMem { get; init; }

    /// <summary>Maximum memory in megabytes that virtio-mem can add at run time (upstream <c>microvm.hotplugMem</c>, default 0).</summary>
    public int HotplugMem { get; init; }

    /// <summary>Hotplug memory in megabytes the VM starts with (upstream <c>microvm.hotpluggedMem</c>); <c>null</c> keeps upstream's default, <see cref="HotplugMem"/>.</summary>
    public int? HotpluggedMem { get; init; }

    /// <summary>Whether to enable a memory balloon the host can inflate to reclaim memory (upstream <c>microvm.balloon</c>, default <c>false</c>).</summary>
    public bool Balloon { get; init; }

    /// <summary>Amount of initial balloon memory in megabytes (upstream <c>microvm.initialBalloonMem</c>, default 0).</summary>
    public int InitialBalloonMem { get; init; }

    /// <summary>Whether to deflate the balloon automatically on out-of-memory (upstream <c>microvm.deflateOnOOM</c>, default <c>true</c>).</summary>
    public bool DeflateOnOom { get; init; } = true;

    /// <summary>Ports forwarded through QEMU user networking (upstream <c>microvm.forwardPorts</c>, default empty); qemu with a user interface only.</summary>
    public IReadOnlyList<ForwardPort> ForwardPorts { get; init; } = [];

    /// <summary>Disk images attached as virtio-blk devices, in guest order (upstream <c>microvm.volumes</c>, default empty).</summary>
    public IReadOnlyList<Volume> Volumes { get; init; } = [];

    /// <summary>Network interfaces (upstream <c>microvm.interfaces</c>, default empty).</summary>
    public IReadOnlyList<NetworkInterface> Interfaces { get; init; } = [];

    /// <summary>Shared directory trees (upstream <c>microvm.shares</c>, default empty).</summary>
    public IReadOnlyList<Share> Shares { get; init; } = [];

    /// <summary>PCI and USB devices passed from the host (upstream <c>microvm.devices</c>, default empty).</summary>
    public IReadOnlyList<Device> Devices { get; init; } = [];

    /// <summary>The VM's AF_VSOCK address (upstream <c>microvm.vsock.cid</c>, default <c>null</c>: no vsock). 0, 1 and 2 are reserved; unique on the host.</summary>
    public int? VsockCid { get; init; }

    /// <summary>Extra kernel parameters (upstream <c>microvm.kernelParams</c>; NixOS fills it from <c>boot.kernelParams</c>).</summary>
    public IReadOnlyList<string> KernelParams { get; init; } = [];

    /// <summary>Whether to boot with the store on a disk image (upstream <c>microvm.storeOnDisk</c>); <c>null</c> keeps upstream's default: true unless the host's /nix/store is a share.</summary>
    public bool? StoreOnDisk { get; init; }

    /// <summary>Credential files loaded into the VM with systemd's io.systemd.credential, name to host path (upstream <c>microvm.credentialFiles</c>, default empty).</summary>
    public IReadOnlyDictionary<string, string> CredentialFiles { get; init; } = new Dictionary<string, string>();
}
