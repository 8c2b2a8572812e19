using System.Collections.Generic;
using System.Linq;
using MicroVm.Nix.Generator.Model;

namespace MicroVm.Nix.Generator.Schema;

/// <summary>
/// microvm.nix's guest options that the runtime records cover, transcribed from upstream
/// <c>nixos-modules/microvm/options.nix</c> (HEAD 71beea0). Add an option here and to the runtime
/// record; the parser, validation, templates and tests pick it up from this one place.
/// </summary>
internal static class MicroVmSchema
{
    public const string Namespace = "MicroVm.Nix";
    public const string ModuleAttribute = Namespace + ".MicroVmModuleAttribute";
    public const string VirtualMachineType = Namespace + ".VirtualMachine";
    public const string VolumeType = Namespace + ".Volume";
    public const string DiskImageType = Namespace + ".DiskImage";
    public const string HostPathImageType = Namespace + ".HostPathImage";
    public const string ZvolType = Namespace + ".Zvol";
    public const string HypervisorType = Namespace + ".Hypervisor";
    public const string ImageTypeType = Namespace + ".ImageType";
    public const string NetworkInterfaceType = Namespace + ".NetworkInterface";
    public const string ShareType = Namespace + ".Share";
    public const string DeviceType = Namespace + ".Device";
    public const string ForwardPortType = Namespace + ".ForwardPort";
    public const string InterfaceTypeType = Namespace + ".InterfaceType";
    public const string MacvtapModeType = Namespace + ".MacvtapMode";
    public const string ShareProtocolType = Namespace + ".ShareProtocol";
    public const string SecurityModelType = Namespace + ".SecurityModel";
    public const string ShareCacheType = Namespace + ".ShareCache";
    public const string DeviceBusType = Namespace + ".DeviceBus";
    public const string ForwardDirectionType = Namespace + ".ForwardDirection";
    public const string TransportProtocolType = Namespace + ".TransportProtocol";
    public const string QemuSettingsType = Namespace + ".QemuSettings";
    public const string QemuPcieRootPortType = Namespace + ".QemuPcieRootPort";
    public const string CloudHypervisorSettingsType = Namespace + ".CloudHypervisorSettings";
    public const string FirecrackerSettingsType = Namespace + ".FirecrackerSettings";
    public const string FirecrackerIoEngineType = Namespace + ".FirecrackerIoEngine";
    public const string CrosvmSettingsType = Namespace + ".CrosvmSettings";
    public const string VfkitSettingsType = Namespace + ".VfkitSettings";
    public const string VfkitLogLevelType = Namespace + ".VfkitLogLevel";
    public const string VirtiofsdSettingsType = Namespace + ".VirtiofsdSettings";
    public const string InodeFileHandlesType = Namespace + ".InodeFileHandles";
    public const string StoreDiskTypeType = Namespace + ".StoreDiskType";
    public const string DataSizeType = Namespace + ".DataSize";
    public const string ZvolProvisioningType = Namespace + ".ZvolProvisioning";
    public const string ZfsSyncType = Namespace + ".ZfsSync";
    public const string ZfsLogBiasType = Namespace + ".ZfsLogBias";
    public const string ZfsCacheType = Namespace + ".ZfsCache";
    public const string GuestUserType = Namespace + ".GuestUser";
    public const string GraphicsSettingsType = Namespace + ".GraphicsSettings";
    public const string NixPackageType = Namespace + ".NixPackage";
    public const string NixPackageSetType = Namespace + ".NixPackageSet";
    public const string KvmtoolSettingsType = Namespace + ".KvmtoolSettings";
    public const string StratovirtSettingsType = Namespace + ".StratovirtSettings";
    public const string AliothSettingsType = Namespace + ".AliothSettings";
    public const string HostType = Namespace + ".Host";
    public const string NetworkType = Namespace + ".Network";
    public const string NetworkKindType = Namespace + ".NetworkKind";
    public const string HostNetworkType = Namespace + ".HostNetwork";

    /// <summary>The kinds of typed networks.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> NetworkKinds = [new("Bridge", "bridge"), new("Routed", "routed")];

    /// <summary>The package sets a <see cref="NixType.Package"/> option reads its attribute path in.</summary>
    public const string GuestPackages = "pkgs";
    public const string HostPackages = "config.microvm.vmHostPackages";
    public const string GraphicsBackendType = Namespace + ".GraphicsBackend";
    public const string GraphicsVulkanType = Namespace + ".GraphicsVulkan";

    /// <summary>Upstream's <c>lib.hypervisors</c>, in its order.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> Hypervisors =
    [
        new("Qemu", "qemu"),
        new("CloudHypervisor", "cloud-hypervisor"),
        new("Firecracker", "firecracker"),
        new("Crosvm", "crosvm"),
        new("Kvmtool", "kvmtool"),
        new("Stratovirt", "stratovirt"),
        new("Alioth", "alioth"),
        new("Vfkit", "vfkit"),
    ];

