using System.Collections.Generic;

namespace MicroVm.Nix;

/// <summary>QEMU settings (upstream <c>microvm.qemu.*</c>); only read when <see cref="VirtualMachine.Hypervisor"/> is qemu.</summary>
public sealed record QemuSettings
{
    /// <summary>QEMU machine model, such as <c>"microvm"</c> or <c>"q35"</c> (upstream <c>qemu.machine</c>; default <c>"microvm"</c> on x86_64-linux, <c>"virt"</c> on aarch64).</summary>
    public string? Machine { get; init; }

    /// <summary>Overwrite the default machine model options (upstream <c>qemu.machineOpts</c>, default <c>null</c>).</summary>
    public IReadOnlyDictionary<string, string>? MachineOpts { get; init; }

    /// <summary>Extra arguments to pass to qemu (upstream <c>qemu.extraArgs</c>, default empty).</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Whether to enable the virtual serial console (upstream <c>qemu.serialConsole</c>, default <c>true</c>).</summary>
    public bool SerialConsole { get; init; } = true;

    /// <summary>PCIe root ports for hot-plugging PCIe devices, useful on q35 (upstream <c>qemu.pcieRootPorts</c>, default empty).</summary>
    public IReadOnlyList<QemuPcieRootPort> PcieRootPorts { get; init; } = [];

    /// <summary>The QEMU package (upstream <c>qemu.package</c>); <c>null</c> keeps upstream's default: <c>vmHostPackages.qemu_kvm</c> on a Linux host without CPU emulation, <c>vmHostPackages.qemu</c> otherwise.</summary>
    public NixPackage? Package { get; init; }
}

/// <summary>A PCIe root port QEMU creates (one entry of upstream's <c>qemu.pcieRootPorts</c>).</summary>
public sealed record QemuPcieRootPort
{
    /// <summary>A unique identifier for this root port (upstream <c>id</c>, no default).</summary>
    public required string Id { get; init; }

    /// <summary>The PCIe bus the root port is created on (upstream <c>bus</c>, default <c>null</c>).</summary>
    public string? Bus { get; init; }

    /// <summary>The chassis number of this root port (upstream <c>chassis</c>, default <c>null</c>).</summary>
    public int? Chassis { get; init; }

    /// <summary>PCIe slot number (upstream <c>slot</c>, default <c>null</c>).</summary>
    public string? Slot { get; init; }

    /// <summary>PCIe address on the parent bus (upstream <c>addr</c>, default <c>null</c>).</summary>
    public string? Addr { get; init; }
}

/// <summary>cloud-hypervisor settings (upstream <c>microvm.cloud-hypervisor.*</c>).</summary>
public sealed record CloudHypervisorSettings
{
    /// <summary>Extra values for <c>--platform oem_strings=[…]</c>, without <c>oem_strings</c> or brackets (upstream <c>cloud-hypervisor.platformOEMStrings</c>, default empty).</summary>
    public IReadOnlyList<string> PlatformOemStrings { get; init; } = [];

    /// <summary>Extra arguments to pass to cloud-hypervisor (upstream <c>cloud-hypervisor.extraArgs</c>, default empty).</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The cloud-hypervisor package (upstream <c>cloud-hypervisor.package</c>); <c>null</c> keeps upstream's default: <c>vmHostPackages.cloud-hypervisor-graphics</c> with graphics, <c>vmHostPackages.cloud-hypervisor</c> otherwise.</summary>
    public NixPackage? Package { get; init; }
}

/// <summary>The IO engine of Firecracker drives (upstream <c>firecracker.driveIoEngine</c>).</summary>
public enum FirecrackerIoEngine
{
    /// <summary><c>"Async"</c> (io_uring), the default.</summary>
    Async,

    /// <summary><c>"Sync"</c>.</summary>
    Sync,
}

/// <summary>Firecracker settings (upstream <c>microvm.firecracker.*</c>).</summary>
public sealed record FirecrackerSettings
{
    /// <summary>Type of IO engine for drives (upstream <c>firecracker.driveIoEngine</c>, default <c>"Async"</c>).</summary>
    public FirecrackerIoEngine DriveIoEngine { get; init; } = FirecrackerIoEngine.Async;

    /// <summary>Extra arguments to pass to firecracker (upstream <c>firecracker.extraArgs</c>, default empty).</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>
    /// A custom CPU template (upstream <c>firecracker.cpu</c>, default <c>null</c>), written as JSON into the file
    /// firecracker's <c>cpu-config</c> names: a JSON object as <c>Dictionary&lt;string, object&gt;</c> of null, bool,
    /// numbers, strings, arrays and nested dictionaries.
    /// </summary>
    public IReadOnlyDictionary<string, object>? Cpu { get; init; }

    /// <summary>
    /// Merged into firecracker's JSON configuration, key by key (upstream <c>firecracker.extraConfig</c>, default empty;
    /// <c>lib.recursiveUpdate</c>): <c>["machine-config"] = new Dictionary&lt;string, object&gt; { ["smt"] = true }</c>.
    /// Keys are firecracker's JSON names as they are; values as for <see cref="Cpu"/>.
    /// </summary>
    public IReadOnlyDictionary<string, object> ExtraConfig { get; init; } = new Dictionary<string, object>();

