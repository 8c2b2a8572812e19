using System.Collections.Generic;

namespace MicroVm.Nix;

/// <summary>QEMU settings (upstream <c>microvm.qemu.*</c>); only read when <see cref="VirtualMachine.Hypervisor"/> is qemu.</summary>
public sealed record QemuSettings
{
    /// <summary>QEMU machine model, such as <c>"microvm"</c> or <c>"q35"</c> (upstream <c>qemu.machine</c>; default <c>"microvm"</c> on x86_64-linux, <c>"virt"</c> on aarch64).</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.machine</c> (microvm.nix 71beea0): QEMU machine model, eg.
    /// <c>microvm</c>, or <c>q35</c> Get a full list with <c>qemu-system-x86_64 -M help</c> This has a default declared
    /// with <c>lib.mkDefault</c> because it depends on ${pkgs.system}.</remarks>
    public string? Machine { get; init; }

    /// <summary>Overwrite the default machine model options (upstream <c>qemu.machineOpts</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.machineOpts</c> (microvm.nix 71beea0): Overwrite the default
    /// machine model options.</remarks>
    public IReadOnlyDictionary<string, string>? MachineOpts { get; init; }

    /// <summary>Extra arguments to pass to qemu (upstream <c>qemu.extraArgs</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.extraArgs</c> (microvm.nix 71beea0): Extra arguments to pass
    /// to qemu.</remarks>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Whether to enable the virtual serial console (upstream <c>qemu.serialConsole</c>, default <c>true</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.serialConsole</c> (microvm.nix 71beea0): Whether to enable
    /// the virtual serial console on qemu.</remarks>
    public bool SerialConsole { get; init; } = true;

    /// <summary>PCIe root ports for hot-plugging PCIe devices, useful on q35 (upstream <c>qemu.pcieRootPorts</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.pcieRootPorts</c> (microvm.nix 71beea0): A list of PCIe root
    /// ports that can be used for hot-plugging PCIe devices. This is particularly useful on the Q35 machine type, which
    /// does not support hot-plugging on the base PCIe root bus (pcie.0). Creating root ports allows attaching and
    /// detaching PCIe devices at runtime and can also be useful for devices that require their own dedicated PCIe slot
    /// with a fixed address, etc. For additional details see the QEMU PCI Express Guidelines:
    /// &lt;https://gitlab.com/qemu-project/qemu/-/blob/master/docs/pcie.txt&gt;</remarks>
    public IReadOnlyList<QemuPcieRootPort> PcieRootPorts { get; init; } = [];

    /// <summary>The QEMU package (upstream <c>qemu.package</c>); <c>null</c> keeps upstream's default: <c>vmHostPackages.qemu_kvm</c> on a Linux host without CPU emulation, <c>vmHostPackages.qemu</c> otherwise.</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.package</c> (microvm.nix 71beea0): The QEMU package to
    /// use.</remarks>
    public NixPackage? Package { get; init; }
}

/// <summary>A PCIe root port QEMU creates (one entry of upstream's <c>qemu.pcieRootPorts</c>).</summary>
public sealed record QemuPcieRootPort
{
    /// <summary>A unique identifier for this root port (upstream <c>id</c>, no default).</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.pcieRootPorts.*.id</c> (microvm.nix 71beea0): A unique
    /// identifier for this PCIe root port.</remarks>
    public required string Id { get; init; }

    /// <summary>The PCIe bus the root port is created on (upstream <c>bus</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.pcieRootPorts.*.bus</c> (microvm.nix 71beea0): The PCIe bus
    /// on which the root port will be created.</remarks>
    public string? Bus { get; init; }

    /// <summary>The chassis number of this root port (upstream <c>chassis</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.pcieRootPorts.*.chassis</c> (microvm.nix 71beea0): The
    /// chassis number associated with this PCIe root port.</remarks>
    public int? Chassis { get; init; }

    /// <summary>PCIe slot number (upstream <c>slot</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.pcieRootPorts.*.slot</c> (microvm.nix 71beea0): PCIe slot
    /// number.</remarks>
    public string? Slot { get; init; }

    /// <summary>PCIe address on the parent bus (upstream <c>addr</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.qemu.pcieRootPorts.*.addr</c> (microvm.nix 71beea0): PCIe address
    /// on the parent bus.</remarks>
    public string? Addr { get; init; }
}

/// <summary>cloud-hypervisor settings (upstream <c>microvm.cloud-hypervisor.*</c>).</summary>
public sealed record CloudHypervisorSettings
{
    /// <summary>Extra values for <c>--platform oem_strings=[…]</c>, without <c>oem_strings</c> or brackets (upstream <c>cloud-hypervisor.platformOEMStrings</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.cloud-hypervisor.platformOEMStrings</c> (microvm.nix 71beea0):
    /// Extra arguments to pass to cloud-hypervisor's --platform oem_strings=[] argument. All the oem strings will be
    /// concatenated with a comma (,) and wrapped in oem_string=[]. Do not include oem_string= or the [] brackets in the
    /// value. The resulting string will be combined with any --platform options in
    /// <c>config.microvm.cloud-hypervisor.extraArgs</c> and passed as a single --platform option to
    /// cloud-hypervisor</remarks>
    public IReadOnlyList<string> PlatformOemStrings { get; init; } = [];