    /// <summary>Upstream's volume <c>imageType</c> enum.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> ImageTypes =
    [
        new("Raw", "raw"),
        new("Qcow2", "qcow2"),
        new("Vhd", "vhd"),
        new("Vhdx", "vhdx"),
    ];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> InterfaceTypes =
        [new("User", "user"), new("Tap", "tap"), new("Macvtap", "macvtap"), new("Bridge", "bridge")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> MacvtapModes =
        [new("Private", "private"), new("Vepa", "vepa"), new("Bridge", "bridge"), new("Passthru", "passthru"), new("Source", "source")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> ShareProtocols = [new("NineP", "9p"), new("Virtiofs", "virtiofs")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> SecurityModels =
        [new("Passthrough", "passthrough"), new("None", "none"), new("Mapped", "mapped"), new("MappedFile", "mapped-file")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> ShareCaches =
        [new("Auto", "auto"), new("Always", "always"), new("Metadata", "metadata"), new("Never", "never")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> DeviceBuses = [new("Pci", "pci"), new("Usb", "usb")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> ForwardDirections = [new("Host", "host"), new("Guest", "guest")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> TransportProtocols = [new("Tcp", "tcp"), new("Udp", "udp")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> FirecrackerIoEngines = [new("Async", "Async"), new("Sync", "Sync")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> VfkitLogLevels = [new("Debug", "debug"), new("Info", "info"), new("Error", "error")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> InodeFileHandleModes = [new("Never", "never"), new("Prefer", "prefer"), new("Mandatory", "mandatory")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> GraphicsBackends = [new("Gtk", "gtk"), new("Cocoa", "cocoa"), new("Headless", "headless")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> GraphicsVulkans = [new("Venus", "venus"), new("DrmNativeContext", "drm_native_context")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> StoreDiskTypes = [new("Squashfs", "squashfs"), new("Erofs", "erofs")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> ZfsSyncs = [new("Standard", "standard"), new("Always", "always"), new("Disabled", "disabled")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> ZfsLogBiases = [new("Latency", "latency"), new("Throughput", "throughput")];

    public static readonly IReadOnlyList<KeyValuePair<string, string>> ZfsCaches = [new("All", "all"), new("None", "none"), new("Metadata", "metadata")];

    /// <summary>The filesystems upstream's <c>lib/volumes.nix</c> can create with <c>autoCreate</c>.</summary>
    public static readonly IReadOnlyList<string> AutoCreateFsTypes = ["ext2", "ext3", "ext4", "xfs", "btrfs", "vfat"];

    /// <summary>
    /// <c>Zvol.Create</c>: not a microvm.nix option but MicroVm.Nix's own, rendered into the host
    /// module's provisioning service. Nix names are the ZFS property names.
    /// </summary>
    public static readonly RecordSchema ZvolProvisioning = new(ZvolProvisioningType, "zfs",
    [
        new("VolSize", "volsize", NixType.DataSize, null, false, null, "The zvol's size"),
        new("VolBlockSize", "volblocksize", NixType.DataSize, D.Null, false, null, "The zvol's block size, fixed at creation"),
        new("Compression", "compression", NixType.Str, D.Null, false, null, "The compression property"),
        Enum("Sync", "sync", ZfsSyncType, ZfsSyncs, null, "The sync property") with { Default = D.Null },
        Enum("LogBias", "logbias", ZfsLogBiasType, ZfsLogBiases, null, "The logbias property") with { Default = D.Null },
        Enum("PrimaryCache", "primarycache", ZfsCacheType, ZfsCaches, null, "The primarycache property") with { Default = D.Null },
        new("Sparse", "sparse", NixType.Bool, D.False, false, null, "Create without refreservation"),
    ]);

    /// <summary>A typed IPv4 network (MicroVm.Nix's own: the host and guest modules configure it with systemd-networkd).</summary>
    public static readonly RecordSchema Network = new(NetworkType, "fleet.network",
    [
        new("Name", "name", NixType.Str, null, false, null, "The bridge's interface name, or the routed network's label") { Scope = OptionScope.Fleet },
        Enum("Kind", "kind", NetworkKindType, NetworkKinds, "Bridge", "How VMs reach the network") with { Scope = OptionScope.Fleet },
        new("Subnet", "subnet", NixType.Str, null, false, null, "The network's IPv4 range in CIDR notation") { Scope = OptionScope.Fleet },
        new("Gateway", "gateway", NixType.Str, D.Null, true, null, "The guests' default gateway") { Scope = OptionScope.Fleet },
        new("Dns", "dns", NixType.ListOfStr, D.EmptyList, false, null, "DNS servers for guests with static addresses") { Scope = OptionScope.Fleet },
    ]);

    /// <summary>A typed network on one host: the host's side of it.</summary>
    public static readonly RecordSchema HostNetwork = new(HostNetworkType, "fleet.hostNetwork",
    [
        new("Network", "network", NixType.Submodule, null, false, null, "The network") { Scope = OptionScope.Fleet, Element = Network },
        new("Address", "address", NixType.Str, D.Null, true, null, "The host's address on a bridge network") { Scope = OptionScope.Fleet },
        new("Uplink", "uplink", NixType.Str, D.Null, true, null, "The host's port on the bridge") { Scope = OptionScope.Fleet },
        new("Dhcp", "dhcp", NixType.Bool, D.False, false, null, "Serve DHCP on the bridge") { Scope = OptionScope.Fleet },
        new("NatInterface", "natInterface", NixType.Str, D.Null, true, null, "Masquerade the network's traffic out of this interface") { Scope = OptionScope.Fleet },
    ]);

    /// <summary>One entry of <c>microvm.volumes</c>.</summary>
    public static readonly RecordSchema Volume = new(VolumeType, "microvm.volumes.*",
    [
        new("Image", "image", NixType.DiskImage, null, false, null, "Path to disk image on the host"),
        new("Serial", "serial", NixType.Str, D.Null, true, null, "User-configured serial number for the disk"),
        new("Direct", "direct", NixType.Bool, D.False, false, null, "Whether to set O_DIRECT on the disk."),
        new("ReadOnly", "readOnly", NixType.Bool, D.False, false, null, "Turn off write access"),
        new("Label", "label", NixType.Str, D.Null, true, null, "Label of the volume, if any. Only applicable if `autoCreate` is true"),
        new("MountPoint", "mountPoint", NixType.Path, null, true, null, "If and where to mount the volume inside the container"),
        new("Size", "size", NixType.Int, null, false, null, "Volume size (in MiB) if created automatically"),
        new("AutoCreate", "autoCreate", NixType.Bool, D.True, false, null, "Created image on host automatically before start?"),
        new("MkfsExtraArgs", "mkfsExtraArgs", NixType.ListOfStr, D.EmptyList, false, null, "Set extra Filesystem creation parameters"),
        new("FsType", "fsType", NixType.Str, D.Str("ext4"), false, null, "Filesystem for automatic creation and mounting"),
        Enum("ImageType", "imageType", ImageTypeType, ImageTypes, "Raw", "Format of the image (only passed to the hypervisor). Only supported with cloud-hypervisor."),
    ]);

    /// <summary>One entry of <c>microvm.interfaces</c>.</summary>
    public static readonly RecordSchema Interface = new(NetworkInterfaceType, "microvm.interfaces.*",
    [
        Enum("Type", "type", InterfaceTypeType, InterfaceTypes, null, "Interface type"),
        new("Id", "id", NixType.Str, null, false, null, "Interface name on the host"),
        new("MacvtapLink", "macvtap.link", NixType.Str, D.Null, false, null, "Attach network interface to host interface for type = \"macvtap\""),
        Enum("MacvtapMode", "macvtap.mode", MacvtapModeType, MacvtapModes, null, "The MACVLAN mode to use") with { Default = D.Null },
        new("Bridge", "bridge", NixType.Str, D.Null, true, null, "Attach network interface to host bridge interface for type = \"bridge\""),
        new("Mac", "mac", NixType.Str, null, false, null, "MAC address of the guest's network interface"),
        new("TapVhost", "tap.vhost", NixType.Bool, D.False, false, null, "Enable vhost-net for TAP interfaces."),
        new("Network", "network", NixType.Submodule, D.Null, false, null, "The typed network the interface is on") { Scope = OptionScope.Fleet, Element = Network },
        new("Address", "address", NixType.Str, D.Null, true, null, "The guest's static IPv4 address on the network") { Scope = OptionScope.Fleet },
    ]);

    /// <summary>One entry of <c>microvm.shares</c>.</summary>
    public static readonly RecordSchema Share = new(ShareType, "microvm.shares.*",
    [
        new("Tag", "tag", NixType.Str, null, false, null, "Unique virtiofs daemon tag"),
        new("Socket", "socket", NixType.Str, D.Null, true, null, "Socket for communication with virtiofs daemon") { DefaultIsComputed = true },
        new("Source", "source", NixType.Str, null, false, null, "Path to shared directory tree") { NixTypeDescription = "non-empty string" },
        Enum("SecurityModel", "securityModel", SecurityModelType, SecurityModels, "None", "What security model to use for the shared directory"),
        new("MountPoint", "mountPoint", NixType.Path, null, false, null, "Where to mount the share inside the container"),
        Enum("Proto", "proto", ShareProtocolType, ShareProtocols, "NineP", "Protocol for this share"),
        new("ReadOnly", "readOnly", NixType.Bool, D.False, false, null, "Turn off write access"),
        Enum("Cache", "cache", ShareCacheType, ShareCaches, "Auto", "Virtiofs caching policy for the file system, ignored when 9p is used"),
        new("PosixAcl", "posixAcl", NixType.Bool, D.True, false, null, "Pass `--posix-acl --xattr` to virtiofsd."),
        new("ExtraArgs", "extraArgs", NixType.ListOfStr, D.EmptyList, false, null, "Extra arguments passed to virtiofsd for this share."),
    ]);

    /// <summary>One entry of <c>microvm.devices</c>.</summary>
    public static readonly RecordSchema Device = new(DeviceType, "microvm.devices.*",
    [
        Enum("Bus", "bus", DeviceBusType, DeviceBuses, null, "Device is either on the `pci` or the `usb` bus"),
        new("Path", "path", NixType.Str, null, false, null, "Identification of the device on its bus"),
        new("QemuId", "qemu.id", NixType.Str, D.Null, true, null, "QEMU device identifier (optional)"),
        new("QemuBus", "qemu.bus", NixType.Str, D.Null, true, null, "QEMU bus to which this device is attached (optional)"),
        new("QemuDeviceExtraArgs", "qemu.deviceExtraArgs", NixType.Str, D.Null, true, null, "Device additional arguments (optional)"),
    ]);

    /// <summary>One entry of <c>microvm.forwardPorts</c>.</summary>
    public static readonly RecordSchema ForwardPort = new(ForwardPortType, "microvm.forwardPorts.*",
    [
        Enum("From", "from", ForwardDirectionType, ForwardDirections, "Host", "Controls the direction in which the ports are mapped"),
        Enum("Proto", "proto", TransportProtocolType, TransportProtocols, "Tcp", "The protocol to forward."),
        new("HostAddress", "host.address", NixType.Str, D.Str(""), false, null, "The IPv4 address of the host."),
        new("HostPort", "host.port", NixType.Int, null, false, 0, "The host port to be mapped.") { Maximum = 65535 },
        new("GuestAddress", "guest.address", NixType.Str, D.Str(""), false, null, "The IPv4 address on the guest VLAN."),
        new("GuestPort", "guest.port", NixType.Int, null, false, 0, "The guest port to be mapped.") { Maximum = 65535 },
    ]);

    /// <summary>One entry of <c>microvm.qemu.pcieRootPorts</c>.</summary>
    public static readonly RecordSchema QemuPcieRootPort = new(QemuPcieRootPortType, "microvm.qemu.pcieRootPorts.*",
    [
        new("Id", "id", NixType.Str, null, false, null, "A unique identifier for this PCIe root port."),
        new("Bus", "bus", NixType.Str, D.Null, true, null, "The PCIe bus on which the root port will be created."),
        new("Chassis", "chassis", NixType.Int, D.Null, true, null, "The chassis number associated with this root port."),
        new("Slot", "slot", NixType.Str, D.Null, true, null, "PCIe slot number."),
        new("Addr", "addr", NixType.Str, D.Null, true, null, "PCIe address on the parent bus."),
    ]);

    /// <summary><c>microvm.qemu.*</c>.</summary>
    public static readonly RecordSchema Qemu = new(QemuSettingsType, "microvm.qemu",
    [
        new("Machine", "machine", NixType.Str, D.Null, false, null, "QEMU machine model, eg. `microvm`, or `q35`") { DefaultIsComputed = true },
        new("MachineOpts", "machineOpts", NixType.AttrsOfStr, D.Null, true, null, "Overwrite the default machine model options."),
        new("ExtraArgs", "extraArgs", NixType.ListOfStr, D.EmptyList, false, null, "Extra arguments to pass to qemu."),
        new("SerialConsole", "serialConsole", NixType.Bool, D.True, false, null, "Whether to enable the virtual serial console on qemu."),
        new("PcieRootPorts", "pcieRootPorts", NixType.ListOfSubmodule, D.EmptyList, false, null, "A list of PCIe root ports that can be used for hot-plugging PCIe devices.") { Element = QemuPcieRootPort },
        HostPackage("QEMU package to use"),
    ]);

    /// <summary><c>microvm.cloud-hypervisor.*</c>.</summary>
    public static readonly RecordSchema CloudHypervisor = new(CloudHypervisorSettingsType, "microvm.cloud-hypervisor",
    [
        new("PlatformOemStrings", "platformOEMStrings", NixType.ListOfStr, D.EmptyList, false, null, "Extra values for --platform oem_strings=[...]."),
        new("ExtraArgs", "extraArgs", NixType.ListOfStr, D.EmptyList, false, null, "Extra arguments to pass to cloud-hypervisor."),
        HostPackage("cloud-hypervisor package to use"),
    ]);

    /// <summary><c>microvm.firecracker.*</c>.</summary>
    public static readonly RecordSchema Firecracker = new(FirecrackerSettingsType, "microvm.firecracker",
    [
        Enum("DriveIoEngine", "driveIoEngine", FirecrackerIoEngineType, FirecrackerIoEngines, "Async", "Type of IO engine used for Firecracker drives."),
        new("ExtraArgs", "extraArgs", NixType.ListOfStr, D.EmptyList, false, null, "Extra arguments to pass to firecracker."),
        new("Cpu", "cpu", NixType.JsonObject, D.Null, true, null, "Custom CPU template passed to firecracker.") { NixTypeDescription = "attribute set" },
        new("ExtraConfig", "extraConfig", NixType.JsonObject, D.EmptyMap, false, null, "Extra config to merge into Firecracker JSON configuration") { NixTypeDescription = "open submodule of (JSON value)" },
        HostPackage("Firecracker package to use"),
    ]);

    /// <summary><c>microvm.crosvm.*</c>.</summary>
    public static readonly RecordSchema Crosvm = new(CrosvmSettingsType, "microvm.crosvm",
    [
        new("ExtraArgs", "extraArgs", NixType.ListOfStr, D.EmptyList, false, null, "Extra arguments to pass to crosvm."),
        new("PivotRoot", "pivotRoot", NixType.Str, D.Null, true, null, "A Hypervisor's sandbox directory"),
        HostPackage("crosvm package to use"),
    ]);

    /// <summary><c>microvm.vfkit.*</c>.</summary>
    public static readonly RecordSchema Vfkit = new(VfkitSettingsType, "microvm.vfkit",
    [
        new("ExtraArgs", "extraArgs", NixType.ListOfStr, D.EmptyList, false, null, "Extra arguments to pass to vfkit."),
        Enum("LogLevel", "logLevel", VfkitLogLevelType, VfkitLogLevels, "Info", "vfkit log level.") with { Nullable = true },
        new("RosettaEnable", "rosetta.enable", NixType.Bool, D.False, false, null, "Enable Rosetta for x86_64 binaries in ARM64 Linux VMs."),
        new("RosettaInstall", "rosetta.install", NixType.Bool, D.False, false, null, "Automatically install Rosetta if missing."),
        new("RosettaIgnoreIfMissing", "rosetta.ignoreIfMissing", NixType.Bool, D.False, false, null, "Continue even if Rosetta is unavailable."),
        HostPackage("vfkit package to use"),
    ]);

    /// <summary><c>microvm.graphics.*</c>.</summary>
    public static readonly RecordSchema Graphics = new(GraphicsSettingsType, "microvm.graphics",
    [
        new("Enable", "enable", NixType.Bool, D.False, false, null, "Enable GUI support."),
        Enum("Backend", "backend", GraphicsBackendType, GraphicsBackends, null, "QEMU display backend to use when `graphics.enable` is true.") with { Default = D.Null, DefaultIsComputed = true },
        Enum("Vulkan", "vulkan", GraphicsVulkanType, GraphicsVulkans, null, "QEMU Vulkan translation protocol to use for enabling virtio-gpu Vulkan support.") with { Default = D.Null, Nullable = true },
        new("Hostmem", "hostmem", NixType.Str, D.Str("256M"), false, null, "Size of the QEMU virtio-gpu host memory window, typically between 256M and 8G."),
        new("Socket", "socket", NixType.Str, D.Null, false, null, "Path of vhost-user socket") { DefaultIsComputed = true },
        new("CrosvmPackage", "crosvmPackage", NixType.Package, D.Null, false, null, "crosvm package to use when running graphics (for cloud-hypervisor and crosvm)") { DefaultIsComputed = true, PackageSet = GuestPackages },
    ]);

    /// <summary><c>microvm.kvmtool.*</c>.</summary>
    public static readonly RecordSchema Kvmtool = new(KvmtoolSettingsType, "microvm.kvmtool", [HostPackage("kvmtool package to use")]);

    /// <summary><c>microvm.stratovirt.*</c>.</summary>
    public static readonly RecordSchema Stratovirt = new(StratovirtSettingsType, "microvm.stratovirt", [HostPackage("stratovirt package to use")]);

    /// <summary><c>microvm.alioth.*</c>.</summary>
    public static readonly RecordSchema Alioth = new(AliothSettingsType, "microvm.alioth", [HostPackage("alioth package to use")]);

    /// <summary><c>microvm.virtiofsd.*</c>.</summary>
    public static readonly RecordSchema Virtiofsd = new(VirtiofsdSettingsType, "microvm.virtiofsd",
    [
        Enum("InodeFileHandles", "inodeFileHandles", InodeFileHandlesType, InodeFileHandleModes, "Prefer", "When to use file handles to reference inodes instead of O_PATH file descriptors")
            with { Nullable = true },
        new("ThreadPoolSize", "threadPoolSize", NixType.Int, D.Null, false, 0, "The amounts of threads virtiofsd should spawn.")
        {
            DefaultIsComputed = true,
            TypeGap = "upstream also takes a string, which virtiofsd's start script runs as shell: its default, `nproc` (as many threads as the host has cores), which null keeps; any other string is code, deliberately not typed",
        },
        new("Group", "group", NixType.Str, D.Str("kvm"), true, null, "The name of the group that will own the Unix domain socket file that virtiofsd creates."),
        new("ExtraArgs", "extraArgs", NixType.ListOfStr, D.EmptyList, false, null, "Extra command-line switch to pass to virtiofsd."),
        HostPackage("virtiofsd package to use"),
    ]);

    /// <summary>
    /// One account of the guest: NixOS's <c>users.users.&lt;name&gt;</c> (nixos/modules/config/users-groups.nix and,
    /// for the keys, services/networking/ssh/sshd.nix). Not microvm.nix's: the guest's own NixOS declares it.
    /// </summary>
    public static readonly RecordSchema GuestUser = new(GuestUserType, "users.users.*",
    [
        new("Name", "name", NixType.Str, null, false, null, "The name of the user account") { NixTypeDescription = "passwd entry" },
        new("Groups", "extraGroups", NixType.ListOfStr, D.EmptyList, false, null, "The user's auxiliary groups."),
        new("HashedPassword", "hashedPassword", NixType.Str, D.Null, true, null, "Specifies the hashed password for the user.") { NixTypeDescription = "null or passwd entry" },
        new("AuthorizedKeys", "openssh.authorizedKeys.keys", NixType.ListOfStr, D.EmptyList, false, null, "A list of verbatim OpenSSH public keys that should be added to the user's authorized keys.") { NixTypeDescription = "list of single-line string" },
    ]);

    /// <summary>
    /// A machine that runs VMs: the host-wide <c>microvm.*</c> options its host module sets, and what MicroVm.Nix
    /// knows of it (<see cref="OptionScope.Fleet"/>: its name, system, pools, bridges, capacity, deployment address).
    /// </summary>
    public static readonly RecordSchema Host = new(HostType, "microvm",
    [
        new("Name", "name", NixType.Str, null, false, null, "The host's name: its folder and its nixosConfigurations attribute") { Scope = OptionScope.Fleet },
        new("System", "system", NixType.Str, D.Str("x86_64-linux"), false, null, "The host's Nix system") { Scope = OptionScope.Fleet },
        new("TargetHost", "targetHost", NixType.Str, D.Null, true, null, "The address deployment tools connect to over SSH") { Scope = OptionScope.Fleet },
        new("Pools", "pools", NixType.ListOfStr, D.EmptyList, false, null, "The host's ZFS pools") { Scope = OptionScope.Fleet },
        new("Bridges", "bridges", NixType.ListOfStr, D.EmptyList, false, null, "The bridges the host's own configuration creates") { Scope = OptionScope.Fleet },
        new("Networks", "networks", NixType.ListOfSubmodule, D.EmptyList, false, null, "The typed networks the host takes part in") { Scope = OptionScope.Fleet, Element = HostNetwork },
        new("Vcpus", "vcpus", NixType.Int, D.Null, true, null, "The host's CPU threads for its VMs") { Scope = OptionScope.Fleet },
        new("Memory", "memory", NixType.DataSize, D.Null, true, null, "The host's memory for its VMs") { Scope = OptionScope.Fleet },
        new("StateDir", "stateDir", NixType.Path, D.Str("/var/lib/microvms"), false, null, "Directory that contains the MicroVMs"),
        new("Enable", "host.enable", NixType.Bool, D.True, false, null, "Whether to enable the microvm.nix host module."),
        new("StartupTimeout", "host.startupTimeout", NixType.Int, D.Int(150), false, 1, "Start up timeout for the VMs in seconds"),
        new("UseNotifySockets", "host.useNotifySockets", NixType.Bool, D.False, false, null, "Enable if all your MicroVMs run with a Hypervisor that sends readiness notification over a VSOCK."),
    ]);

    /// <summary>A guest: <c>networking.hostName</c>, <c>system.stateVersion</c>, its users and SSH server, and the <c>microvm.*</c> options, in upstream's order.</summary>
    public static readonly RecordSchema VirtualMachine = new(VirtualMachineType, "microvm",
    [
        new("HostName", "networking.hostName", NixType.Str, null, false, null, "The name of the machine") { Scope = OptionScope.GuestRoot },
        new("Host", "host", NixType.Submodule, D.Null, false, null, "The machine that runs this VM") { Scope = OptionScope.Fleet, Element = Host },
        new("StateVersion", "system.stateVersion", NixType.Str, D.Null, true, null, "The NixOS release the guest's state was first created with") { Scope = OptionScope.GuestRoot },
        new("Users", "users.users", NixType.ListOfSubmodule, D.EmptyList, false, null, "The guest's user accounts, by name") { Scope = OptionScope.GuestRoot, Element = GuestUser },
        new("SshServer", "services.openssh.enable", NixType.Bool, D.False, false, null, "Whether to enable the OpenSSH secure shell daemon, which allows secure remote logins.") { Scope = OptionScope.GuestRoot },
        new("Imports", "imports", NixType.ListOfPath, D.EmptyList, false, null, "NixOS modules imported into the guest") { Scope = OptionScope.GuestRoot },
        new("ExtraConfig", "extraConfig", NixType.AttrsOfAny, D.EmptyMap, false, null, "Other NixOS options of the guest") { Scope = OptionScope.GuestRoot },
        new("Optimize", "optimize.enable", NixType.Bool, D.True, false, null, "Enables some optimizations by default to closure size and startup time"),
        new("GuestEnable", "guest.enable", NixType.Bool, D.True, false, null, "Whether to enable the microvm.nix guest module at all."),
        new("PrettyProcnames", "prettyProcnames", NixType.Bool, D.True, false, null, "Set a recognizable process name right before executing the Hypervisor."),
        new("RegisterClosure", "registerClosure", NixType.Bool, D.True, false, null, "Register system closure's store paths in Nix db."),
        new("SystemSymlink", "systemSymlink", NixType.Bool, D.Null, false, null, "Include a symlink of config.system.build.toplevel to share/microvm/system.") { DefaultIsComputed = true },
        new("Cpu", "cpu", NixType.Str, D.Null, true, null, "What CPU to emulate, if any. Only supported with qemu."),
        Enum("Hypervisor", "hypervisor", HypervisorType, Hypervisors, "Qemu", "Which hypervisor to use for this MicroVM"),
        new("PreStart", "preStart", NixType.Str, D.Str(""), false, null, "Commands to run before starting the hypervisor") { NixTypeDescription = "strings concatenated with \"\\n\"" },
        new("ExtraArgsScript", "extraArgsScript", NixType.Str, D.Null, true, null, "A script to provide additional arguments for the hypervisor at runtime."),
        new("Socket", "socket", NixType.Str, D.Null, true, null, "Hypervisor control socket path") { DefaultIsComputed = true },
        new("User", "user", NixType.Str, D.Null, true, null, "User to switch to when started as root"),
        new("Vcpu", "vcpu", NixType.Int, D.Int(1), false, 1, "Number of virtual CPU cores"),
        new("Mem", "mem", NixType.Int, D.Int(512), false, 1, "Amount of RAM in megabytes"),
        new("HugepageMem", "hugepageMem", NixType.Bool, D.False, false, null, "Whether to use hugepages as memory backend. (Currently only respected if using cloud-hypervisor)"),
        new("HotplugMem", "hotplugMem", NixType.Int, D.Int(0), false, 0, "Amount of hotplug memory in megabytes."),
        new("HotpluggedMem", "hotpluggedMem", NixType.Int, D.Null, false, 0, "Amount of hotplugged memory in megabytes; defaults to hotplugMem.") { DefaultIsComputed = true },
        new("Balloon", "balloon", NixType.Bool, D.False, false, null, "Whether to enable ballooning."),
        new("InitialBalloonMem", "initialBalloonMem", NixType.Int, D.Int(0), false, 0, "Amount of initial balloon memory in megabytes."),
        new("DeflateOnOom", "deflateOnOOM", NixType.Bool, D.True, false, null, "Whether to enable automatic balloon deflation on out-of-memory."),
        new("ForwardPorts", "forwardPorts", NixType.ListOfSubmodule, D.EmptyList, false, null, "Ports forwarded with SLiRP user networking") { Element = ForwardPort },
        new("Volumes", "volumes", NixType.ListOfSubmodule, D.EmptyList, false, null, "Disk images") { Element = Volume },
        new("Interfaces", "interfaces", NixType.ListOfSubmodule, D.EmptyList, false, null, "Network interfaces") { Element = Interface },
        new("Shares", "shares", NixType.ListOfSubmodule, D.EmptyList, false, null, "Shared directory trees") { Element = Share },
        new("Devices", "devices", NixType.ListOfSubmodule, D.EmptyList, false, null, "PCI/USB devices that are passed from the host to the MicroVM") { Element = Device },
        new("VsockCid", "vsock.cid", NixType.Int, D.Null, true, null, "Virtual Machine address; setting it enables AF_VSOCK"),
        new("VsockSshEnable", "vsock.ssh.enable", NixType.Bool, D.False, false, null, "SSH server listening on VSOCK for host-to-guest connections; requires vsock.cid."),
        new("RegisterWithMachined", "registerWithMachined", NixType.Bool, D.False, false, null, "Register this MicroVM with systemd-machined on the host"),
        new("MachineId", "machineId", NixType.Str, D.Null, true, null, "UUID for this MicroVM") { DefaultIsComputed = true },
        new("KernelParams", "kernelParams", NixType.ListOfStr, D.EmptyList, false, null, "Includes boot.kernelParams but doesn't end up in toplevel") { DefaultIsComputed = true },
        new("StoreOnDisk", "storeOnDisk", NixType.Bool, D.Null, false, null, "Whether to boot with the storeDisk, that is, unless the host's /nix/store is a microvm.share.") { DefaultIsComputed = true },
        new("WritableStoreOverlay", "writableStoreOverlay", NixType.Str, D.Null, true, null, "Path to the writable /nix/store overlay."),
        new("VmHostPackages", "vmHostPackages", NixType.PackageSet, D.Null, false, null, "If set, overrides the default host package.") { DefaultIsComputed = true, PackageSet = GuestPackages },
        new("Qemu", "qemu", NixType.Submodule, D.Null, false, null, "QEMU settings") { Element = Qemu },
        new("CloudHypervisor", "cloud-hypervisor", NixType.Submodule, D.Null, false, null, "cloud-hypervisor settings") { Element = CloudHypervisor },
        new("Crosvm", "crosvm", NixType.Submodule, D.Null, false, null, "crosvm settings") { Element = Crosvm },
        new("Firecracker", "firecracker", NixType.Submodule, D.Null, false, null, "Firecracker settings") { Element = Firecracker },
        new("Vfkit", "vfkit", NixType.Submodule, D.Null, false, null, "vfkit settings") { Element = Vfkit },
        new("Kvmtool", "kvmtool", NixType.Submodule, D.Null, false, null, "kvmtool settings") { Element = Kvmtool },
        new("Stratovirt", "stratovirt", NixType.Submodule, D.Null, false, null, "stratovirt settings") { Element = Stratovirt },
        new("Alioth", "alioth", NixType.Submodule, D.Null, false, null, "alioth settings") { Element = Alioth },
        new("Graphics", "graphics", NixType.Submodule, D.Null, false, null, "Graphics settings") { Element = Graphics },
        new("Virtiofsd", "virtiofsd", NixType.Submodule, D.Null, false, null, "virtiofsd settings") { Element = Virtiofsd },
        Enum("StoreDiskType", "storeDiskType", StoreDiskTypeType, StoreDiskTypes, null, "Boot disk file system type") with { Default = D.Null, DefaultIsComputed = true },
        new("Kernel", "kernel", NixType.Package, D.Null, false, null, "Kernel package to use for MicroVM runners.") { DefaultIsComputed = true, PackageSet = GuestPackages },
        new("InitrdPath", "initrdPath", NixType.Path, D.Null, false, null, "Path to the initrd file in the initrd package") { DefaultIsComputed = true },
        new("StoreDiskErofsFlags", "storeDiskErofsFlags", NixType.ListOfStr, D.Null, false, null, "Flags to pass to mkfs.erofs") { DefaultIsComputed = true },
        new("StoreDiskSquashfsFlags", "storeDiskSquashfsFlags", NixType.ListOfStr, D.Null, false, null, "Flags to pass to gensquashfs") { DefaultIsComputed = true },
        new("CredentialFiles", "credentialFiles", NixType.AttrsOfStr, D.EmptyMap, false, null, "Key-value pairs of credential files that will be loaded into the vm using systemd's io.systemd.credential feature.") { NixTypeDescription = "attribute set of absolute path" },
        new("BinScripts", "binScripts", NixType.AttrsOfStr, D.EmptyMap, false, null, "Script snippets that end up in the runner package's bin/ directory") { NixTypeDescription = "attribute set of strings concatenated with \"\\n\"" },
        new("Autostart", "autostart", NixType.Bool, D.True, false, null, "Add this MicroVM to config.microvm.autostart?") { Scope = OptionScope.Host },
        new("RestartIfChanged", "restartIfChanged", NixType.Bool, D.True, false, null, "Restart this MicroVM's services if the systemd units are changed") { Scope = OptionScope.Host },
    ]);

    /// <summary>Every record the generator reads.</summary>
    public static readonly IReadOnlyList<RecordSchema> Records =
        [VirtualMachine, Volume, Interface, Share, Device, ForwardPort, GuestUser, Qemu, QemuPcieRootPort, CloudHypervisor, Firecracker, Crosvm, Vfkit, Kvmtool, Stratovirt, Alioth, Graphics, Virtiofsd, ZvolProvisioning, Host, Network, HostNetwork];

    /// <summary>Upstream's options the records do not type, each with the reason (checked against the ledger by UpstreamLedgerTests).</summary>
    public static readonly IReadOnlyList<UntypedOption> Untyped =
    [
        // Upstream sets these from the rest of the configuration; a user reads them, never sets them.
        new("microvm.declaredRunner", "The runner upstream builds from this guest's configuration; the host reads it.", Deliberate: true),
        new("microvm.runner", "One runner per hypervisor, built by upstream from this guest's configuration.", Deliberate: true),
        new("microvm.storeDisk", "Built by upstream from the guest's closure (declared 'Generated').", Deliberate: true),
        new("microvm.bootDisk", "Built by upstream from the kernel and initrd for hypervisors that cannot load them directly (declared 'Generated').", Deliberate: true),
        new("microvm.deploy.installOnHost", "A script upstream builds for deploying over SSH, to run with nix run; not a setting.", Deliberate: true),
        new("microvm.deploy.sshSwitch", "A script upstream builds for switching a running VM over SSH, to run with nix run; not a setting.", Deliberate: true),
        new("microvm.deploy.rebuild", "A script upstream builds (installOnHost and sshSwitch in one), to run with nix run; not a setting.", Deliberate: true),
        new("microvm.balloonMem", "Removed upstream (mkRemovedOptionModule): setting it is an error that names Balloon and InitialBalloonMem, which are typed.", Deliberate: true),

        // The host side: MicroVm.Nix's host module writes these from the records.
        new("microvm.vms", "The host module writes one entry per VM, named by its HostName.", Deliberate: true),
        new("microvm.vms.<name>.config", "The host module sets it to the VM's generated guest module.", Deliberate: true),
        new("microvm.autostart", "Upstream collects it from each VM's microvm.vms.<name>.autostart, which VirtualMachine.Autostart sets.", Deliberate: true),
        new("microvm.vms.<name>.flake", "Declares a VM from another flake instead of a module; MicroVm.Nix declares each VM as its generated module (config).", Deliberate: true),
        new("microvm.vms.<name>.updateFlake", "Only for a VM declared from a flake (microvm.vms.<name>.flake), which MicroVm.Nix does not do.", Deliberate: true),
        new("microvm.vms.<name>.evaluatedConfig", "Declares a VM from a configuration evaluated elsewhere; MicroVm.Nix declares each VM as its generated module (config).", Deliberate: true),
        new("microvm.vms.<name>.nixpkgs", "The nixpkgs a module-declared VM is evaluated with; upstream's default (the host's pkgs.path) keeps guest and host on one nixpkgs. Not yet typed: set it in a host module of your own meanwhile.", Deliberate: false),
        new("microvm.vms.<name>.pkgs", "A Nix package set; not yet typed. Set it in a host module of your own meanwhile.", Deliberate: false),
        new("microvm.vms.<name>.specialArgs", "Nix values passed to the guest's modules; not yet typed. Set it in a host module of your own meanwhile.", Deliberate: false),
        new("microvm.vms.<name>.extraModules", "NixOS modules added to the guest: VirtualMachine.Imports covers module files; modules as Nix values are not yet typed.", Deliberate: false),
    ];

    /// <summary>
    /// Each typed option by its path in upstream's ledger (<c>generator/upstream/options.json</c>):
    /// <c>microvm.vcpu</c>, <c>microvm.volumes.*.image</c>, <c>microvm.vms.&lt;name&gt;.autostart</c>. Options
    /// that are MicroVm.Nix's own (<c>imports</c>, <c>Zvol.Create</c>) and groups (<c>Qemu</c>) have none.
    /// </summary>
    public static IEnumerable<(string Path, RecordSchema Record, OptionSchema Option)> UpstreamPaths()
    {
        foreach (var record in Records.Where(r => r.NixPath.StartsWith("microvm", System.StringComparison.Ordinal)))
        {
            foreach (var option in record.Options.Where(o => o.Type != NixType.Submodule))
            {
                switch (option.Scope)
                {
                    case OptionScope.Record:
                        yield return (record.NixPath + "." + option.NixName, record, option);
                        break;
                    case OptionScope.Host:
                        yield return ("microvm.vms.<name>." + option.NixName, record, option);
                        break;
                }
            }
        }
    }

    /// <summary>The schema of a runtime record type, by metadata name, or <c>null</c>.</summary>
    public static RecordSchema? Find(string type) => Records.FirstOrDefault(r => r.Type == type);

    /// <summary>
    /// The value a runtime record's property has when the source does not set it, for reading
    /// <c>Base.Mem</c>: a C# nullable stands for "upstream's default" and is <c>null</c> where upstream's
    /// default is null or computed; every other property's initializer mirrors upstream's default.
    /// </summary>
    /// <param name="option">The option.</param>
    /// <param name="nullableInCSharp">Whether the C# property's type is nullable.</param>
    public static EvalValue CSharpDefault(OptionSchema option, bool nullableInCSharp) =>
        nullableInCSharp && (option.DefaultIsComputed || option.Default is null or NullValue)
            ? D.Null
            : option.Default ?? D.Null;

    /// <summary>An enum option: <paramref name="defaultMember"/> <c>null</c> means upstream has no default.</summary>
    private static OptionSchema Enum(string property, string nixName, string enumType, IReadOnlyList<KeyValuePair<string, string>> names, string? defaultMember, string description) =>
        new(property, nixName, NixType.Enum, defaultMember is null ? null : D.Enum(enumType, defaultMember), false, null, description)
        {
            EnumType = enumType,
            EnumNames = names,
        };

    /// <summary>A hypervisor's or virtiofsd's <c>package</c>: a program the host runs, from the host's package set, as upstream's default.</summary>
    private static OptionSchema HostPackage(string description) =>
        new("Package", "package", NixType.Package, D.Null, false, null, description) { DefaultIsComputed = true, PackageSet = HostPackages };

    /// <summary>Upstream defaults, as values.</summary>
    private static class D
    {
        public static readonly EvalValue Null = new NullValue(null);
        public static readonly EvalValue False = new BoolValue(false, null);
        public static readonly EvalValue True = new BoolValue(true, null);
        public static readonly EvalValue EmptyList = new ListValue(EquatableArray<EvalValue>.Empty, null);
        public static readonly EvalValue EmptyMap = new MapValue(EquatableArray<FieldValue>.Empty, null);

        public static IntValue Int(long value) => new IntValue(value, null);

        public static StringValue Str(string value) => new StringValue(value, null);

        public static EnumValue Enum(string type, string member) => new EnumValue(type, member, null);
    }

}