    /// <summary>The Firecracker package (upstream <c>firecracker.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.firecracker</c>.</summary>
    public NixPackage? Package { get; init; }
}

/// <summary>crosvm settings (upstream <c>microvm.crosvm.*</c>).</summary>
public sealed record CrosvmSettings
{
    /// <summary>Extra arguments to pass to crosvm (upstream <c>crosvm.extraArgs</c>, default empty).</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The hypervisor's sandbox directory (upstream <c>crosvm.pivotRoot</c>, default <c>null</c>).</summary>
    public string? PivotRoot { get; init; }

    /// <summary>The crosvm package (upstream <c>crosvm.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.crosvm</c>.</summary>
    public NixPackage? Package { get; init; }
}

/// <summary>vfkit's log level (upstream <c>vfkit.logLevel</c>).</summary>
public enum VfkitLogLevel
{
    /// <summary><c>"debug"</c>.</summary>
    Debug,

    /// <summary><c>"info"</c>, the default.</summary>
    Info,

    /// <summary><c>"error"</c>.</summary>
    Error,
}

/// <summary>vfkit settings (upstream <c>microvm.vfkit.*</c>), for macOS hosts.</summary>
public sealed record VfkitSettings
{
    /// <summary>Extra arguments to pass to vfkit (upstream <c>vfkit.extraArgs</c>, default empty).</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>vfkit's log level (upstream <c>vfkit.logLevel</c>, default <c>"info"</c>); <c>null</c> passes no <c>--log-level</c> at all.</summary>
    public VfkitLogLevel? LogLevel { get; init; } = VfkitLogLevel.Info;

    /// <summary>Run x86_64 binaries in the ARM64 guest with Rosetta; Apple Silicon only (upstream <c>vfkit.rosetta.enable</c>, default <c>false</c>).</summary>
    public bool RosettaEnable { get; init; }

    /// <summary>Install Rosetta when it is missing (upstream <c>vfkit.rosetta.install</c>, default <c>false</c>).</summary>
    public bool RosettaInstall { get; init; }

    /// <summary>Start even when Rosetta is unavailable (upstream <c>vfkit.rosetta.ignoreIfMissing</c>, default <c>false</c>).</summary>
    public bool RosettaIgnoreIfMissing { get; init; }

    /// <summary>The vfkit package (upstream <c>vfkit.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.vfkit</c>.</summary>
    public NixPackage? Package { get; init; }
}

/// <summary>When virtiofsd uses file handles instead of O_PATH descriptors for inodes (upstream <c>virtiofsd.inodeFileHandles</c>).</summary>
public enum InodeFileHandles
{
    /// <summary><c>"never"</c>.</summary>
    Never,

    /// <summary><c>"prefer"</c>, the default.</summary>
    Prefer,

    /// <summary><c>"mandatory"</c>.</summary>
    Mandatory,
}

/// <summary>Settings of the virtiofsd processes serving virtiofs shares (upstream <c>microvm.virtiofsd.*</c>).</summary>
public sealed record VirtiofsdSettings
{
    /// <summary>When to use file handles for inodes (upstream <c>virtiofsd.inodeFileHandles</c>, default <c>"prefer"</c>); <c>null</c> passes no <c>--inode-file-handles</c>, leaving virtiofsd's own default.</summary>
    public InodeFileHandles? InodeFileHandles { get; init; } = Nix.InodeFileHandles.Prefer;

    /// <summary>Number of virtiofsd threads (upstream <c>virtiofsd.threadPoolSize</c>); <c>null</c> keeps upstream's default, one per host core.</summary>
    public int? ThreadPoolSize { get; init; }

    /// <summary>Group owning the virtiofsd sockets (upstream <c>virtiofsd.group</c>, default <c>"kvm"</c>; <c>null</c>: the hypervisor user's group).</summary>
    public string? Group { get; init; } = "kvm";

    /// <summary>Extra command-line switches for every virtiofsd (upstream <c>virtiofsd.extraArgs</c>, default empty).</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The virtiofsd package (upstream <c>virtiofsd.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.virtiofsd</c>.</summary>
    public NixPackage? Package { get; init; }
}

/// <summary>The filesystem of the store disk (upstream <c>microvm.storeDiskType</c>).</summary>
public enum StoreDiskType
{
    /// <summary><c>"squashfs"</c>: smaller.</summary>
    Squashfs,

    /// <summary><c>"erofs"</c>: supposedly faster; upstream's usual default.</summary>
    Erofs,
}

/// <summary>kvmtool settings (upstream <c>microvm.kvmtool.*</c>).</summary>
public sealed record KvmtoolSettings
{
    /// <summary>The kvmtool package (upstream <c>kvmtool.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.kvmtool</c>.</summary>
    public NixPackage? Package { get; init; }
}

/// <summary>stratovirt settings (upstream <c>microvm.stratovirt.*</c>).</summary>
public sealed record StratovirtSettings
{
    /// <summary>The stratovirt package (upstream <c>stratovirt.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.stratovirt</c>.</summary>
    public NixPackage? Package { get; init; }
}

/// <summary>alioth settings (upstream <c>microvm.alioth.*</c>).</summary>
public sealed record AliothSettings
{
    /// <summary>The alioth package (upstream <c>alioth.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.alioth</c>.</summary>
    public NixPackage? Package { get; init; }
}
