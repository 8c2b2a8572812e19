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

    /// <summary>Which hypervisor to use for this MicroVM (upstream <c>microvm.hypervisor</c>, default <see cref="Nix.Hypervisor.Qemu"/>).</summary>
    public Hypervisor Hypervisor { get; init; } = Hypervisor.Qemu;

    /// <summary>Number of virtual CPU cores (upstream <c>microvm.vcpu</c>, a positive integer, default 1).</summary>
    public int Vcpu { get; init; } = 1;

    /// <summary>Amount of RAM in megabytes (upstream <c>microvm.mem</c>, a positive integer, default 512).</summary>
    public int Mem { get; init; } = 512;

    /// <summary>Disk images attached as virtio-blk devices, in guest order (upstream <c>microvm.volumes</c>, default empty).</summary>
    public IReadOnlyList<Volume> Volumes { get; init; } = [];
}