    /// <summary>Extra arguments to pass to cloud-hypervisor (upstream <c>cloud-hypervisor.extraArgs</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.cloud-hypervisor.extraArgs</c> (microvm.nix 71beea0): Extra
    /// arguments to pass to cloud-hypervisor.</remarks>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The cloud-hypervisor package (upstream <c>cloud-hypervisor.package</c>); <c>null</c> keeps upstream's default: <c>vmHostPackages.cloud-hypervisor-graphics</c> with graphics, <c>vmHostPackages.cloud-hypervisor</c> otherwise.</summary>
    /// <remarks>Upstream's description of <c>microvm.cloud-hypervisor.package</c> (microvm.nix 71beea0): The
    /// cloud-hypervisor package to use.</remarks>
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
    /// <remarks>Upstream's description of <c>microvm.firecracker.driveIoEngine</c> (microvm.nix 71beea0): Type of IO
    /// engine to use for Firecracker drives (disks).</remarks>
    public FirecrackerIoEngine DriveIoEngine { get; init; } = FirecrackerIoEngine.Async;

    /// <summary>Extra arguments to pass to firecracker (upstream <c>firecracker.extraArgs</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.firecracker.extraArgs</c> (microvm.nix 71beea0): Extra arguments
    /// to pass to firecracker.</remarks>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>
    /// A custom CPU template (upstream <c>firecracker.cpu</c>, default <c>null</c>), written as JSON into the file
    /// firecracker's <c>cpu-config</c> names: a JSON object as <c>Dictionary&lt;string, object&gt;</c> of null, bool,
    /// numbers, strings, arrays and nested dictionaries.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.firecracker.cpu</c> (microvm.nix 71beea0): Custom CPU template
    /// passed to firecracker.</remarks>
    public IReadOnlyDictionary<string, object>? Cpu { get; init; }

    /// <summary>
    /// Merged into firecracker's JSON configuration, key by key (upstream <c>firecracker.extraConfig</c>, default empty;
    /// <c>lib.recursiveUpdate</c>): <c>["machine-config"] = new Dictionary&lt;string, object&gt; { ["smt"] = true }</c>.
    /// Keys are firecracker's JSON names as they are; values as for <see cref="Cpu"/>.
    /// </summary>
    /// <remarks>Upstream's description of <c>microvm.firecracker.extraConfig</c> (microvm.nix 71beea0): Extra config to
    /// merge into Firecracker JSON configuration</remarks>
    public IReadOnlyDictionary<string, object> ExtraConfig { get; init; } = new Dictionary<string, object>();

    /// <summary>The Firecracker package (upstream <c>firecracker.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.firecracker</c>.</summary>
    /// <remarks>Upstream's description of <c>microvm.firecracker.package</c> (microvm.nix 71beea0): The firecracker
    /// package to use.</remarks>
    public NixPackage? Package { get; init; }
}

/// <summary>crosvm settings (upstream <c>microvm.crosvm.*</c>).</summary>
public sealed record CrosvmSettings
{
    /// <summary>Extra arguments to pass to crosvm (upstream <c>crosvm.extraArgs</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.crosvm.extraArgs</c> (microvm.nix 71beea0): Extra arguments to
    /// pass to crosvm.</remarks>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The hypervisor's sandbox directory (upstream <c>crosvm.pivotRoot</c>, default <c>null</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.crosvm.pivotRoot</c> (microvm.nix 71beea0): A Hypervisor's sandbox
    /// directory</remarks>
    public string? PivotRoot { get; init; }

    /// <summary>The crosvm package (upstream <c>crosvm.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.crosvm</c>.</summary>
    /// <remarks>Upstream's description of <c>microvm.crosvm.package</c> (microvm.nix 71beea0): The crosvm package to
    /// use.</remarks>
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
    /// <remarks>Upstream's description of <c>microvm.vfkit.extraArgs</c> (microvm.nix 71beea0): Extra arguments to pass
    /// to vfkit.</remarks>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>vfkit's log level (upstream <c>vfkit.logLevel</c>, default <c>"info"</c>); <c>null</c> passes no <c>--log-level</c> at all.</summary>
    /// <remarks>Upstream's description of <c>microvm.vfkit.logLevel</c> (microvm.nix 71beea0): vfkit log
    /// level.</remarks>
    public VfkitLogLevel? LogLevel { get; init; } = VfkitLogLevel.Info;

    /// <summary>Run x86_64 binaries in the ARM64 guest with Rosetta; Apple Silicon only (upstream <c>vfkit.rosetta.enable</c>, default <c>false</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.vfkit.rosetta.enable</c> (microvm.nix 71beea0): Enable Rosetta
    /// support for running x86_64 binaries in ARM64 Linux VMs. Only works on Apple Silicon (ARM) Macs. When enabled,
    /// the Rosetta virtiofs share will be automatically mounted and binfmt will be configured to use Rosetta for x86_64
    /// binaries.</remarks>
    public bool RosettaEnable { get; init; }

    /// <summary>Install Rosetta when it is missing (upstream <c>vfkit.rosetta.install</c>, default <c>false</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.vfkit.rosetta.install</c> (microvm.nix 71beea0): Automatically
    /// install Rosetta if missing. If false and Rosetta is not installed, vfkit will fail to start.</remarks>
    public bool RosettaInstall { get; init; }

    /// <summary>Start even when Rosetta is unavailable (upstream <c>vfkit.rosetta.ignoreIfMissing</c>, default <c>false</c>).</summary>
    /// <remarks>Upstream's description of <c>microvm.vfkit.rosetta.ignoreIfMissing</c> (microvm.nix 71beea0): Continue
    /// execution even if Rosetta installation fails or is unavailable. Useful for configurations that should work on
    /// both ARM and Intel Macs.</remarks>
    public bool RosettaIgnoreIfMissing { get; init; }

    /// <summary>The vfkit package (upstream <c>vfkit.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.vfkit</c>.</summary>
    /// <remarks>Upstream's description of <c>microvm.vfkit.package</c> (microvm.nix 71beea0): The vfkit package to
    /// use.</remarks>
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
    /// <remarks>Upstream's description of <c>microvm.virtiofsd.inodeFileHandles</c> (microvm.nix 71beea0): When to use
    /// file handles to reference inodes instead of O_PATH file descriptors (never, prefer, mandatory) Allows you to
    /// overwrite default behavior in case you hit "too many open files" on eg. ZFS.
    /// &lt;https://gitlab.com/virtio-fs/virtiofsd/-/issues/121&gt;</remarks>
    public InodeFileHandles? InodeFileHandles { get; init; } = Nix.InodeFileHandles.Prefer;

    /// <summary>Number of virtiofsd threads (upstream <c>virtiofsd.threadPoolSize</c>); <c>null</c> keeps upstream's default, one per host core.</summary>
    /// <remarks>Upstream's description of <c>microvm.virtiofsd.threadPoolSize</c> (microvm.nix 71beea0): The amounts of
    /// threads virtiofsd should spawn. This option also takes the special string <c>\</c>nproc\<c></c> which spawns as
    /// many threads as the host has cores.</remarks>
    public int? ThreadPoolSize { get; init; }

    /// <summary>Group owning the virtiofsd sockets (upstream <c>virtiofsd.group</c>, default <c>"kvm"</c>; <c>null</c>: the hypervisor user's group).</summary>
    /// <remarks>Upstream's description of <c>microvm.virtiofsd.group</c> (microvm.nix 71beea0): The name of the group
    /// that will own the Unix domain socket file that virtiofsd creates for communication with the hypervisor. If null,
    /// the socket will have group ownership of the user running the hypervisor.</remarks>
    public string? Group { get; init; } = "kvm";

    /// <summary>Extra command-line switches for every virtiofsd (upstream <c>virtiofsd.extraArgs</c>, default empty).</summary>
    /// <remarks>Upstream's description of <c>microvm.virtiofsd.extraArgs</c> (microvm.nix 71beea0): Extra command-line
    /// switch to pass to virtiofsd.</remarks>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The virtiofsd package (upstream <c>virtiofsd.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.virtiofsd</c>.</summary>
    /// <remarks>Upstream's description of <c>microvm.virtiofsd.package</c> (microvm.nix 71beea0): The virtiofsd package
    /// to use.</remarks>
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
    /// <remarks>Upstream's description of <c>microvm.kvmtool.package</c> (microvm.nix 71beea0): The kvmtool package to
    /// use.</remarks>
    public NixPackage? Package { get; init; }
}

/// <summary>stratovirt settings (upstream <c>microvm.stratovirt.*</c>).</summary>
public sealed record StratovirtSettings
{
    /// <summary>The stratovirt package (upstream <c>stratovirt.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.stratovirt</c>.</summary>
    /// <remarks>Upstream's description of <c>microvm.stratovirt.package</c> (microvm.nix 71beea0): The stratovirt
    /// package to use.</remarks>
    public NixPackage? Package { get; init; }
}

/// <summary>alioth settings (upstream <c>microvm.alioth.*</c>).</summary>
public sealed record AliothSettings
{
    /// <summary>The alioth package (upstream <c>alioth.package</c>); <c>null</c> keeps upstream's default, <c>vmHostPackages.alioth</c>.</summary>
    /// <remarks>Upstream's description of <c>microvm.alioth.package</c> (microvm.nix 71beea0): The alioth package to
    /// use.</remarks>
    public NixPackage? Package { get; init; }
}
